order = list({"alpha", "beta", "gamma", "delta", "epsilon"})
