"""Format a captured value for a page: inline text for Markdown, or a block of HTML."""

from __future__ import annotations

import html
import re
from typing import Any

from livevalues.safety import svg_problem

BLOCK_KINDS = {"table", "figure", "output"}
SHOWN_ITEMS = 8  # longer lists show their ends and their length
# Characters Python-Markdown would read as markup; a backslash makes each one literal.
# Escaping `.`, `-` and `+` keeps a value that starts a line ("0. For…", "-1 is") from turning
# into a list item. Never parentheses: `\(…\)` is inline math for pymdownx.arithmatex.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}|#!.+-])")
STYLE = re.compile(r"(<style\b.*?</style>)", re.S | re.I)
ALIGN = set("<>=^")
MAX_SPEC_NUMBER = 100  # width and precision: wider than any number a page shows
NEGATIVE_ZERO = re.compile(r"^-(?=0(\.0*)?(e[+-]?\d+)?%?$)")


class FormatError(ValueError):
    pass


def format_value(value: dict[str, Any], spec: str | None = None) -> str:
    """The text a reader sees for an inline value, formatted with a Python format spec."""
    kind = value["kind"]
    if kind == "scalar":
        return _format_scalar(value["value"], spec)
    if kind == "list":
        items = [_format_scalar(item, spec) for item in value["items"]]
        length = value["length"]
        opening, closing = "()" if value.get("tuple") else "[]"
        if length > SHOWN_ITEMS or len(items) < length:
            return opening + ", ".join(items[:3]) + ", …, " + ", ".join(items[-2:]) + f"{closing} ({length:,} values)"
        return opening + ", ".join(items) + ("," if length == 1 and opening == "(" else "") + closing
    if kind in BLOCK_KINDS:
        raise FormatError(f"is a {_block_name(kind)}: put the placeholder on a line of its own")
    if kind == "notebook":
        raise FormatError("is the executed notebook, published as its own page: link to it, or show one of its values")
    if value.get("reason"):
        raise FormatError(f"cannot be shown: {value['reason']}")
    raise FormatError(f"is a {value['type']}, which a page cannot show; compute a number, list or estimator from it")


def rounded(value: float) -> str:
    """A float at the site's default precision, 4 significant digits, in prose and tables alike; never "-0"."""
    return positive_zero(format(value, ".4g"))


def _format_scalar(item: Any, spec: str | None) -> str:
    if spec is None:
        return rounded(item) if isinstance(item, float) else str(item)
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


def _table(value: dict[str, Any]) -> str:
    name = html.escape(value["estimator"])
    params = "".join(
        "<tr{cls}><td><code>{name}</code></td><td><code>{value}</code></td><td><code>{default}</code></td></tr>".format(
            cls=' class="livevalues-changed"' if row["changed"] else "",
            name=html.escape(row["name"]),
            value=html.escape(row["value"]),
            default=html.escape(row["default"]),
        )
        for row in value["params"]
    )
    learned = (
        "".join(
            f"<tr><td><code>{html.escape(row['name'])}</code></td><td>{html.escape(row['shape'])}</td>"
            f"<td><code>{html.escape(row['sample'])}</code></td></tr>"
            for row in value["learned"]
        )
        or '<tr><td colspan="3">nothing: the estimator is not fitted</td></tr>'
    )
    return (
        f'<div class="livevalues-set-learned">'
        f"<table><caption>Set: <code>{name}.get_params()</code>, changed from the default in bold</caption>"
        f"<thead><tr><th>Setting</th><th>Value</th><th>Default</th></tr></thead><tbody>{params}</tbody></table>"
        f"<table><caption>Learned by <code>fit</code>: attributes ending in <code>_</code></caption>"
        f"<thead><tr><th>Attribute</th><th>Shape</th><th>Values</th></tr></thead><tbody>{learned}</tbody></table>"
        f"</div>"
    )


def _figure(svg: str, alt: str) -> str:
    label = html.escape(alt)
    # Text in the figure (a title, a label) is a value too; a <style> holds CSS, where no entity is read.
    svg = "".join(part if part.startswith("<style") else literal_braces(part) for part in STYLE.split(svg))
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-label="{label}"', svg, count=1)
    svg = svg.replace(">", f"><title>{label}</title>", 1)
    return f'<figure class="livevalues-figure">{svg}</figure>'


def summarize_block(value: dict[str, Any], spec: str | None) -> str:
    """A block as plain text, for snapshots whose diffs a reviewer can read."""
    kind = value["kind"]
    if kind == "table":
        params = [
            f"set {row['name']} = {row['value']}" + (" (changed)" if row["changed"] else "") for row in value["params"]
        ]
        learned = [f"learned {row['name']} {row['shape']} {row['sample']}" for row in value["learned"]]
        return "\n".join([value["estimator"], *params, *learned])
    if kind == "figure":
        return f"figure: {spec}"
    return str(value.get("text", ""))
