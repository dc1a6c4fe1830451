# %% [markdown]
# # Raises
#
# The second code cell divides by zero on line 13.

# %%
value = 1

# %%
# a comment first: the line reported must be the file's own
zero = 0
print("before the error")
value = value / zero
