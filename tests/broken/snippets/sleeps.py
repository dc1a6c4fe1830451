# livevalues: timeout=1
import time

time.sleep(60)
value = 1
