print("tls13-server is being built; see the issues.")
