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
SAMPLE_ITEMS = 4
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
    items = _items(obj)
    if items is not None:
        kept, length = items
        return {"kind": "list", "items": kept, "length": length, "tuple": isinstance(obj, tuple)}
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


def _items(obj: Any) -> tuple[list[Any], int] | None:
    """The items a page may show of a 1-D array, list or tuple of scalars, and its length; None otherwise.

    A sequence longer than MAX_ITEMS keeps its first and last three: a 20-million-element array
    costs six conversions, not twenty million.
    """
    if hasattr(obj, "ndim") and hasattr(obj, "tolist"):
        if obj.ndim != 1:
            return None
    elif not isinstance(obj, (list, tuple)):
        return None
    length = len(obj)
    ends = obj if length <= MAX_ITEMS else [*obj[:3], *obj[-3:]]
    items = [_scalar(item) for item in ends]
    if any(item is _NOT_SCALAR or _too_big(item) for item in items):
        return None
    return items, length


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
        shape, sample = describe(value)
        learned.append({"name": name, "shape": shape, "sample": sample})
    return learned


def describe(value: Any) -> tuple[str, str]:
    """A short (shape, sample) for a table cell: `(2, 5)` and `[0.1, -0.25, …]`."""
    scalar = _scalar(value)
    if scalar is not _NOT_SCALAR:
        return "scalar", compact(scalar)
    if hasattr(value, "shape") and hasattr(value, "ravel"):
        flat = value.ravel()
        shape = "(" + ", ".join(str(n) for n in value.shape) + ("," if len(value.shape) == 1 else "") + ")"
        sample = [compact(_scalar(item)) for item in flat[:SAMPLE_ITEMS]]
        return shape, "[" + ", ".join(sample) + (", …]" if flat.size > SAMPLE_ITEMS else "]")
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__} of {len(value)}", ", ".join(type(v).__name__ for v in value[:2]) + (
            ", …" if len(value) > 2 else ""
        )
    if hasattr(value, "get_params"):
        return type(value).__name__, "fitted estimator"
    return type(value).__name__, ""


def compact(value: Any) -> str:
    """A scalar as a table cell shows it: floats at the site's default precision, strings quoted."""
    if isinstance(value, float):
        return rounded(value)
    return repr(value) if isinstance(value, str) else str(value)


def short_repr(value: Any, limit: int = 40) -> str:
    if hasattr(value, "get_params"):
        return f"{type(value).__name__}(…)"
    if isinstance(value, float):
        return compact(value)
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
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration and DOCTYPE
    svg = svg.replace("*{stroke", f"#{svg_id} *{{stroke")  # matplotlib's style would reach the whole page
    svg = _renumber_ids(svg, svg_id)
    return re.sub(INK, "currentColor", svg, flags=re.I)


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
