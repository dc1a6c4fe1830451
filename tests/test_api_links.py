"""Links from inline code to scikit-learn's API reference (hooks/api_links.py): name resolution on
the vendored inventory, the HTML rewrite, and the real built site, where every estimator a page
names in inline code must link to its page, and code blocks, headings and values stay untouched.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path

import api_links
import pytest
import sphobjinv
from api_links import Link, Reference, docs_base, link_page, load, resolve
from conftest import REPO_PATH, ServedSite
from playwright.sync_api import Browser, sync_playwright
from sklearn.utils.discovery import all_estimators

BASE = docs_base(version("scikit-learn"))
SVC, SGD, LOGISTIC = "sklearn.svm.SVC", "sklearn.linear_model.SGDClassifier", "sklearn.linear_model.LogisticRegression"


@pytest.fixture(scope="module")
def reference() -> Reference:
    return load(version("scikit-learn"))


def page_of(name: str) -> str:
    return f"{BASE}modules/generated/{name}.html#{name}"


def method_of(cls: str, method: str) -> str:
    return f"{BASE}modules/generated/{cls}.html#{cls}.{method}"


# Unit: name resolution, on the vendored inventory.

CASES = [
    # (code span, the candidate owners of a bare member in its context, where it links; None: plain)
    ("SVC", set(), page_of(SVC)),
    ("sklearn.svm.SVC", set(), page_of(SVC)),
    ("LassoCV", set(), page_of("sklearn.linear_model.LassoCV")),
    ("make_classification", set(), page_of("sklearn.datasets.make_classification")),
    ("ConvergenceWarning", set(), page_of("sklearn.exceptions.ConvergenceWarning")),
    ("TfidfVectorizer", set(), page_of("sklearn.feature_extraction.text.TfidfVectorizer")),
    ("sklearn.svm", set(), f"{BASE}api/sklearn.svm.html#module-sklearn.svm"),
    ('SVC(C=0.01, kernel="rbf")', set(), page_of(SVC)),
    ("GaussianMixture.fit", set(), method_of("sklearn.mixture.GaussianMixture", "fit")),
    ("sklearn.svm.SVC.fit", set(), method_of(SVC, "fit")),
    ("SVC.coef_", set(), page_of(SVC)),  # a fitted attribute: its class page
    ("SVC.C", set(), page_of(SVC)),  # a parameter: its class page
    ("coef_", {SVC}, page_of(SVC)),  # the one class on the page that has it
    ("fit", {SVC}, method_of(SVC, "fit")),
    ("get_params()", {SVC}, method_of(SVC, "get_params")),
    ("alpha=0.1", {SGD}, page_of(SGD)),
    ("shuffle", {SGD}, page_of(SGD)),  # SGDClassifier's parameter, not sklearn.utils.shuffle
    ("coef_", {SVC, LOGISTIC}, None),  # two owners: ambiguous
    ("coef_", set(), None),  # no owner on the page
    ("n_clusters", {SVC}, None),  # not SVC's
    ("alpha=0.1", set(), None),
    ("shuffle", set(), None),  # utilities get no short name
    ("deprecated", set(), None),
    ("SVC.no_such_thing", set(), None),
    ("NoSuchEstimator", set(), None),
    ("'rbf'", {SVC}, None),
    ("X", {SVC}, None),
    ("forest.estimators_[0] is first_tree", set(), None),
    ("%{svm.n_support}", {SVC}, None),  # the value syntax, shown as code
]


@pytest.mark.parametrize(("text", "context", "url"), CASES, ids=[f"{c[0]}-{len(c[1])}" for c in CASES])
def test_resolve(reference: Reference, text: str, context: set[str], url: str | None) -> None:
    link = resolve(text, reference, (frozenset(context),))
    assert (link.url if link else None) == url


def test_the_closest_context_with_an_owner_decides(reference: Reference) -> None:
    # The block names SVC, the model page is about SGDClassifier: the block wins where SVC has it.
    assert resolve("coef_", reference, (frozenset({SVC}), frozenset({SGD}))) == Link(SVC, page_of(SVC))
    assert resolve("alpha", reference, (frozenset({SVC}), frozenset({SGD}))) == Link(SGD, page_of(SGD))
    # Two owners in the block: plain, even when the page's subject would settle it.
    assert resolve("coef_", reference, (frozenset({SVC, LOGISTIC}), frozenset({SGD}))) is None


def test_the_base_url_is_the_installed_minor_version() -> None:
    assert docs_base("1.9.1") == "https://scikit-learn.org/1.9/"
    assert docs_base("1.10.0rc1") == "https://scikit-learn.org/1.10/"


def write_inventory(folder: Path, inventory_version: str, names: list[str]) -> Path:
    inventory = sphobjinv.Inventory()
    inventory.project, inventory.version = "scikit-learn", inventory_version
    for name in names:
        entry = sphobjinv.DataObjStr(
            name=name, domain="py", role="class", priority="1", uri=f"modules/generated/{name}.html#$", dispname="-"
        )
        inventory.objects.append(entry)
    sphobjinv.writebytes(folder / "sklearn.inv", sphobjinv.compress(inventory.data_file(contract=True)))
    members = {"version": inventory_version, "classes": {}}
    (folder / "sklearn-members.json").write_text(json.dumps(members), encoding="utf-8")
    return folder


def test_a_short_name_two_objects_share_stays_plain(tmp_path: Path) -> None:
    folder = write_inventory(tmp_path, "1.9", ["sklearn.a.Thing", "sklearn.b.Thing", "sklearn.b.Other"])
    shared = load("1.9.1", folder)
    assert resolve("Thing", shared) is None
    assert resolve("sklearn.a.Thing", shared) == Link("sklearn.a.Thing", page_of("sklearn.a.Thing"))
    assert resolve("Other", shared) == Link("sklearn.b.Other", page_of("sklearn.b.Other"))


def test_an_inventory_for_another_version_stops_the_build(tmp_path: Path) -> None:
    folder = write_inventory(tmp_path, "1.8", ["sklearn.a.Thing"])
    with pytest.raises(api_links.InventoryError, match=r"describes scikit-learn 1\.8, but 1\.9\.1 is installed"):
        load("1.9.1", folder)


def test_members_for_another_version_stop_the_build(tmp_path: Path) -> None:
    folder = write_inventory(tmp_path, "1.9", ["sklearn.a.Thing"])
    (folder / "sklearn-members.json").write_text('{"version": "1.8", "classes": {}}', encoding="utf-8")
    with pytest.raises(api_links.InventoryError, match=r"sklearn-members\.json describes scikit-learn 1\.8"):
        load("1.9.1", folder)


def test_the_vendored_inventory_is_for_the_installed_version(reference: Reference) -> None:
    assert reference.base_url == BASE
    assert set(reference.classes()) >= {f"{cls.__module__.split('._')[0]}.{name}" for name, cls in all_estimators()}


# Unit: the HTML rewrite.


def test_only_prose_code_is_linked(reference: Reference) -> None:
    untouched = [
        '<h2 id="svc">The <code>SVC</code> model<a class="headerlink" href="#svc">¶</a></h2>',
        '<div class="highlight"><pre><span></span><code><span class="n">SVC</span>()</code></pre></div>',
        '<p><a href="../svm/"><code>SVC</code></a></p>',
        '<p><code class="highlight"><span class="n">SVC</span></code></p>',  # highlighted inline code
        "<p><code>NoSuchEstimator</code> and <code>&lt;SVC&gt;</code></p>",
    ]
    page = "\n".join([*untouched, "<p>Fit an <code>SVC</code>, then read <code>coef_</code>.</p>"])
    linked, links = link_page(page, reference)
    for part in untouched:
        assert part in linked
    expected = page_of(SVC)
    assert f'<a class="api-link" href="{expected}" title="{SVC}"><code>SVC</code></a>' in linked
    assert f'<a class="api-link" href="{expected}" title="{SVC}"><code>coef_</code></a>' in linked
    assert links == [Link(SVC, expected), Link(SVC, expected)]


KMEANS, LINEAR = "sklearn.cluster.KMeans", "sklearn.linear_model.LinearRegression"
HGB, LASSO_CV, GRID = (
    "sklearn.ensemble.HistGradientBoostingClassifier",
    "sklearn.linear_model.LassoCV",
    "sklearn.model_selection.GridSearchCV",
)
FIT_KMEANS = "<pre><code>km = KMeans(n_clusters=3)\nkm.fit(X)</code></pre>"

BARE_MEMBERS = [
    # (what the case shows, page HTML, a model page?, [(bare member, title of its link; None: plain)]
    # in page order: every code span of that text)
    # The misleading links of the page-wide rule, reduced to their pages' shape: a general sentence,
    # and a class that has the member named elsewhere on the page. All plain now.
    (
        "glossary/parameter.md: classes_ in a general list item, GridSearchCV named in another one",
        "<ul><li>Learned parameters: <code>coef_</code>, <code>intercept_</code>, and also <code>classes_</code>,"
        " the labels a prediction is mapped back to.</li>"
        "<li>Chosen by a search: <code>GridSearchCV</code> keeps <code>best_params_</code>.</li></ul>",
        False,
        [("coef_", None), ("intercept_", None), ("classes_", None), ("best_params_", GRID)],
    ),
    (
        "glossary/parameter.md: coef_ in a general paragraph, LassoCV named in a later one",
        "<p>scikit-learn names the public attributes <code>fit</code> sets with a trailing underscore:"
        " <code>coef_</code>, <code>support_vectors_</code>.</p>"
        "<p>See also: <code>LassoCV</code> picks <code>alpha_</code> by cross-validation.</p>",
        False,
        [("fit", None), ("coef_", None), ("support_vectors_", None), ("alpha_", LASSO_CV)],
    ),
    (
        "glossary/hyperparameter.md: n_jobs and verbose in a general list item, LassoCV named elsewhere",
        "<ul><li>A constructor argument that changes nothing learned (<code>n_jobs</code>, <code>verbose</code>)"
        " is a computational setting.</li></ul>"
        "<div class='admonition note'><p class='admonition-title'>Note</p>"
        "<p><code>LassoCV(cv=5)</code> runs its folds on <code>n_jobs</code> processes.</p></div>",
        False,
        [("n_jobs", None), ("verbose", None), ("n_jobs", LASSO_CV)],
    ),
    (
        "edge-cases/chosen-from-data.md: max_depth=None about trees in general, HGB used in a code block",
        "<pre><code>hgb = HistGradientBoostingClassifier(early_stopping=True)</code></pre>"
        "<p>The depth of a tree grown with <code>max_depth=None</code> is a result of the data.</p>"
        "<p><code>HistGradientBoostingClassifier</code> has <code>max_depth=None</code> too.</p>",
        False,
        [("max_depth=None", None), ("max_depth=None", HGB)],
    ),
    # The owner named in the same block and sentence: linked.
    (
        "a list item that names LinearRegression",
        "<ul><li><code>LinearRegression</code> learns <code>coef_</code> and <code>intercept_</code></li>"
        "<li>a general <code>coef_</code></li></ul>",
        False,
        [("coef_", LINEAR), ("intercept_", LINEAR), ("coef_", None)],
    ),
    (
        "a paragraph, an admonition's paragraph and a table cell (not its row)",
        "<p>With <code>SVC(C=1)</code>, <code>dual_coef_</code> holds the weights.</p>"
        "<div class='admonition'><p>On a <code>KMeans</code>, <code>fit</code> minimises <code>inertia_</code>.</p></div>"
        "<table><tr><td><code>LinearRegression</code> sets <code>rank_</code></td><td><code>tol</code></td></tr>"
        "</table>",
        False,
        [("dual_coef_", SVC), ("fit", f"{KMEANS}.fit"), ("inertia_", KMEANS), ("rank_", LINEAR), ("tol", None)],
    ),
    (
        "the sentence ends the context: the paragraph's next sentence is general",
        "<p><code>LinearRegression</code> learns <code>coef_</code>. Every linear model has a"
        " <code>coef_</code>; a <code>fit</code> sets it.</p>",
        False,
        [("coef_", LINEAR), ("coef_", None), ("fit", None)],
    ),
    (
        "a nested list item is a block of its own, apart from its parent",
        "<ul><li><code>SVC</code> keeps <code>support_vectors_</code><ul><li>and <code>dual_coef_</code></li></ul>"
        " and <code>n_support_</code></li></ul>",
        False,
        [("support_vectors_", SVC), ("dual_coef_", None), ("n_support_", SVC)],
    ),
    (
        "two classes in the sentence that have the member: plain",
        "<p><code>SVC</code> and <code>LogisticRegression</code> both learn <code>coef_</code>, and"
        " <code>support_vectors_</code> is the first one's.</p>",
        False,
        [("coef_", None), ("support_vectors_", SVC)],
    ),
    (
        "index.md: a general list whose other members are not the named class's names no owner",
        "<table><tr><td><code>n_iter_</code>, <code>loss_curve_</code>, <code>inertia_</code>, <code>labels_</code>"
        " of <code>KMeans</code>, <code>n_features_in_</code></td>"
        "<td><code>KMeans.predict</code> gives the same labels with <code>labels_</code> deleted</td></tr></table>",
        False,
        [("n_iter_", None), ("inertia_", None), ("labels_", None), ("n_features_in_", None), ("labels_", KMEANS)],
    ),
    (
        "edge-cases/index.md: a possessive names the class for its own member only, so the list stays plain",
        "<p><code>LassoCV</code>'s <code>alpha_</code>, early stopping's <code>n_iter_</code>, <code>var_smoothing</code></p>",
        False,
        [("alpha_", None), ("n_iter_", None), ("var_smoothing", None)],
    ),
    # A page about one model family: its code blocks' classes own what the sentence does not settle.
    (
        "a model page: its code block's KMeans owns a bare member in a general sentence",
        f"{FIT_KMEANS}<p>The quantity <code>fit</code> minimises is <code>inertia_</code>.</p>"
        "<p><code>SVC</code> has <code>coef_</code>; it has no <code>n_clusters</code>.</p>",
        True,
        [("fit", f"{KMEANS}.fit"), ("inertia_", KMEANS), ("coef_", SVC), ("n_clusters", KMEANS)],
    ),
    (
        "the same page, not a model page: its code block names no owner",
        f"{FIT_KMEANS}<p>The quantity <code>fit</code> minimises is <code>inertia_</code>.</p>",
        False,
        [("fit", None), ("inertia_", None)],
    ),
]
_LINKED_CODE = re.compile(
    r'(?:<a class="api-link" href="[^"]*" title="(?P<title>[^"]*)">)?<code>(?P<text>[^<]*)</code>'
)


@pytest.mark.parametrize(
    ("page", "subject_page", "expected"), [case[1:] for case in BARE_MEMBERS], ids=[case[0] for case in BARE_MEMBERS]
)
def test_a_bare_member_links_only_to_the_owner_its_close_context_names(
    reference: Reference, page: str, subject_page: bool, expected: list[tuple[str, str | None]]
) -> None:
    linked, _ = link_page(page, reference, subject_page=subject_page)
    texts = {text for text, _ in expected}
    found = [(m["text"], m["title"]) for m in _LINKED_CODE.finditer(linked) if m["text"] in texts]
    assert found == expected


# The real site.


class _Code(HTMLParser):
    """Every inline <code> on a built page, outside code blocks, headings and the values engine's
    output: its text and the href of the link around it. Written apart from api_links' parser."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.spans: list[tuple[str, str | None]] = []
        self.in_headings_or_blocks: list[str] = []  # hrefs of API links found where none belongs
        self._stack: list[tuple[str, dict[str, str]]] = []
        self._text: list[str] | None = None
        self.feed(text)

    def _inside(self, *tags: str) -> bool:
        return any(tag in tags for tag, _ in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        misplaced = self._inside("pre", "h1", "h2", "h3", "h4", "h5", "h6") or self._values()
        if tag == "a" and "api-link" in attr.get("class", "").split() and misplaced:
            self.in_headings_or_blocks.append(attr["href"])
        if tag in {"br", "img", "input", "meta", "link", "hr", "wbr"}:
            return
        self._stack.append((tag, attr))
        if tag == "code" and not self._inside("pre", "h1", "h2", "h3", "h4", "h5", "h6") and not self._values():
            self._text = []

    def _values(self) -> bool:
        return any(cls.startswith("livevalues") for _, attr in self._stack for cls in attr.get("class", "").split())

    def handle_endtag(self, tag: str) -> None:
        if tag == "code" and self._text is not None:
            links = [attr.get("href") for name, attr in self._stack if name == "a"]
            self.spans.append(("".join(self._text), links[-1] if links else None))
            self._text = None
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def estimator_pages() -> dict[str, str]:
    """Each estimator's name -> its API page, from scikit-learn itself: the public module is the
    class's module up to its first private part (sklearn.svm._classes -> sklearn.svm)."""
    return {name: page_of(f"{cls.__module__.split('._')[0]}.{name}") for name, cls in all_estimators()}


@pytest.fixture(scope="module")
def built_pages(served_site: ServedSite) -> dict[str, str]:
    site = served_site.site_dir
    return {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8") for path in site.rglob("*.html")}


def test_every_estimator_named_in_inline_code_links_to_its_page(built_pages: dict[str, str]) -> None:
    pages = estimator_pages()
    # `SVC._gamma` is not expected to link: the API page does not document private attributes.
    named = re.compile(r"(?:sklearn\.[\w.]+\.)?(?P<name>[A-Za-z_]\w*)(?:\(.*\)|\.(?!_)\w+(?:\(\))?)?", re.DOTALL)
    found, wrong = 0, []
    for path, text in sorted(built_pages.items()):
        for code, href in _Code(text).spans:
            match = named.fullmatch(code.strip())
            if match is None or match["name"] not in pages:
                continue
            found += 1
            expected = pages[match["name"]]
            if href is None or href.split("#")[0] != expected.split("#")[0]:
                wrong.append(f"{path}: `{code}` links to {href}, not {expected}")
    assert found >= 20, f"the site names estimators in inline code: this test saw {found}"
    assert not wrong, "\n".join(wrong)


def test_code_blocks_headings_and_values_are_untouched(built_pages: dict[str, str]) -> None:
    misplaced = {path: hrefs for path, text in built_pages.items() if (hrefs := _Code(text).in_headings_or_blocks)}
    assert not misplaced
    svm = built_pages["models/svm/index.html"]
    assert '<span class="n">SVC</span>' in svm  # the code block, still highlighted as pymdownx made it
    assert "<caption>Set: <code>SVC.get_params()</code>" in svm  # the values engine's table


def test_api_links_are_plain_links_to_the_versioned_reference(built_pages: dict[str, str]) -> None:
    anchors = re.findall(r'<a class="api-link"[^>]*>', "".join(built_pages.values()))
    assert len(anchors) >= 50
    for anchor in set(anchors):
        assert re.fullmatch(rf'<a class="api-link" href="{re.escape(BASE)}[^"]+" title="sklearn[\w.]*">', anchor)


# In a browser: an API link looks like the page's other links and opens in the same tab.

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, as tests/test_browser.py starts it: skipped without it, unless CI."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true" or os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is not installed at {CHROMIUM}", pytrace=False)
        pytest.skip(f"Chromium is not installed at {CHROMIUM}: apt-get update && apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.mark.slow
def test_an_api_link_is_styled_like_the_other_links(chromium: Browser, served_site: ServedSite) -> None:
    context = chromium.new_context()
    origin = served_site.url.split(f"/{REPO_PATH}/")[0]
    context.route(re.compile("^(?!" + re.escape(origin) + ")"), lambda route: route.abort())  # offline
    page = context.new_page()
    page.goto(served_site.url + "models/svm/", wait_until="networkidle")
    api_link = page.locator("article a.api-link").first
    # A plain Markdown link, added beside it: the colour the theme gives links in prose.
    plain = api_link.evaluate(
        """link => {
            const plain = Object.assign(document.createElement("a"), {href: "#", textContent: "plain"});
            link.parentElement.append(plain);
            return getComputedStyle(plain).color;
        }"""
    )
    assert api_link.locator("code").evaluate("code => getComputedStyle(code).color") == plain
    assert api_link.get_attribute("target") is None  # the same tab, like every other link
    context.close()
