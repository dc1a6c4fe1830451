def divide(a, b):
    return a / b


value = divide(1, 0)
