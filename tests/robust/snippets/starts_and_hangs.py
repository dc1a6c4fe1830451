# livevalues: timeout=1
import subprocess
import sys
import time

subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", "livevalues-orphan-check"])
value = 0
while True:
    time.sleep(0.01)
