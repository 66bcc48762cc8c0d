print("tls13-client is being built; see the issues.")
