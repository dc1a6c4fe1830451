import os
import signal
import time

os.kill(os.getppid(), signal.SIGKILL)  # the worker process that forked this one
time.sleep(5)
value = 1
