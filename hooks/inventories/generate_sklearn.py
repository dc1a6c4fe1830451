"""Write `sklearn.inv` and `sklearn-members.json` from the installed scikit-learn.

scikit-learn's own `objects.inv` is a build artifact of its documentation that could not be
obtained here (see README.md), so this rebuilds an inventory of the same shape from the package's
public API, with the URL patterns scikit-learn's Sphinx build uses:

- a class or function `sklearn.svm.SVC` -> `modules/generated/sklearn.svm.SVC.html#sklearn.svm.SVC`
- a method `sklearn.svm.SVC.fit` -> `modules/generated/sklearn.svm.SVC.html#sklearn.svm.SVC.fit`
- a module `sklearn.svm` -> `api/sklearn.svm.html#module-sklearn.svm`

Fitted attributes and parameters have no inventory entries (numpydoc lists them inside the class
page), so the members file records, per class, its parameters and the fitted attributes its
docstring documents: `api_links` links such a name to its class page.

Run from the repository root: `.venv/bin/python hooks/inventories/generate_sklearn.py`. It imports
scikit-learn, so it is a maintainer's tool: the build only reads the files it writes.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import warnings
from pathlib import Path
from types import ModuleType

import sklearn
import sphobjinv
from sklearn.utils.discovery import all_displays, all_estimators

HERE = Path(__file__).parent
_SKIPPED_MODULES = {"sklearn.externals", "sklearn.experimental", "sklearn.callback", "sklearn.conftest"}
_SECTION = re.compile(r"^(\w[\w ]*)\n-{3,}$", re.MULTILINE)
_ATTRIBUTE = re.compile(r"^(\w+) :", re.MULTILINE)


def public_modules() -> list[ModuleType]:
    """`sklearn` and every submodule with no `_` component: the modules the API reference documents."""
    modules = [sklearn]
    for info in pkgutil.walk_packages(sklearn.__path__, "sklearn."):
        parts = info.name.split(".")
        if any(part.startswith("_") or part == "tests" for part in parts):
            continue
        if any(info.name == skipped or info.name.startswith(skipped + ".") for skipped in _SKIPPED_MODULES):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a deprecated module still documents its objects
            modules.append(importlib.import_module(info.name))
    return modules


def exported_names(module: ModuleType) -> list[str]:
    """`__all__`, or for a module without one (`sklearn.dummy`), the public names it defines itself
    or in a private submodule (`sklearn.utils._unique`)."""
    if hasattr(module, "__all__"):
        return list(module.__all__)
    prefix = module.__name__ + "."
    return [
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (
            getattr(value, "__module__", "") == module.__name__
            or getattr(value, "__module__", "").startswith(prefix + "_")
        )
    ]


def public_objects(modules: list[ModuleType]) -> dict[str, object]:
    """Each public class or function under one dotted name: the module that defines it, or the
    shortest public path when several re-export it (how scikit-learn's API reference files them)."""
    paths: dict[int, list[str]] = {}
    objects: dict[int, object] = {}
    for module in modules:
        for name in exported_names(module):
            obj = getattr(module, name, None)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                paths.setdefault(id(obj), []).append(f"{module.__name__}.{name}")
                objects[id(obj)] = obj

    def canonical(key: int) -> str:
        defined_in = getattr(objects[key], "__module__", "")
        return min(paths[key], key=lambda path: (not defined_in.startswith(path.rsplit(".", 1)[0]), -path.count(".")))

    return {canonical(key): objects[key] for key in paths}


def fitted_attributes(cls: type) -> list[str]:
    """The names in the class docstring's numpydoc "Attributes" section."""
    doc = inspect.getdoc(cls) or ""
    sections = list(_SECTION.finditer(doc))
    for index, section in enumerate(sections):
        if section.group(1) == "Attributes":
            end = sections[index + 1].start() if index + 1 < len(sections) else len(doc)
            return _ATTRIBUTE.findall(doc[section.end() : end])
    return []


def parameters(cls: type) -> list[str]:
    """The constructor's keyword parameters: what `get_params()` returns for an estimator."""
    try:
        signature = inspect.signature(cls)
    except (TypeError, ValueError):
        return []
    return [name for name in signature.parameters if name not in {"args", "kwargs"}]


def build() -> tuple[sphobjinv.Inventory, dict[str, dict[str, list[str]]]]:
    """The inventory and the members of every class in it."""
    modules = public_modules()
    objects = public_objects(modules)
    # Every estimator and display must be there; all_functions() also lists private helpers.
    listed = {id(obj): name for name, obj in [*all_estimators(), *all_displays()]}
    missing = sorted(listed[key] for key in listed.keys() - {id(obj) for obj in objects.values()})
    assert not missing, f"no public path for {missing}"

    version = ".".join(sklearn.__version__.split(".")[:2])
    inventory = sphobjinv.Inventory()
    inventory.project, inventory.version = "scikit-learn", version
    members: dict[str, dict[str, list[str]]] = {}

    def add(name: str, role: str, uri: str) -> None:
        inventory.objects.append(
            sphobjinv.DataObjStr(name=name, domain="py", role=role, priority="1", uri=uri, dispname="-")
        )

    for module in modules:
        if module is not sklearn:
            add(module.__name__, "module", "api/" + module.__name__ + ".html#module-$")
    for name, obj in sorted(objects.items()):
        page = f"modules/generated/{name}.html"
        if inspect.isfunction(obj):
            add(name, "function", page + "#$")
            continue
        assert isinstance(obj, type)
        add(name, "class", page + "#$")
        for member, value in sorted(inspect.getmembers(obj)):
            if not member.startswith("_") and inspect.isfunction(value):
                add(f"{name}.{member}", "method", page + "#$")
        members[name] = {"parameters": parameters(obj), "attributes": fitted_attributes(obj)}
    return inventory, members


def main() -> None:
    inventory, members = build()
    sphobjinv.writebytes(HERE / "sklearn.inv", sphobjinv.compress(inventory.data_file(contract=True)))
    text = json.dumps({"version": inventory.version, "classes": members}, indent=1, sort_keys=True)
    (HERE / "sklearn-members.json").write_text(text + "\n", encoding="utf-8")
    print(f"scikit-learn {inventory.version}: {inventory.count} objects, {len(members)} classes")


if __name__ == "__main__":
    main()
