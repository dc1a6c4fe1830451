"""Shared fixtures: the real site built once, in this process, by MkDocs; helpers to build and serve sites."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import markdown
import pytest
from livevalues import Build, numerics

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
HOOK = ROOT / "hooks" / "values_hook.py"
FIXTURES = ROOT / "tests" / "fixtures"  # small projects: broken pages and snippets, hostile ones, a cache
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def page_sources(docs: Path = DOCS) -> dict[str, str]:
    return {path.relative_to(docs).as_posix(): path.read_text(encoding="utf-8") for path in sorted(docs.rglob("*.md"))}


@pytest.fixture(scope="session")
def rendered(served_site: ServedSite) -> Build:
    """The values engine's build of the real site: the one MkDocs ran for `served_site`."""
    return served_site.build


def render_all(build: Build) -> Build:
    """Run what the build's pages need and expand every page, as the MkDocs hook does: mark the
    Markdown, convert it to HTML, fill the HTML (which reports any placeholder left unexpanded)."""
    sources = page_sources(build.docs_dir)
    build.run(sources)
    for src, text in sources.items():
        build.pages.fill(src, to_html(build.pages.mark(src, text), build.root))
    return build


def to_html(text: str, root: Path) -> str:
    """Markdown to HTML with the extensions that decide where a value lands (tables, admonitions, code)."""
    return str(
        markdown.markdown(
            text,
            extensions=["admonition", "attr_list", "md_in_html", "tables", "pymdownx.superfences", "pymdownx.snippets"],
            extension_configs={"pymdownx.snippets": {"base_path": [str(root / "snippets"), str(root / "includes")]}},
        )
    )


@dataclass(frozen=True)
class Built:
    """What an in-process `mkdocs build` gave: its exit code, everything it logged, the values engine's build."""

    returncode: int
    log: str  # MkDocs' log and the engine's, "LEVEL - message" a line, then the error that stopped it
    build: Build | None  # None when the config did not load


def build_site(
    project: Path, *, strict: bool = True, site_dir: Path | None = None, env: dict[str, str] | None = None
) -> Built:
    """`mkdocs build [--strict]` in this process, as its command line runs it (startup, build, shutdown).

    The real MkDocs with the real hooks, sharing this process's warm worker pool: a build costs
    its own work, not a new interpreter and a new forkserver. `env` is set for the build only, and
    the build runs in the project's folder, as the command would (pymdownx.snippets reads relative
    paths from there).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    lines: list[str] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: lines.append(f"{record.levelname} - {record.getMessage()}")  # type: ignore[method-assign]
    loggers = [logging.getLogger(name) for name in ("mkdocs", "livevalues")]
    levels = [logger.level for logger in loggers]
    saved = {name: os.environ.get(name) for name in (env or {})}
    os.environ.update(env or {})
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    config = None
    cwd = os.getcwd()
    os.chdir(project)
    try:
        config = load_config(
            config_file=str(project / "mkdocs.yml"), strict=strict, site_dir=str(site_dir) if site_dir else None
        )
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        code = 0
    except (Abort, ConfigurationError) as error:
        lines.append(f"ERROR - {error}")
        code = 1
    finally:
        os.chdir(cwd)
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    hooks = [plugin for name, plugin in (config.plugins.items() if config else []) if name.endswith("values_hook.py")]
    return Built(code, "\n".join(lines), hooks[0].current_build() if hooks else None)


@dataclass(frozen=True)
class FixtureSite:
    """A fixture project built by `build_fixture`: what the build gave, and where."""

    built: Built
    project: Path
    site: Path
    untouched: bool  # the build left docs/ and snippets/ as they were

    @property
    def build(self) -> Build:
        assert self.built.build is not None, self.built.log[-3000:]
        return self.built.build


def build_fixture(where: Path, fixture: Path, *, extra_config: str = "", without: tuple[str, ...] = ()) -> FixtureSite:
    """A copy of a fixture project (minus the pages in `without`) built strictly, in this process."""
    project = make_project(where / "project", fixture, extra_config)
    for page in without:
        (project / "docs" / page).unlink()
    before = tree_digest(project / "docs", project / "snippets")
    built = build_site(project, site_dir=where / "site")
    return FixtureSite(built, project, where / "site", tree_digest(project / "docs", project / "snippets") == before)


def mkdocs(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real MkDocs CLI (never with -q: quiet mode hides the warnings --strict counts)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **QUIET},
    )


def make_project(where: Path, fixture: Path, extra_config: str = "") -> Path:
    """A small MkDocs project in `where`: the fixture's docs, snippets and includes, our hook."""
    for folder in ("docs", "snippets", "includes"):
        if (fixture / folder).is_dir():
            shutil.copytree(fixture / folder, where / folder)
    (where / "mkdocs.yml").write_text(
        f"""site_name: fixture
theme:
  name: material
  font: false
hooks:
  - {HOOK}
watch:
  - snippets
markdown_extensions:
  - admonition
  - attr_list
  - pymdownx.superfences
  - pymdownx.snippets:
      base_path: [snippets, includes]
      check_paths: true
{extra_config}""",
        encoding="utf-8",
    )
    return where


def project_from(where: Path, docs: dict[str, str], snippets: dict[str, str], extra_config: str = "") -> Path:
    """A small MkDocs project in `where/project` with these pages and snippets (name -> text), our hook."""
    fixture = where / "fixture"
    for folder, files in (("docs", docs), ("snippets", snippets)):
        (fixture / folder).mkdir(parents=True)
        for name, text in files.items():
            (fixture / folder / name).write_text(text, encoding="utf-8")
    return make_project(where / "project", fixture, extra_config)


REPO_PATH = "executable-glossary"  # the GitHub Pages sub-path: https://<org>.github.io/<repo>/


@dataclass(frozen=True)
class ServedSite:
    site_dir: Path  # the built site, as GitHub Pages would publish it
    url: str  # where it is served, under /<repo>/ like GitHub Pages, matching site_url
    build: Build  # the values engine's build: what each page shows


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The real site, built once per test run by MkDocs with --strict, served on 127.0.0.1.

    Instant navigation and search need site_url to match the serving origin, so the server binds
    its port first and the build is told that address. The build uses the site's results cache
    (as `mkdocs build` does: its key covers every input), so one changed snippet runs one snippet.
    """
    root = tmp_path_factory.mktemp("served")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    url = f"http://127.0.0.1:{server.server_address[1]}/{REPO_PATH}/"
    before = tree_digest(ROOT / "docs", ROOT / "snippets")
    built = build_site(ROOT, site_dir=root / REPO_PATH, env={"SITE_URL": url})
    assert (built.returncode, built.build is not None) == (0, True), built.log[-5000:]
    assert tree_digest(ROOT / "docs", ROOT / "snippets") == before  # a build never writes to the sources
    assert built.build is not None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ServedSite(root / REPO_PATH, url, built.build)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# The browser the browser tests share (test_browser.py and each test_browser_*.py): one per test
# process, since playwright's sync API cannot run two at once in one thread.

CHROMIUM = Path("/usr/bin/chromium")
MISSING = (
    f"Chromium is not installed at {CHROMIUM}: the browser test needs Debian's package. "
    "Install it with: apt-get update && apt-get install -y chromium"
)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true" or os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(MISSING, pytrace=False)
        pytest.skip(MISSING)
    from playwright.sync_api import sync_playwright  # only here: most test runs open no browser

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",  # CI runs as root
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class PageFacts(HTMLParser):
    """What the tests read from a built page: ids, meta tags, links, scripts, term links."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.heading_ids: list[str] = []
        self.permalinks: set[str] = set()
        self.meta: dict[str, str] = {}
        self.hrefs: list[str] = []
        self.external: list[str] = []  # scripts, stylesheets and images loaded from another origin
        self.term_links: dict[str, tuple[str, str]] = {}  # word -> (href, title) of its first term link
        self._term_link: tuple[str, str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        if "id" in attr:
            self.ids.add(attr["id"])
            if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                self.heading_ids.append(attr["id"])
        if tag == "meta" and ("name" in attr or "property" in attr):
            self.meta[attr.get("name") or attr["property"]] = attr.get("content", "")
        if tag == "a" and "href" in attr:
            self.hrefs.append(attr["href"])
            if "headerlink" in attr.get("class", "").split():
                self.permalinks.add(attr["href"])
        source = attr.get("src") if tag in {"script", "img"} else attr.get("href") if tag == "link" else None
        if source and source.startswith(("http:", "https:", "//")) and attr.get("rel") != "canonical":
            self.external.append(source)
        if tag == "a" and "term-link" in attr.get("class", "").split():
            self._term_link = (attr["href"], attr.get("title", ""))

    def handle_data(self, data: str) -> None:
        if self._term_link is not None:
            self.term_links.setdefault(data, self._term_link)
            self._term_link = None


def built_page(site_dir: Path, url: str) -> Path:
    """The HTML file behind a site-relative URL ("glossary/parameter/", "" for the home page)."""
    path = url.split("#", 1)[0]
    return site_dir / path / "index.html" if path == "" or path.endswith("/") else site_dir / path


# Snapshots: the numeric environment they were written in, and what an update changed.

SNAPSHOTS = ROOT / "tests" / "__snapshots__" / "test_snippets.ambr"
SNAPSHOT_MACHINE = ROOT / "tests" / "snapshot-machine.json"  # written by --snapshot-update
BEFORE_UPDATE = pytest.StashKey[dict[str, str]]()


def snapshot_entries(text: str) -> dict[str, str]:
    """Each snapshot's body by its name ("test_page_values[models/svm.md]"), from syrupy's .ambr text."""
    entries: dict[str, str] = {}
    name = None
    for line in text.splitlines():
        if line.startswith("# name: "):
            name = line.removeprefix("# name: ")
            entries[name] = ""
        elif name is not None:
            entries[name] += line + "\n"
    return entries


def machine_note() -> str:
    """For a failing snapshot: where the snapshots were computed, against here, and what to run."""
    here = numerics.describe()
    try:
        written = json.loads(SNAPSHOT_MACHINE.read_text())
    except (OSError, ValueError):
        written = {}
    differences = [
        f"{name}: {written.get(name, '?')!r} there, {here.get(name, '')!r} here"
        for name in sorted(set(written) | set(here))
        if written.get(name) != here.get(name)
    ]
    where = (
        "This machine's numeric environment is the one that wrote the snapshots"
        if not differences
        else "This machine differs from the one that wrote the snapshots:\n  " + "\n  ".join(differences)
    )
    return (
        f"The values this page shows changed. {where}.\nBefore accepting them with --snapshot-update,"
        " run `.venv/bin/python hooks/check_determinism.py --kernels`: a value that changes between"
        " kernels must be made robust in its snippet, not accepted."
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    if session.config.getoption("--snapshot-update", default=False) and SNAPSHOTS.is_file():
        session.config.stash[BEFORE_UPDATE] = snapshot_entries(SNAPSHOTS.read_text(encoding="utf-8"))


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """After --snapshot-update: every page whose shown values changed, and the machine they came from."""
    before = config.stash.get(BEFORE_UPDATE, None)
    if before is None:
        return
    after = snapshot_entries(SNAPSHOTS.read_text(encoding="utf-8")) if SNAPSHOTS.is_file() else {}
    changed = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
    if changed:
        SNAPSHOT_MACHINE.write_text(json.dumps(numerics.describe(), indent=2, sort_keys=True) + "\n")
    terminalreporter.section("snapshot update")
    if not changed:
        terminalreporter.write_line("No page's shown values changed.")
        return
    terminalreporter.write_line(f"Shown values changed on {len(changed)} page(s); review each before committing:")
    for name in changed:
        page = name.partition("[")[2].rstrip("]") or name
        state = "new" if name not in before else "removed" if name not in after else "changed"
        terminalreporter.write_line(f"  {state}: {'docs/' + page if page.endswith('.md') else name}")
    terminalreporter.write_line(f"Recorded the numeric environment in {SNAPSHOT_MACHINE.relative_to(ROOT)}.")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test item, so a fixture can tell that its test failed."""
    report: pytest.TestReport = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


# Helpers for tests that drive a live `mkdocs serve`.


@contextlib.contextmanager
def dev_server(
    project: Path, cache: Path | None = None, log: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`mkdocs serve` on a free port in `project`: (its base URL, the process); stopped on exit.

    `cache`: the results cache folder (None: the project's default); `log`: where its output goes.
    """
    port = free_port()
    environment = {**os.environ, **QUIET, **({"LIVEVALUES_CACHE_DIR": str(cache)} if cache else {})}
    with open(log or os.devnull, "w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=output,
            stderr=output,
            env=environment,
        )
    try:
        yield f"http://127.0.0.1:{port}/", server
    finally:
        server.terminate()
        server.wait(10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode())


def wait_for(url: str, text: str, server: subprocess.Popen[Any], seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        assert server.poll() is None, "the dev server stopped"
        try:
            page = fetch(url)
        except OSError:
            page = ""
        if text in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{text!r} never appeared at {url}; last page:\n{page[-2000:]}")


def tree_digest(*folders: Path) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
