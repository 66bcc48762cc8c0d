print("tls13-demo is being built; see the issues.")
