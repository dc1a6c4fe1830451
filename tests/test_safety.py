"""What a value may become in a page: links to http, https or relative URLs; figures that cannot run script."""

from __future__ import annotations

import pytest
from livevalues.render import FormatError, format_block
from livevalues.safety import safe_url, svg_problem

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10pt" height="10pt">{}</svg>'


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a?b=c#d", True),
        ("HTTP://example.org", True),
        ("//example.org/protocol-relative", True),
        ("../relative/page/", True),
        ("/absolute/path:with-colon", True),
        ("#anchor", True),
        ("page.html?q=a:b", True),
        ("", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" java\tscript:alert(1)", False),  # browsers drop tabs and newlines, and leading spaces
        ("java\nscript:alert(1)", False),
        ("\x00javascript:alert(1)", False),
        ("vbscript:msgbox(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("file:///etc/passwd", False),
        ("mailto:someone@example.org", False),
    ],
)
def test_safe_urls(url: str, safe: bool) -> None:
    assert safe_url(url) is safe


@pytest.mark.parametrize(
    ("inside", "reason"),
    [
        ('<a xlink:href="javascript:alert(1)"><path d="M0 0"/></a>', "links to 'javascript:alert(1)'"),
        ('<a href="java&#9;script:alert(1)"><path d="M0 0"/></a>', "links to 'java\\tscript:alert(1)'"),
        ("<script>alert(1)</script>", "has a <script> element"),
        ('<g onload="alert(1)"/>', "has an onload attribute"),
        ('<g xmlns:x="http://www.w3.org/2000/svg" x:onclick="alert(1)"/>', "has an onclick attribute"),
        ("<foreignObject><div>x</div></foreignObject>", "has a <foreignObject> element"),
        ('<set attributeName="href" to="javascript:alert(1)"/>', "has a <set> element"),
        ('<animate attributeName="href" values="javascript:alert(1)"/>', "has a <animate> element"),
        ('<g><p><img src="x" onerror="alert(1)"/></p></g>', "has a <p> element"),  # leaves the SVG in HTML
        ('<image href="data:image/svg+xml;base64,PHN2Zz4="/>', "links to 'data:image/svg+xml;base64,PHN2Zz4='"),
        ("<!--><script>alert(1)</script>-->", "a comment that HTML would read differently"),
        ("<![CDATA[ x ]]>", "a declaration"),
        ("<?xml-stylesheet href='x.css'?>", "a processing instruction"),
        ("<g>", "is not well-formed SVG"),
    ],
)
def test_svg_that_could_run_script_is_refused(inside: str, reason: str) -> None:
    problem = svg_problem(SVG.format(inside))
    assert problem is not None
    assert reason in problem


def test_svg_matplotlib_writes_passes() -> None:
    """Comments, styles, raster images and http(s) links, as matplotlib writes them."""
    inside = (
        '<!-- 1.0 - - 2.0 &lt;b&gt; -->\n<style type="text/css">#t *{stroke-linejoin: round}</style>'
        '<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>'
        '<a xlink:href="https://example.org" target="_blank"><path d="M0 0" clip-path="url(#p1)"/></a>'
        '<image xlink:href="data:image/png;base64,\niVBORw0KGgo="/><use xlink:href="#m1"/>'
    )
    assert svg_problem(SVG.format(inside)) is None


def test_a_cached_figure_is_checked_where_it_becomes_html() -> None:
    """A result read back from the cache goes through the same check as a fresh one."""
    value = {"kind": "figure", "svg": SVG.format('<a xlink:href="javascript:alert(1)"><path d="M0 0"/></a>')}
    with pytest.raises(FormatError, match="links to 'javascript:alert\\(1\\)'"):
        format_block(value, "A line", "t.figure")
