"""The child side, without the forkserver's preload: what one snippet's process reports."""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from livevalues.child import BoundedWriter, OutputLimitExceeded
from livevalues.limits import Limits
from livevalues.problems import Failure, describe_error
from livevalues.results import ABSENT

RUN = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {hooks!r})
    from livevalues import child
    from livevalues.limits import Limits
    reader, writer = os.pipe()
    out = os.dup(1)  # the child sends its own standard output and error to /dev/null
    path, root, scratch = sys.argv[1:4]
    source = open(path, encoding="utf-8").read()
    child.run(path, source, root, scratch, Limits(), writer)
    os.write(out, os.read(reader, 1 << 20))
    """
).format(hooks=str(ROOT / "hooks"))


def run_child(project: Path, name: str) -> tuple[str, Any, dict[str, str]]:
    """`child.run` in a fresh interpreter (it changes the process for good), its report unpickled."""
    scratch = project.parent / "scratch"  # outside the project, as the worker's
    scratch.mkdir(exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(project / "snippets" / f"{name}.py"), str(project), str(scratch)],
        capture_output=True,
        check=True,
    )
    report: tuple[str, Any, dict[str, str]] = pickle.loads(done.stdout)
    return report


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "snippets").mkdir(parents=True)
    (project / "data").mkdir()
    (project / "data" / "numbers.txt").write_text("1 2 3\n")
    (project / "snippets" / "_helper.py").write_text("SCALE = 2\n")
    return project


def test_values_and_the_inputs_read_with_their_hashes(project: Path) -> None:
    (project / "snippets" / "reads.py").write_text(
        "from pathlib import Path\nfrom _helper import SCALE\ntry:\n    import _absent\nexcept ImportError:\n    pass\n"
        "total = SCALE * sum(map(float, (Path(__file__).parent.parent / 'data' / 'numbers.txt').read_text().split()))\n"
    )
    status, values, inputs = run_child(project, "reads")
    assert (status, values["total"]) == ("ok", {"kind": "scalar", "value": 12.0})
    assert inputs == {
        "data/numbers.txt": hashlib.sha256(b"1 2 3\n").hexdigest(),
        "snippets/_helper.py": hashlib.sha256(b"SCALE = 2\n").hexdigest(),
        "snippets/_absent.py": ABSENT,
        "snippets/_absent": ABSENT,
    }


def test_a_failure_names_the_snippet_line_and_keeps_the_inputs(project: Path) -> None:
    (project / "snippets" / "fails.py").write_text("from _helper import SCALE\n\nvalue = SCALE / 0\n")
    status, failure, inputs = run_child(project, "fails")
    assert status == "error"
    assert failure == Failure(
        "ZeroDivisionError: division by zero",
        "snippets/fails.py:3",
        ("snippets/fails.py:3 in <module>\n  value = SCALE / 0",),
    )
    assert list(inputs) == ["snippets/_helper.py"]


def test_output_past_the_limit_stops_the_snippet() -> None:
    out = BoundedWriter(10)
    out.write("0123456789")
    with pytest.raises(OutputLimitExceeded, match="printed more than 10 characters"):
        out.write("!")


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (SystemExit(3), "called sys.exit(3); a snippet must run to its end"),
        (MemoryError(), "MemoryError: allocated more than 2,048 MB (the memory limit;"),
        (ValueError("first line\nsecond line"), "ValueError: first line"),
        (KeyError(), "KeyError"),
    ],
)
def test_describe_error_says_what_happened_in_one_line(error: BaseException, message: str) -> None:
    assert describe_error(error, str(ROOT), Limits()).message.startswith(message)


def test_describe_error_points_at_a_syntax_error(tmp_path: Path) -> None:
    try:
        compile("x = (\n", str(tmp_path / "snippets" / "broken.py"), "exec")
    except SyntaxError as error:
        failure = describe_error(error, str(tmp_path), Limits())
    assert failure.location == "snippets/broken.py:1"
    assert "SyntaxError" in failure.message


def test_the_child_module_does_not_load_the_scientific_stack() -> None:
    """So these tests, and anything that imports it, pay nothing for the forkserver's warm-up."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys; import livevalues.child; print('sklearn' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")},
    )
    assert done.stdout.strip() == "False"


def test_the_worker_finds_the_same_stale_importers_as_the_child_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker finds them before the fork, in the child's working folder: the same as the child's scan."""
    from livevalues import child

    root, scratch = tmp_path / "project", tmp_path / "scratch"
    (root / "snippets").mkdir(parents=True)
    scratch.mkdir()
    folder = str(root / "snippets")
    entries = [
        folder,
        folder + "/",
        str(root) + "/./snippets",
        str(tmp_path / "elsewhere" / ".." / "project" / "snippets"),
        "../project/snippets",  # relative: to the child's working folder
        "/" + folder,  # "//..." is a path of its own, not under the root
        str(tmp_path / ".hidden" / "x"),
        str(tmp_path / "projectile"),
        "snippets",
        "",
        str(root),
        sys.prefix,
        folder + "/__pycache__",  # a folder named so: only files inside one are left out
    ]
    monkeypatch.setattr(sys, "path_importer_cache", dict.fromkeys(entries))
    monkeypatch.chdir(scratch)
    own = str(root / "snippets" / "a.py")
    scanned = [entry for entry in entries if child._project_file(entry or ".", str(root), own) is not None]
    assert scanned == [*entries[:5], str(root), folder + "/__pycache__"]
    monkeypatch.chdir(tmp_path)  # the worker runs elsewhere
    assert child.stale_importers(str(root), own, str(scratch)) == scanned
