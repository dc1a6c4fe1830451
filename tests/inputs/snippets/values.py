"""Values that carry markup: a page must show each as text, never as markup or a link that runs."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

# --8<-- [start:braces]
braces = "%{a.b}"
# --8<-- [end:braces]
two_lines = "two\nlines"
# --8<-- [start:number]
number = 3
# --8<-- [end:number]
script_url = "javascript:alert(1)"
hidden_script_url = " Java\tScript:alert(1)"  # browsers drop the tab and the space
web_url = "https://example.org/page"
relative_url = "../good/#braces"
spaced = "x onclick=alert(1)"
empty = ""

linked_figure, _axes = plt.subplots(figsize=(2, 1))
_axes.plot([1, 2], [3, 4])[0].set_url("https://example.org/line")
script_figure, _axes = plt.subplots(figsize=(2, 1))
_axes.plot([1, 2], [3, 4])[0].set_url("javascript:alert(1)")
