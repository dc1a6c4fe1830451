"""Finding placeholders: where they count, where they are left alone, and what is malformed."""

from __future__ import annotations

import re

import pytest
from livevalues import find_includes, find_leftovers, find_placeholders
from livevalues.syntax import find_include_targets, heading_lines


@pytest.mark.parametrize(
    ("markdown", "keys"),
    [
        ("Kept %{svm.n_support} vectors.", ["svm.n_support"]),
        ("Rate %{sgd.eta:.3f} and %{sgd.t:,}.", ["sgd.eta", "sgd.t"]),
        ("Inline `%{svm.n_support}` code is left alone.", []),
        ("Double ``a ` %{svm.x} `` span too.", []),
        ("```python\nprint('%{svm.x}')\n```\nafter %{svm.y}", ["svm.y"]),
        ("~~~\n%{svm.x}\n~~~", []),
        ("!!! note\n    In an admonition: %{svm.x}\n", ["svm.x"]),
        ("!!! note\n    ```text\n    %{svm.x}\n    ```\n    %{svm.y}\n", ["svm.y"]),
        ("````md\n```\n%{svm.x}\n```\n````\n%{svm.y}", ["svm.y"]),
        ("```\nunclosed %{svm.x}", []),
        ("Math $x_{1}$ and {{ jinja }} and {% tag %} and {: .attr } stay.", []),
        ("A `code` span then %{svm.x} then `more`.", ["svm.x"]),
    ],
)
def test_finds_placeholders_outside_code(markdown: str, keys: list[str]) -> None:
    found, malformed = find_placeholders(markdown)
    assert [placeholder.key for placeholder in found] == keys
    assert malformed == []


# Indented code blocks, and the containers under which indented text is prose (Python-Markdown's
# rules: content is indented 4 under an admonition, a details block, a tab, a list item or a
# footnote; code is indented 4 more than that, after a blank line, a heading or a container's first line).
INDENTED = {
    "top level": "Para\n\n    %{a.x1}\n",
    "lazy continuation": "Para\n    %{a.x1}\n",
    "first line": "    %{a.x1}\n",
    "after a heading": "# Title\n    %{a.x1}\n",
    "code, then prose, then code": "Para\n\n    %{a.x1}\n\n%{a.x2}\n\n    %{a.x3}\n",
    "a fence inside indented code": "Para\n\n    ```\n    %{a.x1}\n    ```\n\n%{a.x2}\n",
    "tabs": "!!! note\n\t%{a.x1}\n\n\t\t%{a.x2}\n",
    "admonition": "!!! note\n    %{a.x1}\n\n        %{a.x2}\n\n    %{a.x3}\n",
    "admonition, code on its first line": "!!! note\n        %{a.x1}\n",
    "admonition, blank first": "!!! note\n\n    %{a.x1}\n\n        %{a.x2}\n",
    "admonition ended by a less indented line": "!!! note\n    text\n%{a.x1}\n\n    %{a.x2}\n",
    "details": '??? note "Title"\n    %{a.x1}\n\n        %{a.x2}\n',
    "details, open": "???+ note\n    %{a.x1}\n\n        %{a.x2}\n",
    "tab": '=== "Tab"\n\n    %{a.x1}\n\n        %{a.x2}\n',
    "admonition in a tab": '=== "Tab"\n\n    !!! note\n\n        %{a.x1}\n\n            %{a.x2}\n',
    "list item": "- item %{a.x1}\n\n    %{a.x2}\n\n        %{a.x3}\n",
    "list item, lazy line": "- item\n%{a.x1}\n\n    %{a.x2}\n",
    "list ended": "- item\n\n%{a.x1}\n\n    %{a.x2}\n",
    "two list items": "- one\n- two\n\n    %{a.x1}\n",
    "ordered list": "1. item\n\n    %{a.x1}\n\n        %{a.x2}\n",
    "list in an admonition": "!!! note\n    - item\n\n        %{a.x1}\n\n            %{a.x2}\n",
    "after a list in an admonition": "!!! note\n    - item\n\n    %{a.x1}\n\n        %{a.x2}\n",
    "footnote": "Text[^1]\n\n[^1]: note\n\n    %{a.x1}\n\n        %{a.x2}\n",
    "fence in an admonition": "!!! note\n    ```text\n    %{a.x1}\n    ```\n    %{a.x2}\n",
    "right after a fence": "Para\n\n```\nx\n```\n    %{a.x1}\n",
    "after a rule that looks like a list item": "- - -\n\n    %{a.x1}\n",
    "after a setext heading": "Title\n-----\n    %{a.x1}\n",
}


@pytest.mark.parametrize("markdown_text", INDENTED.values(), ids=INDENTED.keys())
def test_indented_code_is_code_where_python_markdown_says_so(markdown_text: str) -> None:
    """The real Python-Markdown, with the containers the site uses, decides what is code."""
    import markdown

    extensions = ["admonition", "attr_list", "md_in_html", "footnotes", "pymdownx.details", "pymdownx.superfences"]
    html = markdown.markdown(markdown_text, extensions=[*extensions, "pymdownx.tabbed"])
    in_code = {key for code in re.findall(r"<code>(.*?)</code>", html, re.S) for key in re.findall(r"a\.x\d", code)}
    every = re.findall(r"a\.x\d", markdown_text)
    found, _ = find_placeholders(markdown_text)
    assert [placeholder.key for placeholder in found] == [key for key in every if key not in in_code]


def test_reports_spec_line_and_whether_alone() -> None:
    found, _ = find_placeholders("# Title\n\ntext %{a.b:.2%} here\n\n  %{a.table}\n")
    assert [(p.key, p.spec, p.line, p.alone) for p in found] == [("a.b", ".2%", 3, False), ("a.table", None, 5, True)]


@pytest.mark.parametrize("text", ["%{svm}", "%{svm.}", "%{ svm.x }", "%{svm.x", "%{1svm.x}", "%{svm.x.y}"])
def test_malformed_placeholders_are_reported_with_their_line(text: str) -> None:
    found, malformed = find_placeholders(f"line one\n{text} here\n")
    assert found == []
    assert [bad.line for bad in malformed] == [2]
    assert malformed[0].text.startswith(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("%{svm}", "missing .name: write %{svm.name}"),
        ("%{svm.}", "the value name after the dot is empty"),
        ("%{.x}", "the snippet name before the dot is empty"),
        ("%{}", "empty: write %{snippet.name}"),
        ("%{ svm.x }", "spaces are not allowed around the names"),
        ("%{svm.x", "unclosed: no } before the end of the line"),
        ("%{1svm.x}", "'1svm' starts with a digit"),
        ("%{svm.x.y}", "one dot only, between the snippet and the value name"),
        ("%{café.x}", "'café' has the non-ASCII character 'é'"),
        ("%{svm.n-support}", "'n-support' has the character '-'"),
        ("%{svm.x:{y}", "the format spec after ':' cannot hold { or }"),
    ],
)
def test_malformed_placeholders_say_why(text: str, reason: str) -> None:
    _, (malformed,) = find_placeholders(f"{text} here\n")
    assert reason in malformed.reason
    if "character" in reason or "digit" in reason:
        assert "names are ASCII Python identifiers: letters, digits and underscores" in malformed.reason


def test_finds_included_snippet_files() -> None:
    markdown = '```python\n--8<-- "svm.py:fit"\n```\n\n--8<-- "notes.md"\n--8<-- "a.py:1:3"\n'
    assert find_includes(markdown) == [("svm.py", 2), ("notes.md", 5), ("a.py", 6)]


def test_include_targets_as_pymdownx_snippets_reads_them() -> None:
    markdown = (
        '--8<-- "a.py:fit"\n'
        ';--8<-- "escaped.py"\n'
        '--8<-- "trailing_space.py" \n'
        "--8<--\n"
        "b.md\n"
        ";commented_out.md\n"
        '--8<-- "inline_in_a_block.md"\n'
        "--8<--\n"
        "--8<-- 'c.py:1:3,5:6'\n"
        '    --8<-- "Indented.py:Mixed_Case-1"\n'
    )
    found = [(include.path, include.section, include.line) for include in find_include_targets(markdown)]
    assert found == [("a.py", "fit", 1), ("b.md", None, 5), ("c.py", None, 9), ("Indented.py", "Mixed_Case-1", 10)]


def test_leftovers_ignore_code_but_not_prose() -> None:
    html = "<p>shown %{a.b}</p><pre><code>%{c.d}</code></pre><p><code>%{e.f}</code></p>"
    assert find_leftovers(html) == ["%{a.b}"]


@pytest.mark.parametrize(
    ("markdown", "lines"),
    [
        ("# Title\n\ntext\n## Sub %{a.b}\n", {1, 4}),
        ("   ### indented three\n    #### four spaces is code\n", {1}),
        ("#hashtag is not a heading\n#\n", {2}),
        ("Setext title\n===\n\nSecond\n---\n", {1, 4}),
        ("\n---\n\ntext\n\n---\n", set()),  # rules after blank lines, not underlines
        ("| a | b |\n|---|---|\n", set()),
    ],
)
def test_heading_lines(markdown: str, lines: set[int]) -> None:
    assert heading_lines(markdown) == lines
