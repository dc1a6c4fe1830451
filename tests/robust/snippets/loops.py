# livevalues: timeout=1
value = 0
while True:
    value += 1
