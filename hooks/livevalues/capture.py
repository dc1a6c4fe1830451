"""Turn what a snippet left in its namespace into plain data: numbers, short lists, tables, SVG.

Runs in the worker process, where scikit-learn and matplotlib are loaded; the result is plain
Python (str, int, float, bool, None, list, dict), so it crosses processes and can be cached.
"""

from __future__ import annotations

import inspect
import io
import math
import numbers
import re
import types
import warnings
from typing import Any

from livevalues.render import rounded

Value = dict[str, Any]

# Text and axes in figures are drawn in this colour, then turned into `currentColor`, so the
# SVG follows Material's light and dark schemes.
INK = "#010203"
FIGURE_STYLE: dict[Any, Any] = {  # Any: matplotlib types rcParams keys as literals
    "svg.fonttype": "none",
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.facecolor": "none",
    "figure.facecolor": "none",
    "savefig.transparent": True,
    "legend.frameon": False,
}
MAX_ITEMS = 50  # longer sequences keep their ends only
SAMPLE_ITEMS = 4  # a table cell shows this many items of each level (rows, columns), then "…" (or all of 5)
SAMPLE_OUTER = 2  # and this many of a level above the last two (matrices of a 3-D array)
MAX_DEPTH = 8  # levels of nesting a value may have: more is a list that holds itself, or no value to show
MAX_TEXT = 1_000_000  # characters: a longer string is no inline value, and would bloat every cache entry


def capture(namespace: dict[str, Any], salt: str) -> dict[str, Value]:
    """Every public module-level value a page may show, keyed by name."""
    values = {}
    for name, obj in namespace.items():
        if name.startswith("_") or isinstance(obj, (types.ModuleType, types.FunctionType, type)):
            continue
        try:
            values[name] = to_value(obj, f"{salt}.{name}")
        except Exception as error:  # noqa: BLE001  (one odd value must not cost the snippet its others)
            reason = f"capturing it raised {type(error).__name__}: {error}"
            values[name] = {"kind": "unsupported", "type": type(obj).__name__, "reason": reason}
    return values


def to_value(obj: Any, salt: str = "") -> Value:
    """One object as plain data, tagged with its kind: what crosses processes and goes in the cache.

    Only what a page can show is converted: the ends of a long sequence, never all of it.
    """
    scalar = _scalar(obj)
    if scalar is not _NOT_SCALAR:
        problem = _too_big(scalar)
        if problem:
            return {"kind": "unsupported", "type": type(obj).__name__, "reason": problem}
        return {"kind": "scalar", "value": scalar}
    kind = _kind(obj)
    if kind == "estimator":
        return {"kind": "table", **estimator_table(obj)}
    if kind == "figure":
        return {"kind": "figure", "svg": figure_svg(obj, salt)}
    sequence = _nested(obj, MAX_ITEMS, head=3, tail=3)
    if sequence is not _NOT_SCALAR:
        return {"kind": "list", **sequence}
    return {"kind": "unsupported", "type": type(obj).__name__}


def _too_big(scalar: Any) -> str | None:
    """Why a scalar cannot be shown or stored, if it cannot: an int too long for text, a huge string."""
    if isinstance(scalar, int) and not isinstance(scalar, bool):
        try:
            str(scalar)
        except ValueError:  # Python refuses to write ints of more than 4,300 digits as text
            return f"an int of about {int(scalar.bit_length() * 0.30103):,} digits, too long to show"
    if isinstance(scalar, str) and len(scalar) > MAX_TEXT:
        return f"a str of {len(scalar):,} characters, more than {MAX_TEXT:,}: too long to show"
    return None


_NOT_SCALAR = object()


def _scalar(obj: Any) -> Any:
    if hasattr(obj, "dtype") and getattr(obj, "shape", None) == ():
        obj = obj.item()  # numpy scalars and 0-d arrays
    if obj is None or isinstance(obj, bool):
        return obj
    if isinstance(obj, str):
        return str(obj)  # numpy's str_ is a str whose repr says np.str_
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        return float(obj)
    return _NOT_SCALAR


def _nested(obj: Any, limit: int, head: int, tail: int, depth: int = 0) -> Any:
    """A scalar, or an array, list or tuple (of scalars or of those) as {"items", "length", "tuple"}.

    What a page may show of it only: a level longer than `limit` keeps its first `head` and last
    `tail` items, so a 20-million-element array costs a few conversions, not twenty million.
    _NOT_SCALAR for anything else, or nesting deeper than MAX_DEPTH (a list that holds itself).
    """
    scalar = _scalar(obj)
    if scalar is not _NOT_SCALAR:
        return _NOT_SCALAR if _too_big(scalar) else scalar
    is_array = hasattr(obj, "ndim") and hasattr(obj, "tolist")
    if depth >= MAX_DEPTH or not (is_array or isinstance(obj, (list, tuple))):
        return _NOT_SCALAR
    length = len(obj)
    ends = obj if length <= limit else [*obj[:head], *(obj[-tail:] if tail else [])]
    items = [_nested(item, limit, head, tail, depth + 1) for item in ends]
    if any(item is _NOT_SCALAR for item in items):
        return _NOT_SCALAR
    return {"items": items, "length": length, "tuple": isinstance(obj, tuple)}


def _kind(obj: Any) -> str:
    module = type(obj).__module__
    if module.startswith("sklearn") and hasattr(obj, "get_params"):
        return "estimator"
    if module.startswith("matplotlib") and type(obj).__name__ == "Figure":
        return "figure"
    return "other"


def estimator_table(estimator: Any) -> dict[str, Any]:
    """What was set (get_params, with changes from the default marked) beside what fit learned."""
    defaults = {
        name: parameter.default
        for name, parameter in inspect.signature(type(estimator).__init__).parameters.items()
        if parameter.default is not inspect.Parameter.empty
    }
    params = []
    for name, value in sorted(estimator.get_params(deep=False).items()):
        default = defaults.get(name, inspect.Parameter.empty)
        params.append(
            {
                "name": name,
                "value": short_repr(value),
                "default": short_repr(default) if default is not inspect.Parameter.empty else "",
                "changed": default is inspect.Parameter.empty or not _same(value, default),
            }
        )
    return {"estimator": type(estimator).__name__, "params": params, "learned": learned_attributes(estimator)}


def learned_attributes(estimator: Any) -> list[dict[str, str]]:
    """Public attributes ending in `_` that are set: by scikit-learn's convention, what fit learned.

    `dir` rather than `vars`, because some (SVC's `n_support_`) are properties; an attribute
    that raises or warns when read (deprecated, or not defined for these settings) is left out.
    """
    learned = []
    for name in dir(estimator):
        if not name.endswith("_") or name.startswith("_") or name.endswith("__"):
            continue
        if "time" in name:  # wall-clock timings (refit_time_) differ on every build
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                value = getattr(estimator, name)
            except Exception:  # noqa: BLE001  (any error means: not available for these settings)
                continue
        if callable(value) and not hasattr(value, "get_params"):
            continue
        learned.append({"name": name, **describe(value)})
    return learned


def describe(value: Any) -> dict[str, Any]:
    """A table row's "shape" (`(100, 5)`, `list of 2`) and "sample": nested plain data for `render`.

    The sample is what `_nested` makes of the value, cut to a few items per level (fewer for the
    levels above a matrix); a value a table cannot show (a fitted tree, a dict) has no sample.
    """
    if hasattr(value, "get_params"):
        return {"shape": f"{type(value).__name__} (fitted)"}
    sample = _sample(value)
    if sample is _NOT_SCALAR:
        return {"shape": type(value).__name__}
    if not isinstance(sample, dict):
        return {"shape": "scalar", "sample": sample}
    if hasattr(value, "shape"):
        return {"shape": shape_text(value.shape), "sample": sample}
    shape = f"{type(value).__name__} of {len(value)}"
    inner = [item.shape for item in value[:SAMPLE_OUTER] if getattr(item, "ndim", 0) >= 1]
    if inner:  # arrays of other shapes (a network's weight matrices): their shapes say more than the numbers
        shape += ": " + ", ".join(map(shape_text, inner)) + (", …" if len(value) > len(inner) else "")
    return {"shape": shape, "sample": sample}


def shape_text(shape: tuple[int, ...]) -> str:
    """A shape as Python writes the tuple: `(100, 5)`, `(3,)`."""
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def _sample(value: Any) -> Any:
    """`_nested` for a table cell: SAMPLE_ITEMS per level, SAMPLE_OUTER for levels above a matrix."""
    levels = _levels(value)
    limit = SAMPLE_OUTER if levels > 2 else SAMPLE_ITEMS
    if levels == 0:  # a scalar, or something that is no value (`_nested` says which)
        return _nested(value, limit, limit, 0)
    cut = value if len(value) <= limit + 1 else value[:limit]  # "…" never stands for a single item
    items = [_sample(item) for item in cut]
    if any(item is _NOT_SCALAR for item in items):
        return _NOT_SCALAR
    return {"items": items, "length": len(value), "tuple": isinstance(value, tuple)}


def _levels(value: Any, depth: int = 0) -> int:
    """How many levels of nesting an array, list or tuple has (a matrix 2, a scalar 0), read from its first items."""
    if hasattr(value, "ndim") and hasattr(value, "tolist"):
        return int(value.ndim)
    if isinstance(value, (list, tuple)) and depth < MAX_DEPTH:
        return 1 + (_levels(value[0], depth + 1) if value else 0)
    return 0


def short_repr(value: Any, limit: int = 40) -> str:
    if hasattr(value, "get_params"):
        return f"{type(value).__name__}(…)"
    if isinstance(value, float):
        return rounded(value, grouped=False)  # a setting as Python code: 15000.0, not 15,000
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _same(value: Any, default: Any) -> bool:
    if isinstance(value, float) and isinstance(default, float) and math.isnan(value) and math.isnan(default):
        return True
    return type(value) is type(default) and repr(value) == repr(default)


def figure_svg(figure: Any, salt: str) -> str:
    """The figure as inline SVG with text in `currentColor`, and ids stable and unique to it."""
    import matplotlib

    buffer = io.StringIO()
    svg_id = salt.replace(".", "-")
    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.id": svg_id}):
        figure.savefig(buffer, format="svg", bbox_inches=_stable_crop(figure), metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration and DOCTYPE
    svg = svg.replace("*{stroke", f"#{svg_id} *{{stroke")  # matplotlib's style would reach the whole page
    svg = _renumber_ids(svg, svg_id)
    return re.sub(INK, "currentColor", svg, flags=re.I)


CROP_GRID = 1 / 16  # inches


def _stable_crop(figure: Any) -> Any:
    """matplotlib's tight crop with its padding, rounded outwards to a 1/16-inch grid.

    The tight crop's edges come from text measurements whose last bits depend on the CPU's kernels:
    one bit changed a figure's SVG size under AVX-512. On a grid, the size is the same everywhere.
    """
    import matplotlib
    from matplotlib.transforms import Bbox

    figure.draw_without_rendering()
    tight = figure.get_tightbbox().padded(matplotlib.rcParams["savefig.pad_inches"])
    x0, y0, x1, y1 = (edge / CROP_GRID for edge in tight.extents)
    return Bbox.from_extents(
        math.floor(x0) * CROP_GRID, math.floor(y0) * CROP_GRID, math.ceil(x1) * CROP_GRID, math.ceil(y1) * CROP_GRID
    )


GENERATED_ID = re.compile(r"\b([pmh])([0-9a-f]{10})\b")


def _renumber_ids(svg: str, prefix: str) -> str:
    """matplotlib's clip-path, marker and hatch ids, numbered in order of appearance.

    It names them by a hash of their coordinates, whose last bits depend on the CPU's kernels:
    the same picture would get other ids on another machine. Numbered, the SVG is the same.
    """
    ids: dict[str, str] = {}
    for match in re.finditer(r'\bid="([pmh][0-9a-f]{10})"', svg):
        ids.setdefault(match[1], f"{prefix}-{match[1][0]}{len(ids) + 1}")
    return GENERATED_ID.sub(lambda match: ids.get(match[0], match[0]), svg) if ids else svg
