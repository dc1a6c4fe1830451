"""A snippet asking for a limit no snippet may have."""

# livevalues: timeout=inf
value = 1
