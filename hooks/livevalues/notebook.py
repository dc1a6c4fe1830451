"""The worker side of a notebook: run a jupytext percent-format `.py` cell by cell, like a kernel would.

Why not nbclient: it starts a Jupyter kernel per notebook (about 0.7 s each, one after another in
mkdocs-jupyter), and its kernel's namespace is out of reach, so the values could not reach pages,
and none of the engine's worker pool, limits, error reports or cache would apply. Here the cells
run in the same forked worker as a snippet, in one namespace, and the notebook is rebuilt with
nbformat, outputs filled in: printed text, figures, and the value of a trailing expression.

Each cell is compiled with the notebook's own file name and line numbers, so a traceback, a
timeout's stack and an error report all point at `docs/notebooks/x.py:LINE`.

Figures are SVG drawn in the site's figure style (`capture.FIGURE_STYLE`: text in `currentColor`,
transparent), so inline in the page they follow the light and dark schemes like a page's figures.
Each carries the alt text its cell gives in a `# alt: ...` comment, one per figure, in the order
the cell draws them: a figure without one fails the notebook at its cell's line.
"""

from __future__ import annotations

import ast
import importlib
import io
import re
import tokenize
from pathlib import Path
from typing import Any

from livevalues import capture
from livevalues.render import labelled
from livevalues.safety import svg_problem

CELL_FILE = "livevalues-cell.txt"  # the number of the cell running, in the scratch folder: a timeout names it
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
ALT = re.compile(r"#\s*alt:(.*)", re.S)  # a comment `# alt: what the figure shows`
CONTINUED = re.compile(r"#\s{2,}\S")  # a comment indented after its `#`: the alt text above it goes on
METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)  # matplotlib's RDF: the file's format and creator


class CellError(Exception):
    """Wraps the error a cell raised, with the cell's number (its execution count, In [n]).

    `line`: where in the notebook the problem is, when the error itself does not say (a figure
    without alt text is found by the engine, after the cell ran, in no frame of the notebook's).
    """

    def __init__(self, number: int, error: BaseException, line: int | None = None):
        super().__init__(number, error)
        self.number = number
        self.error = error
        self.line = line


class FigureWithoutAltText(Exception):
    """A cell shows more figures than it has `# alt:` comments, or fewer."""


def preload() -> tuple[Any, Any]:
    """jupytext and nbformat, imported on first use: a build that runs no notebook does not load them."""
    return importlib.import_module("jupytext"), importlib.import_module("nbformat")


def read(text: str) -> Any:
    """The notebook in `text` (percent format) as nbformat, without outputs, the same every time.

    nbformat draws random cell ids: numbered instead, the same source gives the same .ipynb, so
    the published file and the rendered page change only when the notebook does.
    """
    jupytext, _ = preload()
    notebook = jupytext.reads(text, fmt="py:percent")
    notebook.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    for index, cell in enumerate(notebook.cells, 1):
        cell.id = f"cell-{index}"
    return notebook


def as_written(path: Path) -> str:
    """The .ipynb of the notebook at `path`, not run: what a build that runs nothing shows."""
    _, nbformat = preload()
    return str(nbformat.writes(read(path.read_text(encoding="utf-8"))))


def execute(path: Path, text: str, stdout: io.StringIO) -> tuple[dict[str, Any], str]:
    """Run every code cell of the notebook `text` (the file at `path`, as submitted) in one namespace.

    Returns (namespace, executed .ipynb JSON). `stdout` is the worker's bounded standard output:
    one output limit for the whole notebook.
    """
    _, nbformat = preload()
    notebook = read(text)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    cursor, number = 0, 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        number += 1
        Path(CELL_FILE).write_text(str(number))
        cell.execution_count = number
        cell.metadata = {}
        first_line, cursor = locate(text, cell.source, cursor)
        try:
            cell.outputs = _run_cell(cell.source, first_line, str(path), namespace, stdout, number, nbformat)
        except FigureWithoutAltText as error:
            raise CellError(number, error, first_line) from error
        except BaseException as error:  # reported by the worker, with the cell's number
            raise CellError(number, error) from error
    return namespace, nbformat.writes(notebook)


def locate(text: str, source: str, cursor: int) -> tuple[int, int]:
    """The 1-based line where a code cell's source starts in the file, searching from `cursor`.

    jupytext keeps a percent-format code cell's lines verbatim (IPython magics aside, which a
    notebook here cannot use: it is plain Python), so the cell is found at the start of a line.
    """
    if not source.strip():
        return 1, cursor
    match = re.compile("^" + re.escape(source), re.M).search(text, cursor)
    if match is None:
        raise ValueError(f"cannot find this cell in the file (IPython magics are not supported):\n{source[:200]}")
    return text.count("\n", 0, match.start()) + 1, match.end()


def _run_cell(
    source: str,
    first_line: int,
    filename: str,
    namespace: dict[str, Any],
    stdout: io.StringIO,
    number: int,
    nbformat: Any,
) -> list[Any]:
    """Run one cell; its outputs as nbformat outputs: stream, then figures, then the trailing value."""
    import matplotlib.pyplot as plt  # loaded already in the worker; here, so MkDocs' process can `read`

    tree = ast.parse("\n" * (first_line - 1) + source, filename=filename)  # real line numbers, errors too
    shown = not source.rstrip().endswith(";")  # IPython's convention: a final `;` hides the value
    trailing = tree.body[-1] if shown and tree.body and isinstance(tree.body[-1], ast.Expr) else None
    if trailing is not None:
        tree.body.pop()
    start = stdout.tell()
    exec(compile(tree, filename, "exec"), namespace)
    value: Any = None
    if trailing is not None:  # shown like IPython shows a cell's last expression
        value = eval(compile(ast.Expression(trailing.value), filename, "eval"), namespace)
    outputs = []
    printed = stdout.getvalue()[start:]
    if printed:
        outputs.append(nbformat.v4.new_output("stream", name="stdout", text=printed))
    figures = [plt.figure(n) for n in plt.get_fignums()]
    if _is_figure(value) and value not in figures:
        figures.append(value)
    alts = alt_texts(source)
    if len(alts) != len(figures):
        plt.close("all")
        raise FigureWithoutAltText(
            f"the cell shows {len(figures)} figure(s) and has {len(alts)} `# alt:` comment(s): give each figure"
            " its alt text, what it shows to a reader who cannot see it, in a comment `# alt: ...`,"
            " one per figure in the order the cell draws them"
        )
    for index, (figure, alt) in enumerate(zip(figures, alts, strict=True), 1):
        svg = _figure_svg(figure, alt, f"{Path(filename).stem}.cell{number}.{index}")
        outputs.append(nbformat.v4.new_output("display_data", data={"image/svg+xml": svg, "text/plain": alt}))
    plt.close("all")  # as IPython's inline backend does: a figure shows once, in the cell that drew it
    if value is not None and not _is_figure(value):
        outputs.append(
            nbformat.v4.new_output("execute_result", data={"text/plain": repr(value)}, execution_count=number)
        )
    return outputs


def alt_texts(source: str) -> list[str]:
    """The alt text of each figure, from the cell's `# alt: ...` comments, in order.

    An alt text may go on over the next lines, as comments indented after the `#`
    (`#      and more`). Read with `tokenize`, so a `# alt:` inside a string is no comment. An
    empty one gives no alt text: the cell then has too few.
    """
    alts: list[str] = []
    last: int | None = None  # the line the current alt text last went on to; None: none is open
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        line = token.start[0]
        if match := ALT.match(token.string):
            alts.append(match[1])
        elif line - 1 == last and CONTINUED.match(token.string) and token.line.lstrip().startswith("#"):
            alts[-1] += " " + token.string[1:].strip()
        else:
            last = None
            continue
        last = line
    return [" ".join(alt.split()) for alt in alts if alt.strip()]


def _is_figure(value: Any) -> bool:
    return type(value).__module__.startswith("matplotlib") and type(value).__name__ == "Figure"


def _figure_svg(figure: Any, alt: str, salt: str) -> str:
    """The figure as SVG in `currentColor`, with its alt text as the accessible name a page's figure has.

    The same markup `render` gives a page's figure (role, aria-label and a <title>), so it reads the
    same to a screen reader; checked like one, since the page inlines it.
    """
    svg = capture.figure_svg(figure, salt)
    if problem := svg_problem(svg):
        raise ValueError(f"a figure that {problem}")
    svg = METADATA.sub("", svg, count=1)  # "image/svg+xml", "Matplotlib v3…": no reader needs it, nor search
    return labelled(svg, alt)
