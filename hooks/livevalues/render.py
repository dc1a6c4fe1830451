"""Format a captured value for a page: inline text for Markdown, or a block of HTML."""

from __future__ import annotations

import html
import re
from typing import Any

from livevalues.safety import svg_problem

BLOCK_KINDS = {"table", "figure", "output"}
# The scikit-learn estimators whose `algorithm` and `leaf_size` say how the neighbour search runs.
NEIGHBOUR_SEARCHES = ("KNeighborsClassifier", "KNeighborsRegressor", "NearestNeighbors", "RadiusNeighborsClassifier")
SHOWN_ITEMS = 8  # longer lists show their ends and their length
# Characters Python-Markdown would read as markup; a backslash makes each one literal.
# Escaping `.`, `-` and `+` keeps a value that starts a line ("0. For…", "-1 is") from turning
# into a list item. Never parentheses: `\(…\)` is inline math for pymdownx.arithmatex.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}|#!.+-])")
STYLE = re.compile(r"(<style\b.*?</style>)", re.S | re.I)
ALIGN = set("<>=^")
MAX_SPEC_NUMBER = 100  # width and precision: wider than any number a page shows
GROUPED_FROM = 1_000  # a lone number groups its thousands (1,797); one in a list does not: commas separate items
LARGEST_WRITTEN_OUT = 1e15  # beyond this, digits written out stop being readable: Python's exponent
EXACT_WHOLE = 2**53  # a whole float below this is an exact integer, shown with all its digits
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NEGATIVE_ZERO = re.compile(r"^-(?=0(\.0*)?(e[+-]?\d+)?%?$)")


class FormatError(ValueError):
    pass


def format_value(value: dict[str, Any], spec: str | None = None, *, as_code: bool = True) -> str:
    """The text a reader sees for an inline value, formatted with a Python format spec.

    Strings are shown as Python shows them (`'rbf'`, `['cooking', 'sport']`) unless a spec asks
    for plain text (`:s`); `is_code` says which, so prose can set the first as code. `as_code=False`
    gives the text itself, for an attribute (a link's target is the URL, not its repr).
    """
    kind = value["kind"]
    quoted = as_code and is_code(value, spec)
    if kind == "scalar":
        return visible(_format_scalar(value["value"], spec, quoted=quoted))
    if kind == "list":
        return visible(_format_sequence(value, spec, quoted=quoted))
    if kind in BLOCK_KINDS:
        raise FormatError(f"is a {_block_name(kind)}: put the placeholder on a line of its own")
    if kind == "notebook":
        raise FormatError("is the executed notebook, published as its own page: link to it, or show one of its values")
    if value.get("reason"):
        raise FormatError(f"cannot be shown: {value['reason']}")
    raise FormatError(f"is a {value['type']}, which a page cannot show; compute a number, list or estimator from it")


def visible(text: str) -> str:
    """Control characters and bidi overrides as their escapes (`\\x00`, `\\u202e`), as `repr` shows them:
    raw, a NUL makes the page a binary file and an override reverses the text around it."""
    return INVISIBLE.sub(lambda match: match[0].encode("unicode_escape").decode("ascii"), text)


def is_code(value: dict[str, Any], spec: str | None) -> bool:
    """Whether prose shows an inline value as code: a string, or a list holding one, without a spec.

    `kernel` = `'rbf'` reads as the Python it is, as in the set-vs-learned tables; a spec (`:s`)
    asks for the text itself, for words that are prose ("sport", "petal width (cm)").
    """
    return spec is None and _holds_text(value.get("value") if value["kind"] == "scalar" else value)


def _holds_text(node: Any) -> bool:
    if isinstance(node, dict):
        return any(_holds_text(item) for item in node.get("items", ()))
    return isinstance(node, str)


def _format_sequence(node: dict[str, Any], spec: str | None, *, quoted: bool) -> str:
    """A list, tuple or array inline, each level cut to its ends: `[0, 1, 2, …, 98, 99] (100 values)`;
    a cut matrix says its shape once, after it: `[[1, 1, 1, …, 1, 1], …] (shape (2000, 2000))`."""
    shape = _shape(node)
    ragged = len(shape) == 1 and any(isinstance(item, dict) for item in node["items"])
    text, cut = _sequence_text(node, spec, quoted=quoted, rows_say_length=ragged)
    if not cut:
        return text
    return text + (f" ({node['length']:,} values)" if len(shape) == 1 else f" (shape {shape})")


def _sequence_text(
    node: dict[str, Any], spec: str | None, *, quoted: bool, rows_say_length: bool = False
) -> tuple[str, bool]:
    """The text of a sequence without its length, and whether any level of it was cut. Rows of
    unequal lengths (a list of arrays) have no shape to say: each cut row says its own length."""
    items, cut = [], False
    for item in node["items"]:
        if isinstance(item, dict) and rows_say_length:
            items.append(_format_sequence(item, spec, quoted=quoted))
        elif isinstance(item, dict):
            text, inner_cut = _sequence_text(item, spec, quoted=quoted)
            items.append(text)
            cut = cut or inner_cut
        else:
            items.append(_format_scalar(item, spec, quoted=quoted, grouped=False))
    length = node["length"]
    opening, closing = "()" if node.get("tuple") else "[]"
    if length > SHOWN_ITEMS or len(items) < length:
        return opening + ", ".join(items[:3]) + ", …, " + ", ".join(items[-2:]) + closing, True
    return opening + ", ".join(items) + ("," if length == 1 and opening == "(" else "") + closing, cut


def _shape(node: dict[str, Any]) -> tuple[int, ...]:
    """(rows, columns, …) while every item of a level is a sequence of one length; (length,) otherwise."""
    items = node["items"]
    if items and all(isinstance(item, dict) for item in items):
        inner = {_shape(item) for item in items}
        if len(inner) == 1:
            return (node["length"], *inner.pop())
    return (node["length"],)


def rounded(value: float, *, grouped: bool = True) -> str:
    """A float in the site's number style (CONTRIBUTING.md): 4 significant digits, in prose and tables alike.

    Python's `.4g` writes 13,800 as `1.38e+04`: a number that size is written out, its thousands
    grouped unless it sits in a list. Small numbers keep Python's exponent (`6.4e-07`), as in the
    code that sets them. Never "-0".
    """
    if value.is_integer() and abs(value) < EXACT_WHOLE:
        return whole(int(value), grouped=grouped)  # a count held as a float: every digit is exact
    text = format(value, ".4g")
    if abs(value) < LARGEST_WRITTEN_OUT and ("e+" in text or (grouped and abs(value) >= GROUPED_FROM)):
        text = format(float(text), ",.0f" if grouped else ".0f")  # 4 significant digits leave no decimals here
    elif text.lstrip("-").isdigit() and abs(float(text)) < 1_000:
        text = format(value, "#.4g")  # 0.99996 is `1.000`, never `1`, which would read as exact
    return positive_zero(text)


def whole(value: int, *, grouped: bool = True) -> str:
    """An int in the site's number style: thousands grouped (`13,800`), unless it sits in a list."""
    return format(value, ",") if grouped and abs(value) >= GROUPED_FROM else str(value)


def _format_scalar(item: Any, spec: str | None, *, quoted: bool = False, grouped: bool = True) -> str:
    if spec is None:
        return code_text(item, grouped=grouped) if quoted or not isinstance(item, str) else str(item)
    _check_spec_size(spec)
    try:
        return positive_zero(format(item, spec))
    except (ValueError, TypeError) as error:
        raise FormatError(f"format spec {spec!r} does not apply to {type(item).__name__} {item!r}: {error}") from None


def _check_spec_size(spec: str) -> None:
    """Refuse a width or precision no page needs (`>30000000` would build a 30 MB string), before formatting."""
    rest = spec[2:] if spec[1:2] in ALIGN else spec[1:] if spec[:1] in ALIGN else spec  # the fill may be a digit
    width, _, precision = rest.partition(".")
    for what, digits in (("width", re.search(r"\d+", width)), ("precision", re.match(r"\d+", precision))):
        if digits and int(digits[0]) > MAX_SPEC_NUMBER:
            raise FormatError(
                f"format spec {spec!r}: {what} {int(digits[0])} is more than {MAX_SPEC_NUMBER},"
                " the most a format spec may ask for"
            )


def positive_zero(text: str) -> str:
    """Show a value that rounds to zero as zero: the sign in "-0.00" tells the reader nothing."""
    return NEGATIVE_ZERO.sub("", text)


def _block_name(kind: str) -> str:
    return {"table": "set-vs-learned table", "figure": "figure", "output": "printed output"}[kind]


def markdown_text(text: str) -> str:
    """Text that Markdown will show exactly as it is: HTML-escaped, markup characters escaped.

    A `%{` in it becomes `&#37;{`, as in `html_text`: after the markup characters are escaped,
    which would turn the entity's `#` into `\\#`.
    """
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("%\\{", "&#37;\\{")


def heading_text(text: str) -> str:
    """`markdown_text` for a heading, which Markdown ends at a line break: each break shows as a
    space, as HTML shows it in a paragraph, so the heading and its `{ #anchor }` stay whole.
    """
    return markdown_text(" ".join(text.splitlines()))


def html_text(text: str) -> str:
    """A value as HTML text. Escaped, and a `%{` in it as `&#37;{`: the reader sees it as it is, and the
    check for placeholders that reached the HTML unexpanded does not take it for one of the page's own.
    """
    return literal_braces(html.escape(text))


def attribute_text(text: str) -> str:
    """`html_text` for an attribute's value: whitespace as character references, so that a value in an
    unquoted attribute (`<a href=%{s.url}>`, raw HTML) stays that attribute's value and adds no other.
    """
    return re.sub(r"[\t\n\f\r ]", lambda match: f"&#{ord(match[0])};", html_text(text))


def literal_braces(markup: str) -> str:
    """`%{` in HTML as `&#37;{`, which reads the same."""
    return markup.replace("%{", "&#37;{")


def format_block(value: dict[str, Any], spec: str | None, key: str) -> str:
    """The HTML of a block value: a set-vs-learned table, a figure or an output block."""
    kind = value["kind"]
    if kind == "table":
        return _table(value)
    if kind == "figure":
        if not spec or not spec.strip():
            raise FormatError(f"is a figure and needs alt text: %{{{key}:What the figure shows}}")
        if problem := svg_problem(value["svg"]):  # here, so a figure read from the cache is checked too
            raise FormatError(f"is a figure that {problem}")
        return _figure(value["svg"], spec.strip())
    if kind == "output":
        if not value["text"]:
            raise FormatError("is empty: the snippet printed nothing")
        return output_block(value["text"], "Output")
    raise FormatError(f"is inline text, not a block; use it inside a sentence (spec {spec!r})")


def output_block(text: str, title: str) -> str:
    """Text in the markup pymdownx.highlight gives a titled code block, so Material styles it."""
    return (
        f'<div class="language-text highlight livevalues-output"><span class="filename">{html.escape(title)}</span>'
        f"<pre><span></span><code>{html.escape(text)}</code></pre></div>"
    )


# The site's taxonomy (docs/index.md#taxonomy) for what `get_params()` lists: a setting is a
# hyperparameter unless it is named here. Seeds change the result without being tuned;
# computational settings change speed, memory or output, never what is learned; `warm_start`
# decides where a repeated `fit` starts. "Estimator.name" is for a name whose kind differs between
# estimators (`algorithm` only says how a neighbour search runs, but is a model choice elsewhere).
SETTING_KINDS = {
    "random_state": "seed",
    "warm_start": "workflow setting",
    **dict.fromkeys(
        [
            "cache_size", "copy", "copy_X", "copy_x", "memory", "n_jobs", "pre_dispatch", "precompute",
            "verbose", "verbose_interval",
            # SVC and friends: a speed heuristic, and the shape decision_function returns.
            "shrinking", "decision_function_shape",
            *(f"{estimator}.{name}" for estimator in NEIGHBOUR_SEARCHES for name in ("algorithm", "leaf_size")),
            "KMeans.algorithm",
        ],
        "computational setting",
    ),
}  # fmt: skip
HYPERPARAMETER = "hyperparameter"
# Defaults that are markers, not values: what the table says instead of showing them bare.
SENTINEL_NOTES = {
    "'deprecated'": "a marker, not a value: this parameter is deprecated and passing it at all warns",
    "'warn'": "a marker, not a value: the default is changing and leaving it unset warns",
}


def setting_kind(estimator: str, name: str) -> str:
    """What the taxonomy calls a constructor argument: hyperparameter, seed, computational or workflow setting."""
    return SETTING_KINDS.get(f"{estimator}.{name}") or SETTING_KINDS.get(name, HYPERPARAMETER)


def _table(value: dict[str, Any]) -> str:
    """Set beside learned: changed settings shown, the ones left at their default folded (count shown)."""
    name = html.escape(value["estimator"])
    changed = [row for row in value["params"] if row["changed"]]
    defaults = [row for row in value["params"] if not row["changed"]]
    changed_rows = (
        "".join(
            f"<tr><td><code>{html.escape(row['name'])}</code></td><td>{_setting(row['value'])}</td>"
            f"<td>{_setting(row['default'])}</td><td>{setting_kind(value['estimator'], row['name'])}</td></tr>"
            for row in changed
        )
        or '<tr><td colspan="4">none: every setting is left at its default</td></tr>'
    )
    default_rows = "".join(
        f"<tr><td><code>{html.escape(row['name'])}</code></td><td>{_setting(row['default'])}</td>"
        f"<td>{setting_kind(value['estimator'], row['name'])}</td></tr>"
        for row in defaults
    )
    folded = (
        f'<details class="livevalues-defaults"><summary>{len(defaults)} setting{"s" if len(defaults) != 1 else ""}'
        f" left at {'their' if len(defaults) != 1 else 'its'} default</summary>"
        f"<table><thead><tr><th>Name</th><th>Default</th><th>Kind</th></tr></thead><tbody>{default_rows}</tbody></table>"
        "</details>"
        if defaults
        else ""
    )
    learned = (
        "".join(
            f"<tr><td><code>{html.escape(row['name'])}</code></td><td>{html.escape(row['shape'])}</td>"
            f"<td>{_sample_cell(row)}</td></tr>"
            for row in value["learned"]
        )
        or '<tr><td colspan="3">nothing: the estimator is not fitted</td></tr>'
    )
    return (
        f'<div class="livevalues-set-learned"><div class="livevalues-set">'
        f"<table><caption>Set: <code>{name}.get_params()</code>, {len(changed)} changed from the default</caption>"
        f"<thead><tr><th>Name</th><th>Value</th><th>Default</th><th>Kind</th></tr></thead><tbody>{changed_rows}</tbody></table>"
        f"{folded}</div>"
        f'<div class="livevalues-learned"><table><caption>Set by <code>fit</code>: fitted attributes, the learned'
        " parameters prediction reads and diagnostics it does not</caption>"
        f"<thead><tr><th>Attribute</th><th>Shape</th><th>Values</th></tr></thead><tbody>{learned}</tbody></table>"
        f"</div></div>"
    )


def _setting(text: str) -> str:
    """A setting's value as code, with what a marker default (`'deprecated'`) means beside it."""
    note = SENTINEL_NOTES.get(text)
    cell = f"<code>{html.escape(text)}</code>" if text else ""
    return cell + (f'<br><span class="livevalues-note">{html.escape(note)}</span>' if note else "")


def _sample_cell(row: dict[str, Any]) -> str:
    if "sample" not in row:
        return ""
    return f'<code class="livevalues-sample">{html.escape(sample_text(row["sample"]))}</code>'


def sample_text(node: Any, indent: int = 0) -> str:
    """A table's sample of a value as Python would print it, each row of a matrix on its own line.

    A level cut short ends in "…"; the shape beside it says how much there is.
    """
    if not isinstance(node, dict):
        return code_text(node, grouped=indent == 0)
    opening, closing = "()" if node["tuple"] else "[]"
    parts = [sample_text(item, indent + 1) for item in node["items"]]
    if len(parts) < node["length"]:
        parts.append("…")
    rows = any(isinstance(item, dict) for item in node["items"])
    separator = ",\n" + " " * (indent + 1) if rows else ", "
    return opening + separator.join(parts) + ("," if node["length"] == 1 and node["tuple"] else "") + closing


def code_text(value: Any, *, grouped: bool = True) -> str:
    """A scalar as a table (or prose, as code) shows it: numbers in the site's style, strings quoted as Python quotes them."""
    if isinstance(value, float):
        return rounded(value, grouped=grouped)
    if isinstance(value, int) and not isinstance(value, bool):
        return whole(value, grouped=grouped)
    return repr(value) if isinstance(value, str) else str(value)


def _figure(svg: str, alt: str) -> str:
    # Text in the figure (a title, a label) is a value too; a <style> holds CSS, where no entity is read.
    svg = "".join(part if part.startswith("<style") else literal_braces(part) for part in STYLE.split(svg))
    return f'<figure class="livevalues-figure">{labelled(svg, alt)}</figure>'


def labelled(svg: str, alt: str) -> str:
    """The SVG with its alt text as its accessible name: role, aria-label and a <title> (a notebook's figures too)."""
    label = html.escape(alt)
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-label="{label}"', svg, count=1)
    return svg.replace(">", f"><title>{label}</title>", 1)


def summarize_block(value: dict[str, Any], spec: str | None) -> str:
    """A block as plain text, for snapshots whose diffs a reviewer can read."""
    kind = value["kind"]
    if kind == "table":
        estimator = value["estimator"]
        params = [
            f"set {row['name']} = {row['value']}" + (" (changed)" if row["changed"] else "")
            + f" [{setting_kind(estimator, row['name'])}]"
            + (f" ({SENTINEL_NOTES[row['value']]})" if row["value"] in SENTINEL_NOTES else "")
            for row in value["params"]
        ]  # fmt: skip
        learned = [
            f"learned {row['name']} {row['shape']}" + (f" {sample_text(row['sample'])}" if "sample" in row else "")
            for row in value["learned"]
        ]
        return "\n".join([estimator, *params, *learned])
    if kind == "figure":
        return f"figure: {spec}"
    return str(value.get("text", ""))
