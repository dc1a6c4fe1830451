"""Notebooks (docs/notebooks/*.py, jupytext percent format) run through the same engine as snippets:
every cell runs, errors name the notebook, cell and line, a hang times out, an unchanged notebook
comes from the cache, and the site publishes each one executed, with its plots, for download.
"""

from __future__ import annotations

import html
import importlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import DOCS, FIXTURES, REPO_PATH, ROOT, FixtureSite, ServedSite, build_fixture, build_site, make_project
from livevalues import Build, Cache, notebook

nbformat: Any = importlib.import_module("nbformat")  # untyped: mypy --strict would refuse its calls
NOTEBOOKS = sorted(path.stem for path in (DOCS / "notebooks").glob("[!_]*.py"))
BROKEN = FIXTURES / "notebooks_broken"
# The mkdocs-jupyter settings of the real mkdocs.yml, for small fixture sites.
JUPYTER = f"""plugins:
  - mkdocs-jupyter:
      include: ["*.ipynb"]
      ignore: ["*.md", "*.py"]
      execute: false
      allow_errors: false
      include_source: true
      cache: false
      custom_mathjax_url: "data:text/javascript,"
      html_exporter_options: {{skip_svg_encoding: true}}
      custom_template: {ROOT / "hooks" / "notebook.html.j2"}
"""


def url_of(name: str) -> str:
    return f"notebooks/{name.replace('_', '-')}/"


def executed(build: Build, name: str) -> Any:
    text = build.executed_notebooks()[name]
    assert text is not None, f"notebook {name} failed: {build.results[name].error}"
    notebook = nbformat.reads(text, as_version=4)
    nbformat.validate(notebook)
    return notebook


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_cell_runs_and_has_its_outputs(rendered: Build, name: str) -> None:
    notebook = executed(rendered, name)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    figures = [output.data for cell in code for output in cell.outputs if "image/svg+xml" in output.get("data", {})]
    assert len(figures) >= 3  # the plots are in the notebook, not only in the reader's imagination
    for figure in figures:  # each with its alt text: as the SVG's accessible name, and as its plain text
        assert figure["image/svg+xml"].startswith(f'<svg role="img" aria-label="{html.escape(figure["text/plain"])}"')
        assert "currentColor" in figure["image/svg+xml"]  # text in the page's colour: it follows the scheme
    texts = json.dumps([cell.outputs for cell in code])
    assert "Traceback" not in texts
    assert not re.search(r" at 0x[0-9a-f]+>", texts), "an output shows a memory address: it changes every run"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_opens_with_a_title_and_a_definition(name: str) -> None:
    """Like every page: an H1, then a one-sentence definition in bold (the first markdown cell)."""
    source = (DOCS / "notebooks" / f"{name}.py").read_text(encoding="utf-8")
    assert re.match(r"# %% \[markdown\]\n# # .+\n#\n# \*\*", source), source[:200]


def test_notebook_values_reach_pages(rendered: Build) -> None:
    shown = rendered.pages["edge-cases/learning-rate-schedules.md"].shown
    assert shown["%{exploring_learning_rate_schedules.n_power_t}"] == "5"
    assert rendered.pages["edge-cases/gmm-number-of-components.md"].problems == []


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory: pytest.TempPathFactory) -> FixtureSite:
    return build_fixture(tmp_path_factory.mktemp("notebooks"), BROKEN, extra_config=JUPYTER)


@pytest.fixture(scope="module")
def broken(broken_site: FixtureSite) -> Build:
    return broken_site.build


def problem(build: Build, notebook: str) -> str:
    (found,) = [str(p) for p in build.problems if p.location.startswith(f"docs/notebooks/{notebook}.py")]
    return found


def test_an_error_names_the_notebook_the_cell_and_the_line(broken: Build) -> None:
    text = problem(broken, "raises")
    assert text.startswith(
        "docs/notebooks/raises.py:13: notebook failed at docs/notebooks/raises.py:13:"
        " in code cell 2 (In [2]): ZeroDivisionError: division by zero"
    )
    assert "docs/notebooks/raises.py:13 in <module>\n        value = value / zero" in text
    assert broken.executed_notebooks()["raises"] is None


def test_a_hanging_cell_hits_the_time_limit(broken: Build) -> None:
    text = problem(broken, "hangs")
    assert text.startswith("docs/notebooks/hangs.py:12: notebook failed at docs/notebooks/hangs.py:12: in code cell 2")
    assert "timed out after 1 s" in text
    assert "# livevalues: timeout=SECONDS` in the notebook" in text


def test_a_notebook_and_a_snippet_may_not_share_a_name(broken: Build) -> None:
    assert problem(broken, "clash") == (
        "docs/notebooks/clash.py:1: notebook failed: docs/notebooks/clash.py and snippets/clash.py share the"
        " name 'clash', so %{clash.…} would be ambiguous: rename one"
    )


def test_a_figure_without_alt_text_fails_at_its_cell(broken: Build) -> None:
    assert problem(broken, "no_alt") == (
        "docs/notebooks/no_alt.py:7: notebook failed at docs/notebooks/no_alt.py:7: in code cell 1 (In [1]):"
        " FigureWithoutAltText: the cell shows 2 figure(s) and has 1 `# alt:` comment(s): give each figure its"
        " alt text, what it shows to a reader who cannot see it, in a comment `# alt: ...`, one per figure in"
        " the order the cell draws them"
    )


@pytest.mark.parametrize(
    ("source", "alts"),
    [
        ("# alt: A line.\nplot()", ["A line."]),
        ("# alt: A line\n#      rising.\nplot()  # alt: a bar chart", ["A line rising.", "a bar chart"]),
        ("# alt: A line.\n# Not alt text, a comment.", ["A line."]),  # continued only when indented
        ("# alt: A line.\n\n#    Not its continuation.", ["A line."]),  # only on the next line
        ("x = 1  # alt: inline\n#    goes on", ["inline goes on"]),
        ('text = "# alt: in a string"', []),
        ("# alt:\n# alt:   ", []),  # empty: no alt text
        ("#   an indented comment first\n# alt:\n#     given below", ["given below"]),
    ],
)
def test_alt_text_comes_from_alt_comments(source: str, alts: list[str]) -> None:
    assert notebook.alt_texts(source) == alts


def test_a_page_shows_a_notebook_value(broken: Build) -> None:
    assert broken.pages["index.md"].shown == {"%{fine.answer}": "42"}
    notebook = executed(broken, "fine")
    outputs = [cell.outputs for cell in notebook.cells if cell.cell_type == "code"]
    assert outputs[0] == [nbformat.v4.new_output("stream", name="stdout", text="printed 42\n")]
    assert [output.output_type for output in outputs[1]] == ["display_data"]
    assert outputs[2] == [nbformat.v4.new_output("execute_result", data={"text/plain": "43"}, execution_count=3)]


def fine_project(where: Path) -> Path:
    project = make_project(where, BROKEN, extra_config=JUPYTER)
    for name in ("raises", "hangs", "clash", "no_alt"):
        (project / "docs" / "notebooks" / f"{name}.py").unlink()
    return project


def test_an_unchanged_notebook_is_not_run_again(tmp_path: Path) -> None:
    project = fine_project(tmp_path / "project")
    summaries = []
    for _ in range(2):
        build = Build(project, project / "docs", cache=Cache(project / ".cache", project))
        build.run({"index.md": "%{fine.answer}"})
        summaries.append(build.summary())
    assert summaries == [
        "0 snippets: 0 run, 0 from the cache; 1 notebooks: 1 run, 0 from the cache",
        "0 snippets: 0 run, 0 from the cache; 1 notebooks: 0 run, 1 from the cache",
    ]
    notebook = project / "docs" / "notebooks" / "fine.py"
    notebook.write_text(notebook.read_text().replace("6 * 7", "6 * 8"))
    build = Build(project, project / "docs", cache=Cache(project / ".cache", project))
    build.run({"index.md": "%{fine.answer}"})
    assert build.summary().endswith("1 notebooks: 1 run, 0 from the cache")
    assert build.results["fine"].values["answer"]["value"] == 48


def test_strict_build_fails_naming_notebook_cell_and_line_and_writes_nothing(broken_site: FixtureSite) -> None:
    built, project, site = broken_site.built, broken_site.project, broken_site.site
    assert built.returncode == 1
    assert "livevalues found 4 problem(s); nothing was written" in built.log
    assert "docs/notebooks/raises.py:13: notebook failed" in built.log
    assert "in code cell 2 (In [2]): ZeroDivisionError" in built.log
    assert "docs/notebooks/hangs.py:12: notebook failed" in built.log
    assert not list(site.rglob("*.html"))
    assert not list((project / "docs").rglob("*.ipynb"))  # nothing written into the sources


def test_real_builds_run_a_notebook_once_and_publish_it(tmp_path: Path) -> None:
    project = fine_project(tmp_path / "project")
    logs = []
    for _ in range(2):
        shutil.rmtree(tmp_path / "site", ignore_errors=True)
        built = build_site(project, site_dir=tmp_path / "site")
        assert built.returncode == 0, built.log
        logs.append(re.findall(r"livevalues: (.*)", built.log))
    assert logs == [
        [
            "0 snippets: 0 run, 0 from the cache; 1 notebooks: 1 run, 0 from the cache",
            "1 notebook pages: 1 rendered, 0 from the cache",
        ],
        [
            "0 snippets: 0 run, 0 from the cache; 1 notebooks: 0 run, 1 from the cache",
            "1 notebook pages: 0 rendered, 1 from the cache",
        ],
    ]
    page = (tmp_path / "site" / "notebooks" / "fine" / "index.html").read_text()
    assert "printed 42" in page
    (figure,) = re.findall(r"<svg [^>]*aria-label=[^>]+>", page)
    assert 'role="img"' in figure
    assert 'aria-label="A straight line rising from left to right."' in figure
    assert "fine.py" not in {path.name for path in (tmp_path / "site").rglob("*")}  # the source is no page
    download = nbformat.read(tmp_path / "site" / "notebooks" / "fine" / "fine.ipynb", as_version=4)
    assert download.cells[1].outputs[0]["text"] == "printed 42\n"
    assert not list((project / "docs").rglob("*.ipynb"))


# The real site, built once with --strict for the whole session (conftest.served_site).


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_site_publishes_the_executed_notebook_with_a_download_link(served_site: ServedSite, name: str) -> None:
    folder = served_site.site_dir / url_of(name)
    page = (folder / "index.html").read_text(encoding="utf-8")
    (link,) = re.findall(r'<a href="([^"]+)" download', page)
    assert link == f"/{REPO_PATH}/{url_of(name)}{url_of(name).split('/')[1]}.ipynb"
    download = nbformat.read(folder / link.rsplit("/", 1)[1], as_version=4)
    outputs = [output for cell in download.cells for output in cell.get("outputs", [])]
    assert any("image/svg+xml" in output.get("data", {}) for output in outputs)
    assert page.count('<div class="jp-RenderedSVG') >= 3
    assert "Traceback" not in page
    assert not re.search(r"(src|href)=\"https?://(cdn|cdnjs|unpkg)", page)
    assert "mathjax@" not in page  # mkdocs-jupyter's CDN default is replaced
    assert f"edit/main/docs/notebooks/{name}.py" in page  # "edit this page" opens the source, not the output


def test_notebooks_are_linked_from_and_to_their_glossary_pages(served_site: ServedSite) -> None:
    pairs = {
        "exploring_learning_rate_schedules": "edge-cases/learning-rate-schedules/",
        "choosing_gmm_components": "edge-cases/gmm-number-of-components/",
    }
    for name, glossary in pairs.items():
        notebook = (served_site.site_dir / url_of(name) / "index.html").read_text(encoding="utf-8")
        assert f'href="../../{glossary}"' in notebook
        page = (served_site.site_dir / glossary / "index.html").read_text(encoding="utf-8")
        assert f'href="../../{url_of(name)}"' in page


def test_no_notebook_source_is_published(served_site: ServedSite) -> None:
    assert NOTEBOOKS  # there are sources that could have been
    assert not list((served_site.site_dir / "notebooks").rglob("*.py"))


def test_every_figure_has_the_alt_text_its_source_gives_it(served_site: ServedSite) -> None:
    for name in NOTEBOOKS:
        written = notebook.alt_texts((DOCS / "notebooks" / f"{name}.py").read_text(encoding="utf-8"))
        page = (served_site.site_dir / url_of(name) / "index.html").read_text(encoding="utf-8")
        figures = re.findall(r'<div class="jp-RenderedSVG[^>]*>\s*(<svg [^>]*>)', page)
        assert len(figures) == len(written) >= 3
        for figure, alt in zip(figures, written, strict=True):
            assert 'role="img"' in figure
            label = re.search(r'aria-label="([^"]*)"', figure)
            assert label is not None
            assert html.unescape(label[1]) == alt


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_output_prints_a_float_unrounded(rendered: Build, name: str) -> None:
    """`6.400000000000001e-07` is Python's repr, not what a reader should see: round what is printed."""
    code = [cell for cell in executed(rendered, name).cells if cell.cell_type == "code"]
    texts = [output.get("text") or output.get("data", {}).get("text/plain", "") for c in code for output in c.outputs]
    assert not [text for text in texts if re.search(r"\d\.\d{7,}", text)]


def test_the_notebooks_interface_is_not_in_the_search_index(served_site: ServedSite) -> None:
    """Search finds a notebook by its prose, code and outputs: not by its prompts, buttons or anchors."""
    index = json.loads((served_site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    for name in NOTEBOOKS:
        entries = [entry for entry in index["docs"] if entry["location"].startswith(url_of(name))]
        text = " ".join(entry["title"] + " " + entry["text"] for entry in entries)
        assert "import matplotlib.pyplot as plt" in text  # the code is found
        for interface in ("Copied!", "In [", "Out[", "¶", "Matplotlib v"):
            assert interface not in text, f"{interface!r} is in the search index of {url_of(name)}"
        assert text.count("import matplotlib.pyplot as plt") == 1  # not a second time, from the copy button's copy


def test_warm_builds_render_only_the_notebooks_that_changed(tmp_path: Path) -> None:
    """The rendered pages are cached on the executed notebook: a build renders what changed, and a page
    from the cache is the page a render gives."""
    project = fine_project(tmp_path / "project")
    fine = project / "docs" / "notebooks" / "fine.py"
    (project / "docs" / "notebooks" / "other.py").write_text(fine.read_text().replace("answer", "other"))

    def build(config: str = JUPYTER) -> tuple[str, str, str]:
        (project / "mkdocs.yml").write_text(
            (project / "mkdocs.yml").read_text().split("plugins:")[0] + config, encoding="utf-8"
        )
        built = build_site(project, site_dir=tmp_path / "site")
        assert built.returncode == 0, built.log
        (pages,) = re.findall(r"livevalues: (\d+ notebook pages: .*)", built.log)
        fine_page, other_page = (
            (tmp_path / "site" / "notebooks" / n / "index.html").read_text() for n in ("fine", "other")
        )
        return pages, fine_page, other_page

    first = build()
    assert first[0] == "2 notebook pages: 2 rendered, 0 from the cache"
    assert build() == ("2 notebook pages: 0 rendered, 2 from the cache", first[1], first[2])
    fine.write_text(fine.read_text().replace("6 * 7", "6 * 8"))
    pages, fine_page, other_page = build()
    assert pages == "2 notebook pages: 1 rendered, 1 from the cache"
    assert "printed 48" in fine_page
    assert other_page == first[2]
    # Another renderer setting is another page: each is rendered again.
    assert build(JUPYTER.replace("include_source: true", "include_source: true\n      no_prompt: true"))[0] == (
        "2 notebook pages: 2 rendered, 0 from the cache"
    )
