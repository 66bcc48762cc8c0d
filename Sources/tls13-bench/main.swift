print("tls13-bench is being built; see the issues.")
