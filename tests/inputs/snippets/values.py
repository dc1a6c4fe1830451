"""Values that carry markup: a page must show each as text, never as markup or a link that runs."""

# --8<-- [start:braces]
braces = "%{a.b}"
# --8<-- [end:braces]
two_lines = "two\nlines"
# --8<-- [start:number]
number = 3
# --8<-- [end:number]
