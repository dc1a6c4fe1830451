"""Under `mkdocs serve`, a broken snippet shows on its page, the server keeps running, a fix recovers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, dev_server, make_project, project_from, wait_for

pytestmark = pytest.mark.slow

BROKEN = FIXTURES / "broken"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen[bytes]]]:
    project = make_project(tmp_path / "project", BROKEN)
    (project / "docs" / "index.md").unlink()  # only the fine page: its snippet is the one we break
    # A second page on a second snippet, to see what a save re-runs.
    (project / "snippets" / "other.py").write_text("word = 'unchanged'\n")
    (project / "docs" / "other.md").write_text("# Other\n\nThe word is %{other.word}.\n")
    with dev_server(project, tmp_path / "cache", tmp_path / "serve.log") as (url, server):
        yield project, url + "fine/", server


def started(log: Path) -> list[tuple[int, int]]:
    """Each build's (snippets it started: run, or still running when it was served; from the cache)."""
    counts = re.findall(
        r"livevalues: 2 snippets: (\d+) run, (\d+) from the cache(?:, (\d+) still running)?", log.read_text()
    )
    return [(int(ran) + int(running or 0), int(cached)) for ran, cached, running in counts]


def test_a_save_reruns_only_what_changed_and_a_broken_snippet_shows_until_fixed(
    served: tuple[Path, str, subprocess.Popen[bytes]],
) -> None:
    project, url, server = served
    wait_for(url, "a half: 50%", server)
    log = project.parent / "serve.log"
    assert started(log)[0] == (2, 0)  # then a rebuild (from the cache) if one was still running

    builds = len(started(log))
    (project / "docs" / "other.md").write_text("# Other\n\nReworded: the word is %{other.word}.\n")
    wait_for(url.replace("/fine/", "/other/"), "Reworded", server)
    assert started(log)[builds:] == [(0, 2)]  # prose: nothing ran

    builds = len(started(log))
    snippet = project / "snippets" / "ok.py"
    snippet.write_text("n = 3\nratio = 0.75\n")
    wait_for(url, "a half: 75%", server)
    assert started(log)[builds] == (1, 1)  # only the edited snippet

    snippet.write_text("n = 3\nratio = 0.75\nraise RuntimeError('broken on purpose')\n")
    page = wait_for(url, "This page has 2 problems; a strict build fails", server)
    assert "snippets/ok.py:3: RuntimeError: broken on purpose" in page
    assert "⚠ ok.ratio" in page

    snippet.write_text("n = 3\nratio = 0.25\n")  # the next save that fixes it clears the box
    page = wait_for(url, "a half: 25%", server)
    assert "problem" not in page


WAITS = """\
# livevalues: timeout=60
import time
from pathlib import Path

while not Path({flag!r}).exists():
    time.sleep(0.02)
value = "released"
"""


def test_a_running_snippet_blocks_nothing_and_its_page_updates_itself(tmp_path: Path) -> None:
    """Pages that do not use it are served; its own says it runs, then shows the value unprompted."""
    flag = tmp_path / "release"
    project = project_from(
        tmp_path,
        docs={f"{name}.md": f"# {name}\n\n{name}: %{{{name}.value:s}}.\n" for name in ("fast", "slow", "stuck")}
        | {"index.md": "# Home\n"},
        snippets={
            "slow.py": WAITS.format(flag=str(flag)),
            "fast.py": "value = 'quick'\n",
            "stuck.py": "# livevalues: timeout=1\nimport time\ntime.sleep(600)\n",
        },
    )
    log_path = tmp_path / "serve.log"
    with dev_server(project, tmp_path / "cache", log_path) as (base, server):
        wait_for(base + "fast/", "fast: quick.", server)
        assert not flag.exists()  # so `slow` is still running: it cannot end before the flag exists
        page = wait_for(base + "slow/", "Still running", server)
        assert "slow: …." in page
        assert "snippets/slow.py</code> is still running" in page
        flag.write_text("")
        wait_for(base + "slow/", "slow: released.", server)  # rebuilt without any edit
        page = wait_for(base + "stuck/", "timed out after 1 s", server)
        assert "Still running" not in page
        # A timeout is not cached, yet the build that shows it must not run it again: it would
        # still be running then, and the next build would run it again, in a loop. Which build
        # counts a result as "run" or "from the cache" depends on the machine's load, so check
        # the outcome: the builds stop, and the last one has nothing left running.
        builds = quiet_builds(log_path)
        assert "still running" not in builds[-1], builds


def quiet_builds(log_path: Path, quiet: float = 4.0, timeout: float = 60.0) -> list[str]:
    """The summary line of every build, once no new build has started for `quiet` seconds (longer
    than the hook waits before it asks for a rebuild); fails if builds never stop."""
    deadline = time.monotonic() + timeout
    builds: list[str] = []
    changed = time.monotonic()
    while time.monotonic() < deadline:
        now = re.findall(r"livevalues: (3 snippets: .*)", log_path.read_text())
        if now != builds:
            builds, changed = now, time.monotonic()
        elif builds and time.monotonic() - changed > quiet:
            return builds
        time.sleep(0.1)
    raise AssertionError(f"rebuilding in a loop: {builds[-5:]}")


def test_stale_values_never_survive_a_rebuild(tmp_path: Path) -> None:
    """A snippet edited while it runs, a helper edited after Python cached its bytecode, a module
    created after a snippet failed to import it: each page shows the new value on the next rebuild."""
    flag = tmp_path / "release"
    project = project_from(
        tmp_path,
        docs={
            f"{name}.md": f"# {name}\n\nShown: %{{{name}.value:s}}.\n"
            for name in ("edited", "uses_helper", "imports_later")
        },
        snippets={
            "edited.py": WAITS.format(flag=str(flag)).replace("released", "old"),
            "_helper.py": "WORD = 'cached'\n",
            "uses_helper.py": "from _helper import WORD\n\nvalue = WORD\n",
            "imports_later.py": "from _later import WORD\n\nvalue = WORD\n",
        },
    )
    # `python snippets/uses_helper.py`, as CONTRIBUTING suggests, leaves a fresh .pyc of the helper.
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "snippets/uses_helper.py"], cwd=project, check=True, env=environment)
    assert list((project / "snippets" / "__pycache__").glob("_helper.*.pyc"))
    with dev_server(project, tmp_path / "cache") as (base, server):
        wait_for(base + "edited/", "Still running", server)
        (project / "snippets" / "edited.py").write_text("value = 'new'\n")  # while the old version runs
        wait_for(base + "edited/", "Shown: new.", server)
        flag.write_text("")  # the old version ends now; its result must not pass for the new one's
        wait_for(base + "uses_helper/", "Shown: cached.", server)
        (project / "snippets" / "_helper.py").write_text("WORD = 'edited'\n")
        wait_for(base + "uses_helper/", "Shown: edited.", server)
        wait_for(base + "imports_later/", "No module named &#x27;_later&#x27;", server)
        (project / "snippets" / "_later.py").write_text("WORD = 'appeared'\n")
        wait_for(base + "imports_later/", "Shown: appeared.", server)
        (project / "docs" / "edited.md").write_text("# edited\n\nShown again: %{edited.value:s}.\n")
        assert "Shown again: new." in wait_for(base + "edited/", "Shown again:", server)
