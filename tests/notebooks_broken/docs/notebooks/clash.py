# %%
value = "notebook"
