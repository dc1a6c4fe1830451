for _ in range(100):
    print("x" * 100_000)
value = 1
