value = "snippet"
