"""What re-runs after each kind of edit, and what the cache survives: damage, kills, concurrency."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from livevalues import Build, Cache, Limits, run_snippets, submit
from livevalues.cache import KEEP_BUILDS

FIXTURE = FIXTURES / "cache_project"
STDOUT = {"stdout": {"kind": "output", "text": ""}}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "project")
    return tmp_path / "project"


def run(project: Path, *names: str) -> dict[str, tuple[bool, object]]:
    """Each snippet's (came from the cache, first value or error) after one cached run."""
    cache = Cache(project / ".cache", project)
    results = run_snippets([project / "snippets" / f"{name}.py" for name in names], project, cache=cache)
    return {
        name: (result.from_cache, result.error.message if result.error else result.values)
        for name, result in results.items()
    }


def value(project: Path, name: str, key: str) -> object:
    (_, values) = run(project, name)[name]
    assert isinstance(values, dict)
    return values[key]["value"]


def test_unchanged_snippets_come_from_the_cache(project: Path) -> None:
    first = run(project, "reads", "plain")
    assert {name: cached for name, (cached, _) in first.items()} == {"reads": False, "plain": False}
    second = run(project, "reads", "plain")
    assert {name: cached for name, (cached, _) in second.items()} == {"reads": True, "plain": True}
    assert second["reads"][1] == first["reads"][1]


def test_prose_edit_runs_nothing(project: Path) -> None:
    docs = project / "docs"
    for prose in ("Total: %{reads.total}.", "The total, reworded: %{reads.total}!"):
        build = Build(project, docs, cache=Cache(project / ".cache", project))
        build.run({"index.md": prose})
    assert build.summary() == "1 snippets: 0 run, 1 from the cache"
    assert (
        build.pages.fill("index.md", build.pages.mark("index.md", "The total, reworded: %{reads.total}!"))
        == "The total, reworded: 12!"
    )


def test_snippet_edit_reruns_only_that_snippet(project: Path) -> None:
    run(project, "reads", "plain")
    (project / "snippets" / "plain.py").write_text("answer = 43\n")
    again = run(project, "reads", "plain")
    assert (again["reads"][0], again["plain"][0]) == (True, False)
    assert value(project, "plain", "answer") == 43


def test_imported_helper_edit_reruns_its_importers(project: Path) -> None:
    run(project, "reads", "plain")
    (project / "snippets" / "_helper.py").write_text("SCALE = 10\n")
    again = run(project, "reads", "plain")
    assert (again["reads"][0], again["plain"][0]) == (False, True)
    assert value(project, "reads", "total") == 60


def test_data_file_edit_reruns_its_readers(project: Path) -> None:
    assert value(project, "reads", "total") == 12
    (project / "data" / "numbers.txt").write_text("10 20\n")
    assert run(project, "reads")["reads"][0] is False
    assert value(project, "reads", "total") == 60


def test_package_version_change_reruns_everything(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(project, "plain")
    # A real installed-package change as importlib.metadata sees it: another numpy version first on sys.path.
    site = project / "site"
    (site / "numpy-99.0.0.dist-info").mkdir(parents=True)
    (site / "numpy-99.0.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: numpy\nVersion: 99.0.0\n")
    monkeypatch.syspath_prepend(str(site))
    assert run(project, "plain")["plain"][0] is False


def test_failures_are_cached_until_their_inputs_change(project: Path) -> None:
    assert run(project, "fails")["fails"] == (False, "ZeroDivisionError: division by zero")
    assert run(project, "fails")["fails"] == (True, "ZeroDivisionError: division by zero")
    (project / "snippets" / "fails.py").write_text("value = 1\n")
    assert run(project, "fails")["fails"][0] is False


def test_timeouts_are_not_cached(project: Path) -> None:
    (project / "snippets" / "plain.py").write_text("# livevalues: timeout=0.5\nimport time\ntime.sleep(5)\n")
    for _ in range(2):
        cached, error = run(project, "plain")["plain"]
        assert (cached, str(error).startswith("timed out")) == (False, True)


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_damaged_entry_is_recomputed_with_a_warning(
    project: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    run(project, "plain")
    (entry,) = (project / ".cache").glob("*.json")
    data = entry.read_bytes()
    entry.write_bytes(
        {"truncate": data[: len(data) // 2], "flip": data.replace(b"42", b"43"), "garbage": b"\x00\xff"}[damage]
    )
    with caplog.at_level(logging.WARNING, logger="livevalues"):
        result = run(project, "plain")["plain"]
    assert result[0] is False
    assert value(project, "plain", "answer") == 42
    assert f"cache entry {entry.name} is damaged; running plain.py again" in caplog.text


def test_folder_that_cannot_be_created_means_no_cache(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="livevalues"):
        cache = Cache(Path("/proc/livevalues-cache"), project)  # /proc refuses new folders, even to root
        results = run_snippets([project / "snippets" / "plain.py"], project, cache=cache)
    assert results["plain"].values["answer"]["value"] == 42
    assert caplog.text.count("running without a cache") == 1


def test_folder_that_cannot_be_written_means_no_cache(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="livevalues"):
        cache = Cache(Path("/sys/kernel"), project)  # exists, and sysfs refuses new files, even to root
        paths = [project / "snippets" / f"{name}.py" for name in ("plain", "reads")]
        results = run_snippets(paths, project, cache=cache)
    assert results["plain"].values["answer"]["value"] == 42
    assert caplog.text.count("running without a cache") == 1  # one warning, not one per snippet


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, {hooks!r})
    from livevalues import Cache, run_snippets
    project = Path(sys.argv[1])
    paths = sorted((project / "snippets").glob("s*.py"))
    results = run_snippets(paths, project, cache=Cache(project / ".cache", project))
    assert all(r.values["n"]["value"] == int(r.name[1:]) for r in results.values()), results
    """
).format(hooks=str(ROOT / "hooks"))


def many_snippets(project: Path, count: int) -> None:
    for index in range(count):
        (project / "snippets" / f"s{index}.py").write_text(f"n = {index}\npadding = 'x' * 20000\n")


@pytest.mark.slow
def test_sigkill_at_any_moment_leaves_no_entry_trusted_wrongly(project: Path) -> None:
    many_snippets(project, 24)
    for delay in (0.4, 0.9, 1.4):  # loading, then running and writing entries
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(project)])
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    cache = Cache(project / ".cache", project)
    for index in range(24):  # whatever a killed build left, a later one gets a right value or none
        cached = cache.get(project / "snippets" / f"s{index}.py", Limits())
        assert cached is None or cached.values["n"]["value"] == index
    paths = sorted((project / "snippets").glob("s*.py"))  # and a later build completes
    assert all(r.values["n"]["value"] == int(r.name[1:]) for r in run_snippets(paths, project, cache=cache).values())


@pytest.mark.slow
def test_two_builds_at_once_share_the_cache(project: Path) -> None:
    many_snippets(project, 24)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(project)]) for _ in range(2)]
    assert [writer.wait(120) for writer in writers] == [0, 0]
    cache = Cache(project / ".cache", project)
    for index in range(24):
        cached = cache.get(project / "snippets" / f"s{index}.py", Limits())
        assert cached is not None
        assert cached.values["n"]["value"] == index


# The key is taken from what ran: edits during a run, bytecode, files that appear later, the engine.


def handshake(project: Path) -> tuple[str, Path, Path]:
    """Snippet lines that say "running" (a file), then wait for "go" (another): the test acts in between."""
    running, go = project.parent / "running", project.parent / "go"
    code = (
        f"from pathlib import Path as _Path\nimport time as _time\n_Path({str(running)!r}).touch()\n"
        f"while not _Path({str(go)!r}).exists():\n    _time.sleep(0.01)\n"
    )
    return code, running, go


def when_running(running: Path) -> None:
    deadline = time.monotonic() + 30
    while not running.exists():
        assert time.monotonic() < deadline, "the snippet never started"
        time.sleep(0.01)


def test_snippet_edited_while_it_runs_is_run_again(project: Path) -> None:
    snippet = project / "snippets" / "plain.py"
    wait, running, go = handshake(project)
    snippet.write_text(wait + "answer = 1\n")
    batch = submit([snippet], project, cache=Cache(project / ".cache", project))
    when_running(running)
    snippet.write_text("answer = 2\n")  # the edit lands mid-run, as a save under `mkdocs serve` would
    go.touch()
    assert batch.wait()["plain"].values["answer"]["value"] == 1  # what ran: the source as submitted
    assert run(project, "plain")["plain"] == (False, {"answer": {"kind": "scalar", "value": 2}, **STDOUT})


def test_data_file_edited_while_it_is_read_is_read_again(project: Path) -> None:
    reader = project / "snippets" / "reads.py"
    wait, running, go = handshake(project)
    reader.write_text(reader.read_text() + wait)  # it has read the file when it says it runs
    batch = submit([reader], project, cache=Cache(project / ".cache", project))
    when_running(running)
    (project / "data" / "numbers.txt").write_text("10 20\n")
    go.touch()
    assert batch.wait()["reads"].values["total"]["value"] == 12
    assert value(project, "reads", "total") == 60  # not stored: the file it read has changed since


def test_helper_imported_from_bytecode_is_still_tracked(project: Path) -> None:
    # `python snippets/reads.py`, as CONTRIBUTING suggests, leaves a fresh .pyc of the helper.
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, str(project / "snippets" / "reads.py")], check=True, cwd=project, env=environment)
    assert list((project / "snippets" / "__pycache__").glob("_helper.*.pyc"))
    assert value(project, "reads", "total") == 12
    (project / "snippets" / "_helper.py").write_text("SCALE = 10\n")
    assert run(project, "reads")["reads"][0] is False
    assert value(project, "reads", "total") == 60


def test_failure_on_a_missing_module_runs_again_when_it_appears(project: Path) -> None:
    (project / "snippets" / "plain.py").write_text("from _later import ANSWER\nanswer = ANSWER\n")
    assert run(project, "plain")["plain"] == (False, "ModuleNotFoundError: No module named '_later'")
    assert run(project, "plain")["plain"][0] is True  # cached while nothing changes
    (project / "snippets" / "_later.py").write_text("ANSWER = 7\n")
    assert value(project, "plain", "answer") == 7


def test_failure_on_a_missing_data_file_runs_again_when_it_appears(project: Path) -> None:
    (project / "data" / "numbers.txt").unlink()
    cached, error = run(project, "reads")["reads"]
    assert (cached, str(error).startswith("FileNotFoundError")) == (False, True)
    (project / "data" / "numbers.txt").write_text("1 2\n")
    assert value(project, "reads", "total") == 6


ENGINE_EDIT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from livevalues import Cache, run_snippets
    project, engine = Path(sys.argv[1]), Path(sys.argv[2]) / "livevalues"
    snippets = [project / "snippets" / name for name in ("plain.py", "fails.py")]
    run_snippets(snippets[:1], project)  # the workers start with the engine as it is now
    capture = engine / "capture.py"
    capture.write_text(capture.read_text() + "\\n# edited while the workers run\\n")
    # As `mkdocs serve` does on the next rebuild: a new Cache, whose key hashes the edited files.
    results = run_snippets(snippets[1:], project, cache=Cache(project / ".cache", project))
    print(results["fails"].from_cache)
    """
)


@pytest.mark.slow
def test_results_of_an_engine_since_edited_are_not_trusted(project: Path, tmp_path: Path) -> None:
    hooks = tmp_path / "hooks"
    shutil.copytree(ROOT / "hooks" / "livevalues", hooks / "livevalues", ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run([sys.executable, "-c", ENGINE_EDIT, str(project), str(hooks)], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr
    # A restart with the edited engine: the result the old code computed is not served as its own.
    again = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {str(hooks)!r}); from pathlib import Path;"
            "from livevalues import Cache, run_snippets; p = Path(sys.argv[1]);"
            "print(run_snippets([p / 'snippets' / 'fails.py'], p, cache=Cache(p / '.cache', p))['fails'].from_cache)",
            str(project),
        ],
        capture_output=True,
        text=True,
    )
    assert again.stdout.strip() == "False", again.stderr


def test_entries_no_recent_build_used_are_pruned(project: Path) -> None:
    folder = project / ".cache"
    for version in range(KEEP_BUILDS + 2):  # a snippet edited between builds: a new entry each time
        (project / "snippets" / "plain.py").write_text(f"answer = {version}\n")
        Build(project, project / "docs", cache=Cache(folder, project)).run({"index.md": "%{plain.answer}"})
        long_ago = time.time() - 3600  # older than any build that could still be running
        for entry in folder.glob("*.json"):
            os.utime(entry, (long_ago, long_ago))
    assert len(list(folder.glob("*.json"))) == KEEP_BUILDS  # one per recent build
    assert value(project, "plain", "answer") == KEEP_BUILDS + 1
    assert run(project, "plain")["plain"][0] is True
