# %% [markdown]
# # Fine
#
# A notebook that works.

# %%
import matplotlib.pyplot as plt

answer = 6 * 7
print("printed", answer)

# %%
fig, ax = plt.subplots()
ax.plot([1, 2, 3])
fig.tight_layout()

# %%
answer + 1
