"""Formatting values for a page: specs, lists, escaping, and block values."""

from __future__ import annotations

import re

import markdown
import numpy as np
import pytest
from livevalues.capture import to_value
from livevalues.render import FormatError, format_block, format_value, markdown_text
from sklearn.linear_model import LinearRegression


@pytest.mark.parametrize(
    ("obj", "spec", "shown"),
    [
        (196, None, "196"),
        (np.int64(12345), ",", "12,345"),
        (0.146238, None, "0.1462"),
        (np.float32(0.5), ".3f", "0.500"),
        (0.98, ".0%", "98%"),
        (True, None, "True"),
        ("rbf", None, "rbf"),
        (None, None, "None"),
        (np.array([98, 98]), None, "[98, 98]"),
        ((1, 196), None, "(1, 196)"),
        ((3,), None, "(3,)"),
        ([0.12345, -2.5], ".2f", "[0.12, -2.50]"),
        (np.arange(20) / 4, ".1f", "[0.0, 0.2, 0.5, …, 4.5, 4.8] (20 values)"),
        (np.arange(100), None, "[0, 1, 2, …, 98, 99] (100 values)"),
        (-0.0001, ".2f", "0.00"),
        (-0.0, None, "0"),
        (-0.5, ".0%", "-50%"),
    ],
)
def test_inline_values(obj: object, spec: str | None, shown: str) -> None:
    assert format_value(to_value(obj), spec) == shown


@pytest.mark.parametrize(
    ("obj", "spec", "message"),
    [
        (196, ".3q", "format spec '.3q' does not apply to int 196"),
        (196, ">30000000", "format spec '>30000000': width 30000000 is more than 100"),
        (0.5, "0>10.200f", "format spec '0>10.200f': precision 200 is more than 100"),
        ("rbf", ".2f", "format spec '.2f' does not apply to str 'rbf'"),
        (np.zeros((2, 2)), None, "is a ndarray, which a page cannot show"),
        (LinearRegression(), None, "put the placeholder on a line of its own"),
    ],
)
def test_inline_errors(obj: object, spec: str | None, message: str) -> None:
    with pytest.raises(FormatError, match=re.escape(message)):
        format_value(to_value(obj), spec)


@pytest.mark.parametrize(
    "text", ["0. For a stochastic model", "petal length (cm)", "- minus", "+ plus", "# hash", "[2, 30]: x"]
)
def test_value_starting_a_line_stays_text(text: str) -> None:
    extensions = ["tables", "attr_list", "pymdownx.arithmatex"]
    html = markdown.markdown(markdown_text(text) + " and more\n", extensions=extensions)
    assert html == f"<p>{text} and more</p>"


def test_markdown_text_survives_markdown_unchanged() -> None:
    nasty = "<script>alert('x')</script> *a* _b_ `c` [d](e) {f} | # ! \\ & 1.5"
    html = markdown.markdown(markdown_text(nasty), extensions=["tables", "attr_list"])
    assert html == "<p>&lt;script&gt;alert('x')&lt;/script&gt; *a* _b_ `c` [d](e) {f} | # ! \\ &amp; 1.5</p>"


def test_estimator_table_marks_changes_and_lists_learned_attributes() -> None:
    model = LinearRegression(fit_intercept=False).fit(np.eye(3), [1.0, 2.0, 3.0])
    table = format_block(to_value(model), None, "m.model")
    assert (
        '<tr class="livevalues-changed"><td><code>fit_intercept</code></td><td><code>False</code></td><td><code>True</code></td></tr>'
        in table
    )
    assert "<td><code>coef_</code></td><td>(3,)</td><td><code>[1, 2, 3]</code></td>" in table
    assert "<td><code>copy_X</code></td>" in table
    assert '<tr class="livevalues-changed"><td><code>copy_X' not in table


def test_unfitted_estimator_says_so() -> None:
    assert "not fitted" in format_block(to_value(LinearRegression()), None, "m.model")


def test_figure_needs_alt_text_and_follows_the_colour_scheme() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from livevalues.capture import FIGURE_STYLE

    with plt.rc_context(FIGURE_STYLE):
        figure, axes = plt.subplots()
        axes.plot([1, 2], [3, 4])
        axes.set_xlabel("step")
    value = to_value(figure, "t.figure")
    plt.close(figure)
    with pytest.raises(FormatError, match="needs alt text"):
        format_block(value, None, "t.figure")
    svg = format_block(value, "A <rising> line", "t.figure")
    assert 'role="img" aria-label="A &lt;rising&gt; line"' in svg
    assert "<title>A &lt;rising&gt; line</title>" in svg
    assert "currentColor" in svg
    assert "#010203" not in svg.lower()


def test_output_block_escapes_html() -> None:
    block = format_block({"kind": "output", "text": "<script>x</script>\n"}, None, "s.stdout")
    assert "&lt;script&gt;x&lt;/script&gt;" in block
    assert "<script>" not in block


def test_figure_keeps_its_size_and_scopes_its_style() -> None:
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(4, 2))
    axes.plot([1, 2], [3, 4])
    svg = format_block(to_value(figure, "t.figure"), "A line", "t.figure")
    plt.close(figure)
    assert re.search(r'<svg [^>]*width="[\d.]+pt" height="[\d.]+pt"', svg)  # Material sizes figures to content
    assert "#t-figure *{stroke" in svg
    assert "\n *{" not in svg


def test_long_sequences_are_converted_only_where_a_page_shows_them() -> None:
    """A list keeps its ends (two slices read, not two million items); so does a 20-million-element array."""

    class Counting(list[int]):
        read = 0

        def __getitem__(self, index: object) -> object:  # type: ignore[override]
            Counting.read += 1
            return super().__getitem__(index)  # type: ignore[call-overload]

    big = Counting(range(2_000_000))
    value = to_value(big)
    assert (value["items"], value["length"], Counting.read) == (
        [0, 1, 2, 1_999_997, 1_999_998, 1_999_999],
        2_000_000,
        2,
    )
    array = to_value(np.arange(20_000_000))
    assert (array["items"][:3], array["length"]) == ([0, 1, 2], 20_000_000)
    assert format_value(array) == "[0, 1, 2, …, 19999998, 19999999] (20,000,000 values)"


def test_values_no_page_could_show_say_why() -> None:
    assert to_value(2**20000) == {
        "kind": "unsupported",
        "type": "int",
        "reason": "an int of about 6,020 digits, too long to show",
    }
    with pytest.raises(FormatError, match="cannot be shown: a str of 2,000,000 characters"):
        format_value(to_value("x" * 2_000_000))


def test_text_that_looks_like_a_placeholder_is_not_one_in_the_html() -> None:
    """A value's `%{...}` reaches the page as an entity, so the unexpanded-placeholder check passes it."""
    import matplotlib.pyplot as plt

    assert markdown.markdown(markdown_text("%{a.b} 50%")) == "<p>&#37;{a.b} 50%</p>"
    figure, axes = plt.subplots()
    axes.set_title("%{a.b}")
    svg = format_block(to_value(figure, "t.figure"), "A title in braces", "t.figure")
    plt.close(figure)
    assert "%{" not in svg
    assert "&#37;{a.b}" in svg
