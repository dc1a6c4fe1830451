"""The worker side of a notebook: run a jupytext percent-format `.py` cell by cell, like a kernel would.

Why not nbclient: it starts a Jupyter kernel per notebook (about 0.7 s each, one after another in
mkdocs-jupyter), and its kernel's namespace is out of reach, so the values could not reach pages,
and none of the engine's worker pool, limits, error reports or cache would apply. Here the cells
run in the same forked worker as a snippet, in one namespace, and the notebook is rebuilt with
nbformat, outputs filled in: printed text, figures, and the value of a trailing expression.

Each cell is compiled with the notebook's own file name and line numbers, so a traceback, a
timeout's stack and an error report all point at `docs/notebooks/x.py:LINE`.
"""

from __future__ import annotations

import ast
import base64
import importlib
import io
import re
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt

CELL_FILE = "livevalues-cell.txt"  # the number of the cell running, in the scratch folder: a timeout names it
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


class CellError(Exception):
    """Wraps the error a cell raised, with the cell's number (its execution count, In [n])."""

    def __init__(self, number: int, error: BaseException):
        super().__init__(number, error)
        self.number = number
        self.error = error


def preload() -> tuple[Any, Any]:
    """jupytext and nbformat, imported on first use: a build that runs no notebook does not load them."""
    return importlib.import_module("jupytext"), importlib.import_module("nbformat")


def execute(path: Path, text: str, stdout: io.StringIO) -> tuple[dict[str, Any], str]:
    """Run every code cell of the notebook `text` (the file at `path`, as submitted) in one namespace.

    Returns (namespace, executed .ipynb JSON). `stdout` is the worker's bounded standard output:
    one output limit for the whole notebook.
    """
    jupytext, nbformat = preload()
    notebook = jupytext.reads(text, fmt="py:percent")
    notebook.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    for index, cell in enumerate(notebook.cells, 1):
        cell.id = f"cell-{index}"  # nbformat draws random ids: the published .ipynb would differ every build
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
    outputs += [nbformat.v4.new_output("display_data", data=_figure_data(figure)) for figure in figures]
    plt.close("all")  # as IPython's inline backend does: a figure shows once, in the cell that drew it
    if value is not None and not _is_figure(value):
        outputs.append(
            nbformat.v4.new_output("execute_result", data={"text/plain": repr(value)}, execution_count=number)
        )
    return outputs


def _is_figure(value: Any) -> bool:
    return type(value).__module__.startswith("matplotlib") and type(value).__name__ == "Figure"


def _figure_data(figure: Any) -> dict[str, str]:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    width, height = figure.get_size_inches() * figure.dpi
    return {
        "image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
        "text/plain": f"<Figure size {width:g}x{height:g} with {len(figure.axes)} Axes>",
    }
