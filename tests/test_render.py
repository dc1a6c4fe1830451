"""Formatting values for a page: specs, lists, escaping, and block values."""

from __future__ import annotations

import re

import markdown
import numpy as np
import pytest
from livevalues.capture import describe, to_value
from livevalues.render import (
    FormatError,
    format_block,
    format_value,
    is_code,
    markdown_text,
    rounded,
    sample_text,
    setting_kind,
    summarize_block,
)
from sklearn.datasets import make_blobs
from sklearn.linear_model import LinearRegression
from sklearn.mixture import BayesianGaussianMixture, GaussianMixture
from sklearn.svm import SVC


@pytest.mark.parametrize(
    ("obj", "spec", "shown"),
    [
        (196, None, "196"),
        (np.int64(12345), ",", "12,345"),
        (0.146238, None, "0.1462"),
        (np.float32(0.5), ".3f", "0.500"),
        (0.98, ".0%", "98%"),
        (True, None, "True"),
        ("rbf", None, "'rbf'"),  # as Python shows it, and set as code (below)
        ("rbf", "s", "rbf"),  # `:s` for a word that is prose: "predicted as sport"
        ("it's", None, '"it\'s"'),
        (np.str_("rbf"), None, "'rbf'"),
        (["cooking", "sport"], None, "['cooking', 'sport']"),
        (np.array(["cooking", "sport"]), "s", "[cooking, sport]"),
        ((200, 4), None, "(200, 4)"),  # a shape, as Python writes the tuple
        (np.zeros((2, 3)).shape, None, "(2, 3)"),
        (np.array([[1.5, 2], [3, 4]]), None, "[[1.5, 2], [3, 4]]"),  # rows, never flattened
        ([np.array([1, 2]), np.array([3])], None, "[[1, 2], [3]]"),  # a list of arrays: values
        ((np.array([0.5, 0.25]), np.array([2.0])), ".2f", "([0.50, 0.25], [2.00])"),
        (13_800.0, None, "13,800"),  # never 1.38e+04
        (1_234_567.8, None, "1,235,000"),
        (5687.3, None, "5,687"),
        ([1920.4, 1010.0, 536.2], None, "[1920, 1010, 536.2]"),  # in a list, commas separate items only
        (6.400000000000001e-07, None, "6.4e-07"),
        (1e20, None, "1e+20"),
        (np.int64(123456), None, "123,456"),
        (1797, None, "1,797"),
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
        ({"a": 1}, None, "is a dict, which a page cannot show"),
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


@pytest.mark.parametrize(
    ("obj", "spec", "code"),
    [("rbf", None, True), (["a", "b"], None, True), ("rbf", "s", False), (0.5, None, False), ((2, 3), None, False)],
)
def test_strings_are_set_as_code_unless_a_spec_asks_for_text(obj: object, spec: str | None, code: bool) -> None:
    assert is_code(to_value(obj), spec) is code
    if isinstance(obj, str):  # an attribute (a link's target) gets the text itself, never its repr
        assert format_value(to_value(obj), spec, as_code=False) == obj


@pytest.mark.parametrize(
    ("obj", "shape", "sample"),
    [
        (np.float64(0.146238), "scalar", "0.1462"),
        (13_800.0, "scalar", "13,800"),
        (np.array([13_800.0, 5.0]), "(2,)", "[13800, 5]"),
        ("softmax", "scalar", "'softmax'"),
        (None, "scalar", "None"),
        (np.array([0.25, 0.5]), "(2,)", "[0.25, 0.5]"),
        (np.arange(10), "(10,)", "[0, 1, 2, 3, …]"),
        ((178, 13), "tuple of 2", "(178, 13)"),  # never "tuple of 2 – int, int"
        ([-1060.25, -1055.5, -1054.0], "list of 3", "[-1060, -1056, -1054]"),  # never "float64, float64"
        (np.arange(6).reshape(3, 2), "(3, 2)", "[[0, 1],\n [2, 3],\n [4, 5]]"),  # rows, never flattened
        (np.arange(60).reshape(12, 5), "(12, 5)", "[[0, 1, 2, 3, 4],\n [5, 6, 7, 8, 9],\n [10, 11, 12, 13, 14],\n [15, 16, 17, 18, 19],\n …]"),
        (np.arange(16).reshape(4, 2, 2), "(4, 2, 2)", "[[[0, 1],\n  [2, 3]],\n [[4, 5],\n  [6, 7]],\n …]"),
        (np.arange(3).reshape(3, 1, 1), "(3, 1, 1)", "[[[0]],\n [[1]],\n [[2]]]"),  # "…" never hides one item
        ((np.array([1.0, 2.0]), np.array([3.0])), "tuple of 2: (2,), (1,)", "([1, 2],\n [3])"),  # arrays of arrays
        ([np.zeros((2, 2)), np.ones((2, 1))], "list of 2: (2, 2), (2, 1)", "[[[0, 0],\n  [0, 0]],\n [[1],\n  [1]]]"),
        (LinearRegression(), "LinearRegression (fitted)", None),
        ({"a": 1}, "dict", None),
    ],
)  # fmt: skip
def test_learned_attributes_of_each_kind(obj: object, shape: str, sample: str | None) -> None:
    described = describe(obj)
    assert described["shape"] == shape
    assert (sample_text(described["sample"]) if "sample" in described else None) == sample


def test_gaussian_mixtures_show_their_arrays_of_arrays_as_values() -> None:
    X, _ = make_blobs(60, random_state=0)
    gmm = summarize_block(to_value(GaussianMixture(2, random_state=0).fit(X)), None)
    assert re.search(r"learned lower_bounds_ list of \d+ \[-?[\d.]+, ", gmm)
    bgmm = summarize_block(to_value(BayesianGaussianMixture(n_components=2, random_state=0).fit(X)), None)
    assert re.search(r"learned weight_concentration_ tuple of 2: \(2,\), \(2,\) \(\[[\d.]+, [\d.]+\],", bgmm)
    assert "ndarray" not in gmm + bgmm
    assert "float64" not in gmm + bgmm


def test_estimator_table_shows_changes_and_folds_defaults_with_their_count() -> None:
    model = LinearRegression(fit_intercept=False).fit(np.eye(3), [1.0, 2.0, 3.0])
    table = format_block(to_value(model), None, "m.model")
    changed, folded = table.split("<details", 1)
    assert (
        "<tr><td><code>fit_intercept</code></td><td><code>False</code></td><td><code>True</code></td>"
        "<td>hyperparameter</td></tr>" in changed
    )
    assert "1 changed from the default" in changed
    assert "<summary>4 settings left at their default</summary>" in folded
    assert "<tr><td><code>copy_X</code></td><td><code>True</code></td><td>computational setting</td></tr>" in folded
    assert "copy_X" not in changed
    learned = table.split('class="livevalues-learned"', 1)[1]
    assert (
        '<td><code>coef_</code></td><td>(3,)</td><td><code class="livevalues-sample">[1, 2, 3]</code></td>' in learned
    )
    assert "fitted attributes" in learned
    assert "learned parameters" in learned


def test_a_table_with_nothing_changed_says_so_and_one_with_everything_changed_folds_nothing() -> None:
    assert "none: every setting is left at its default" in format_block(to_value(LinearRegression()), None, "m.m")
    everything = LinearRegression(fit_intercept=False, copy_X=False, n_jobs=2, positive=True, tol=0.1)
    assert "<details" not in format_block(to_value(everything), None, "m.m")


@pytest.mark.parametrize(
    ("estimator", "name", "kind"),
    [
        ("SVC", "C", "hyperparameter"),
        ("SGDClassifier", "eta0", "hyperparameter"),
        ("LinearRegression", "tol", "hyperparameter"),  # an optimisation hyperparameter
        ("SVC", "random_state", "seed"),
        ("SVC", "cache_size", "computational setting"),
        ("SVC", "shrinking", "computational setting"),  # same dual_coef_, intercept_ and predictions
        ("SVC", "decision_function_shape", "computational setting"),  # only the shape of an output
        ("MLPClassifier", "verbose", "computational setting"),
        ("MLPClassifier", "warm_start", "workflow setting"),
        ("KNeighborsClassifier", "algorithm", "computational setting"),
        ("TruncatedSVD", "algorithm", "hyperparameter"),  # changes the result there
    ],
)
def test_settings_are_labelled_by_the_taxonomy(estimator: str, name: str, kind: str) -> None:
    assert setting_kind(estimator, name) == kind


def test_a_marker_default_is_explained_not_shown_bare() -> None:
    table = format_block(to_value(SVC()), None, "m.svc")
    assert re.search(
        r"<td><code>probability</code></td><td><code>&#x27;deprecated&#x27;</code>"
        r'<br><span class="livevalues-note">a marker, not a value: [^<]*deprecated[^<]*warns</span>',
        table,
    )


def test_one_number_style_for_floats() -> None:
    assert [rounded(x) for x in (13_800.0, 0.000123456, -0.00001, 999_990.5, -0.0)] == [
        "13,800",
        "0.0001235",
        "-1e-05",
        "1,000,000",
        "0",
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.99996, "1.000"),  # not "1": a rounded accuracy must not read as perfect
        (-2.99999, "-3.000"),
        (1.0, "1"),  # exactly one
        (2_999_999.0, "2,999,999"),  # a whole float is a count: every digit, never "3,000,000"
        (123_456_789.0, "123,456,789"),
        (13_812.5, "13,810"),  # not whole: 4 significant digits
    ],
)
def test_a_rounded_float_never_reads_as_exact(value: float, shown: str) -> None:
    assert rounded(value) == shown


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


def test_control_characters_and_bidi_overrides_show_as_escapes() -> None:
    """Raw, a NUL makes the page a binary file and U+202E reverses the text after it."""
    text = {"kind": "scalar", "value": "a\u202eb\x00c\td"}
    assert format_value(text, "s") == "a\\u202eb\\x00c\td"
    assert format_value(text) == repr("a\u202eb\x00c\td")


@pytest.mark.parametrize(
    ("obj", "shown"),
    [
        (
            np.ones((2000, 2000)),
            "[[1, 1, 1, …, 1, 1], [1, 1, 1, …, 1, 1], [1, 1, 1, …, 1, 1], …, "
            "[1, 1, 1, …, 1, 1], [1, 1, 1, …, 1, 1]] (shape (2000, 2000))",
        ),
        (np.zeros((3, 20)), "[[0, 0, 0, …, 0, 0], [0, 0, 0, …, 0, 0], [0, 0, 0, …, 0, 0]] (shape (3, 20))"),
        ([np.zeros(3), np.ones(20)], "[[0, 0, 0], [1, 1, 1, …, 1, 1] (20 values)]"),  # ragged: no shape
        (np.arange(3e6), "[0, 1, 2, …, 2999998, 2999999] (3,000,000 values)"),  # never 3000000 twice
    ],
)
def test_a_cut_array_says_its_shape_once(obj: object, shown: str) -> None:
    assert format_value(to_value(obj)) == shown
