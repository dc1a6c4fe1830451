import subprocess
import sys

subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", "livevalues-orphan-check"])
value = "started a process and ended"
