"""Whatever a snippet starts ends with it: a new session, a daemon, a snippet that kills its worker,
and MkDocs itself killed mid-build all leave no process behind."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import QUIET, project_from
from livevalues import processes, run_snippets

pytestmark = pytest.mark.slow

STARTS = 'subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", {marker!r}], start_new_session=True)'
SNIPPETS = {
    "new_session": "import subprocess, sys\n" + STARTS + "\nvalue = 1\n",
    # The classic daemon: fork, leave the session, start the real process, let the middle one exit.
    "daemonizes": "import os, subprocess, sys\nif os.fork() == 0:\n    os.setsid()\n    "
    + STARTS
    + "\n    os._exit(0)\nos.wait()\nvalue = 1\n",
    "kills_its_worker": "import os, signal, subprocess, sys, time\n"
    + STARTS
    + "\nos.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(5)\nvalue = 1\n",
}


def processes_with(marker: str, where: str = "cmdline") -> list[int]:
    found = []
    for path in Path("/proc").glob(f"[0-9]*/{where}"):
        with contextlib.suppress(OSError):
            if marker.encode() in path.read_bytes():
                found.append(int(path.parent.name))
    return [pid for pid in found if pid != os.getpid()]


def gone(marker: str, where: str = "cmdline", seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds  # SIGKILL is asynchronous: give the kernel a moment
    while processes_with(marker, where) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not processes_with(marker, where)


@pytest.mark.skipif(sys.platform != "linux", reason="subreapers and /proc are Linux's")
@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_what_a_snippet_starts_ends_with_it(tmp_path: Path, name: str) -> None:
    marker = f"livevalues-escape-{uuid.uuid4()}"
    (tmp_path / "snippets").mkdir()
    snippet = tmp_path / "snippets" / f"{name}.py"
    snippet.write_text(SNIPPETS[name].format(marker=marker))
    result = run_snippets([snippet], tmp_path)[name]
    assert (result.error is None) == (name != "kills_its_worker"), result.error
    assert gone(marker), f"left running: {processes_with(marker)}"
    # The workers still serve: the next snippet runs.
    (tmp_path / "snippets" / "after.py").write_text("value = 2\n")
    assert run_snippets([tmp_path / "snippets" / "after.py"], tmp_path)["after"].values["value"]["value"] == 2


@pytest.mark.skipif(sys.platform != "linux", reason="subreapers and /proc are Linux's")
def test_mkdocs_killed_mid_build_leaves_nothing_running(tmp_path: Path) -> None:
    """The forkserver exits with MkDocs and takes its workers, their snippets and all they started."""
    token = f"livevalues-build-{uuid.uuid4()}"
    marker = f"livevalues-escape-{uuid.uuid4()}"
    project = project_from(
        tmp_path,
        docs={"index.md": "# Hangs\n\n%{hangs.value}\n"},
        snippets={"hangs.py": "import subprocess, sys, time\n" + STARTS.format(marker=marker) + "\ntime.sleep(120)\n"},
    )
    build = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "site")],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **QUIET, "LIVEVALUES_TEST_TOKEN": token, "LIVEVALUES_CACHE_DIR": ""},
    )
    try:
        deadline = time.monotonic() + 60
        while not processes_with(marker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert processes_with(marker), "the snippet never started its process"
        assert len(processes_with(token, "environ")) >= 4  # MkDocs, the forkserver, workers, the snippet...
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()
    assert gone(marker), f"left running: {processes_with(marker)}"
    assert gone(token, "environ"), f"left running: {processes_with(token, 'environ')}"


TREE = """\
import subprocess, sys, time
children = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) for _ in range(2)]
print(*(child.pid for child in children), flush=True)
time.sleep(30)
"""


def test_kill_descendants_spares_the_processes_it_is_told_to_keep() -> None:
    parent = subprocess.Popen([sys.executable, "-c", TREE], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        kept, ended = (int(pid) for pid in parent.stdout.readline().split())
        assert sorted(processes.descendants(parent.pid)) == sorted([kept, ended])
        processes.kill_descendants(parent.pid, keep={kept})
        assert processes.descendants(parent.pid) == [kept]  # the other is dead (a zombie until reaped)
    finally:
        processes.kill_descendants(parent.pid)
        parent.kill()
        parent.communicate()


def _huge_pages_on_request() -> bool:
    """Transparent huge pages where a process asks for them (Linux 6.1+, for MADV_COLLAPSE)."""
    try:
        mode = Path("/sys/kernel/mm/transparent_hugepage/enabled").read_text()
    except OSError:
        return False
    release = tuple(int(part) for part in os.uname().release.split(".")[:2] if part.isdigit())
    return "[madvise]" in mode and release >= (6, 1)


@pytest.mark.skipif(not _huge_pages_on_request(), reason="needs transparent huge pages in madvise mode, Linux 6.1+")
def test_a_snippet_forks_from_a_worker_whose_memory_is_in_huge_pages(tmp_path: Path) -> None:
    """The worker collapses its memory into 2 MiB pages (cheaper forks); a fork inherits them.

    In madvise mode no process gets huge pages unless it asks, so any here come from the worker.
    """
    (tmp_path / "huge.py").write_text(
        "import re\nhuge_kb = sum(int(n) for n in re.findall(r'AnonHugePages:\\s+(\\d+)', open('/proc/self/smaps').read()))\n"
    )
    result = run_snippets([tmp_path / "huge.py"], tmp_path)["huge"]
    assert result.error is None, result.error
    assert result.values["huge_kb"]["value"] > 0
