# %% [markdown]
# # Hangs
#
# The second code cell never ends.

# %%
# livevalues: timeout=1
import time

# %%
while True:
    time.sleep(0.05)
