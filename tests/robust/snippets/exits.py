import sys

sys.exit(3)
value = 1
