n = 3
ratio = 0.5
