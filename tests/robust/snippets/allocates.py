# livevalues: max_memory_mb=200
chunks = []
while True:
    chunks.append(bytearray(50_000_000))
value = 1
