"""The export is a contract: MkDocs, ProperDocs and Zensical build it into the same site as the plugin build.

The default course is built once through the plugin (``course build``) and once with each engine
(``course build --engine``, which exports and builds each view's site with that engine alone); the two are
compared page by page: titles, the main content, the navigation and the search index, in both views.
Addresses are compared as the pages they lead to, and entities as the characters they stand for.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest

from builder import cli, engines
from builder.sanitize import sanitize
from builder.site import ASSETS_CSS, ASSETS_JS

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
ENGINES = ["mkdocs", "properdocs", "zensical"]
HOME_TITLE = "Building a Therapeutic Alliance"

# Zensical's own markup in the content area: the target of its skip link.
ENGINE_CHROME = ['<a id="__skip" tabindex="-1"></a>']
OWN_ASSETS = tuple(ASSETS_CSS + ASSETS_JS)  # the site's own stylesheets and scripts, not the theme's
_ADDRESS = re.compile(r'\b(href|src)="([^"]*)"')


def build(site: Path, *options: str) -> None:
    command = [sys.executable, "-m", "builder", "build", "--site-dir", str(site), *options]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr  # a missing engine says which package to install


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("plugin") / "site"
    build(site)
    return site


def build_with(engine: str, site: Path) -> None:
    """Build the default course's export with ``engine`` alone: the participant view into ``site``, the trainer view
    into its ``trainer/``. ``course build --engine`` does that, but for MkDocs, which it runs through the plugin:
    there the export is built here, with stock MkDocs, as an author would."""
    if engine != "mkdocs":
        build(site, "--engine", engine)
        return
    export = site.parent / "export"
    command = [sys.executable, "-m", "builder", "export", "markdown", str(export)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    for folder, target in ((export, site), (export / "trainer-site", site / "trainer")):
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs.yml"), "-d", str(target)]
        result = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)  # imports its sanitizer
        assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module", params=ENGINES)
def engine_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    site = tmp_path_factory.mktemp(request.param) / "site"
    build_with(request.param, site)
    yield request.param, site


def _normal(text: str, page_url: str, content: bool = False) -> str:
    for chrome in ENGINE_CHROME:
        text = text.replace(chrome, "")
    if content:
        # Both sides through the one allowlist: the plugin's pages passed it already (it is idempotent), and it
        # spells HTML its own way (`<hr>`, quotes in text); the comparison is of content, not spelling (the engines'
        # pages passed it too, through the export's copy of it).
        text = sanitize(text)
    text = _ADDRESS.sub(lambda m: f'{m.group(1)}="{urljoin(page_url, html.unescape(m.group(2)))}"', text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def page(path: Path, url: str) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    article = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', text, re.S)
    nav = re.findall(r'<a href="([^"]*)" class="md-nav__link[^"]*"[^>]*>\s*<span class="md-ellipsis">\s*(.*?)\s*</span>', text, re.S)
    assert title and article and nav, f"{path}: no title, content or navigation"
    language = re.search(r'<html lang="([^"]*)"', text)
    settings = re.search(r'<script id="__config" type="application/json">(.*?)</script>', text, re.S)
    addresses = [urljoin(url, html.unescape(a)) for a in re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]*)"', text)]
    return {
        "language": language.group(1) if language else None,
        "features": json.loads(settings.group(1))["features"] if settings else None,
        "assets": [a for a in addresses if a.endswith(OWN_ASSETS)],
        "title": _normal(title.group(1), url),
        "content": _normal(article.group(1), url, content=True),
        "nav": [(urljoin(url, html.unescape(href)), _normal(re.sub(r"<[^>]*>", "", label), url)) for href, label in nav],
    }


def _where(built: object, expected: object) -> str:
    """Where two texts part: the first differing place, with some context of each."""
    if not (isinstance(built, str) and isinstance(expected, str)):
        return ""
    at = next((i for i, (a, b) in enumerate(zip(built, expected, strict=False)) if a != b), min(len(built), len(expected)))
    return f" at {at}:\n  built:    …{built[max(0, at - 120) : at + 120]}…\n  expected: …{expected[max(0, at - 120) : at + 120]}…"


def site_pages(root: Path) -> dict[str, dict[str, object]]:
    """Every page of the view built in ``root`` (not the trainer view below it), by its address."""
    pages = {}
    for path in sorted(root.rglob("index.html")):
        relative = path.parent.relative_to(root).as_posix()
        if relative.split("/")[0] == "trainer":
            continue  # the trainer view, below the participant site
        url = "http://site/" + ("" if relative == "." else relative + "/")
        pages[url] = page(path, url)
    return pages


def search_entries(root: Path) -> list[tuple[str, str, str]]:
    """The search index's entries (address, title, text), from MkDocs' search_index.json or Zensical's search.json."""
    index = root / "search" / "search_index.json"
    entries = json.loads(index.read_text())["docs"] if index.exists() else json.loads((root / "search.json").read_text())["items"]
    return sorted((e["location"], _normal(e["title"], "http://site/"), _normal(e["text"], "http://site/")) for e in entries)


@pytest.mark.parametrize("view", ["participant", "trainer"])
def test_each_engine_builds_the_export_into_the_site_the_plugin_builds(plugin_site: Path, engine_site: tuple[str, Path], view: str) -> None:
    engine, site = engine_site
    expected_root, built_root = (plugin_site, site) if view == "participant" else (plugin_site / "trainer", site / "trainer")
    expected, built = site_pages(expected_root), site_pages(built_root)
    assert sorted(built) == sorted(expected) and len(expected) > 25
    home = "http://site/"
    if engine == "zensical":
        # A documented difference: Zensical titles the home page with its navigation label, as other pages.
        assert built[home]["title"] == "Home - " + expected[home]["title"]
        built[home]["title"] = expected[home]["title"]
    for url in expected:
        if engine == "zensical" and 'data-search-exclude=""' in str(expected[url]["content"]):
            # A documented difference: Zensical removes Material's data-search-exclude from the page once it has kept
            # those blocks (answer keys, commentary) out of its index, as the search index comparison below shows.
            assert "data-search-exclude" not in str(built[url]["content"])
            expected[url]["content"] = str(expected[url]["content"]).replace(' data-search-exclude=""', "")
        for part in ("language", "features", "assets", "title", "content", "nav"):
            assert built[url][part] == expected[url][part], f"{engine}, {view} view, {url}: the {part} differs{_where(built[url][part], expected[url][part])}"
    assert search_entries(built_root) == search_entries(expected_root)
    if view == "participant":
        # Each view has its own search: the participant site's holds no trainer text.
        assert not any("Trainer intentions" in text or "Facilitator" in title for _, title, text in search_entries(built_root))
        # Nor the answer keys of knowledge checks (module 5's HELP question), which every engine leaves out.
        assert not any("E is Empathy" in text for _, _, text in search_entries(built_root))
        assert any("Trainer intentions" in text for _, _, text in search_entries(built_root / "trainer"))
    assert expected[home]["title"].startswith(HOME_TITLE) and expected[home]["language"] == "en"
    assert "navigation.prune" in expected[home]["features"]  # type: ignore[operator]
    assert f"{home}assets/javascripts/journal.js" in expected[home]["assets"]  # type: ignore[operator]
    assert (f"{home}assets/javascripts/room.js" in expected[home]["assets"]) == (view == "trainer")  # type: ignore[operator]


SELECTOR = re.compile(r'<a href="([^"]*)" hreflang="([^"]*)"[^>]*class="md-select__link"')


def languages_of(root: Path) -> dict[str, list[tuple[str, str]]]:
    """Every page's language selector below ``root``: the address each language leads to, by page address."""
    found = {}
    for path in sorted(root.rglob("index.html")):
        url = "http://site/" + (path.parent.relative_to(root).as_posix() + "/").removeprefix("./")
        links = SELECTOR.findall(path.read_text(encoding="utf-8"))
        found[url] = [(lang, urljoin(url, html.unescape(href))) for href, lang in links]
    return found


@pytest.fixture(scope="module")
def translated_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import copy_course

    return copy_course("tiny", tmp_path_factory.mktemp("translated"), FIXTURES / "translation-fr")


@pytest.mark.parametrize("engine", ["properdocs", "zensical"])
def test_each_engine_builds_the_translations_where_the_plugin_does(engine: str, translated_course: Path, tmp_path: Path) -> None:
    """A translated course: every language's sites where the plugin puts them (`fr/`, `fr/trainer/`), the same pages
    in French, and every page's language selector leading to the same page in each language."""
    expected_root, built_root = tmp_path / "plugin", tmp_path / engine
    build(expected_root, "--content", str(translated_course))
    build(built_root, "--engine", engine, "--content", str(translated_course))
    for folder in ("fr", "fr/trainer"):
        expected, built = site_pages(expected_root / folder), site_pages(built_root / folder)
        assert sorted(built) == sorted(expected) and len(expected) > 5
        for url in expected:
            if engine == "zensical" and url == "http://site/":
                built[url]["title"] = str(built[url]["title"]).split(" - ", 1)[1]  # its home title, as above
            for part in ("language", "title", "content", "nav"):
                assert built[url][part] == expected[url][part], (
                    f"{engine}, {folder}, {url}: the {part} differs{_where(built[url][part], expected[url][part])}"
                )
        assert expected["http://site/"]["language"] == "fr"
        assert search_entries(built_root / folder) == search_entries(expected_root / folder)
    selectors = languages_of(built_root)
    assert selectors == languages_of(expected_root)
    assert selectors["http://site/fr/trainer/first-steps/"] == [
        ("en", "http://site/trainer/first-steps/"),
        ("fr", "http://site/fr/trainer/first-steps/"),
    ]


def test_an_engine_build_replaces_only_what_a_build_wrote(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("mine")
    result = subprocess.run(
        [sys.executable, "-m", "builder", "build", "--engine", "properdocs", "--site-dir", str(site)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr == f"error: --site-dir {site.as_posix()} holds files a build did not write (it has no .course-build); empty it or choose another folder\n"
    assert (site / "notes.txt").read_text() == "mine" and sorted(p.name for p in site.iterdir()) == ["notes.txt"]
    (site / "notes.txt").unlink()
    trainer = tmp_path / "trainer-only"
    build(site, "--engine", "properdocs", "--trainer-site-dir", str(trainer))
    assert (site / "index.html").exists() and not (site / "trainer").exists()
    assert "Trainer intentions" in (trainer / "facilitator-guide" / "index.html").read_text()
    build(site, "--engine", "properdocs", "--trainer-site-dir", str(trainer))  # again: its own marker lets it replace the site
    assert (site / ".course-build").exists() and (trainer / ".course-build").exists()


class Hidden:
    """A finder that makes one module impossible to import, as if its package were not installed."""

    def __init__(self, name: str):
        self.name = name

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname.split(".")[0] == self.name:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


@pytest.mark.parametrize("engine", ["properdocs", "zensical"])
def test_a_missing_engine_is_one_line_naming_the_package(
    engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "meta_path", [Hidden(engine), *sys.meta_path])
    for name in [m for m in sys.modules if m.split(".")[0] == engine]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.chdir(ROOT)
    site = tmp_path / "site"
    assert cli.main(["build", "--engine", engine, "--site-dir", str(site)]) == 1
    out, err = capsys.readouterr()
    assert err == f"error: the {engine} engine is not installed; install it with `pip install {engines.ENGINES[engine].package}`\n"
    assert out == "" and not site.exists()


def test_the_export_leaves_no_i18n_markup_for_engines_without_it(tmp_path: Path) -> None:
    from builder.export import translated

    assert translated('<p>{% trans %}<strong>Saved</strong>{% endtrans %} {{ _("Trainer view") }}</p>', "x.html") == (
        "<p><strong>Saved</strong> Trainer view</p>"
    )
    with pytest.raises(ValueError, match="x.html"):
        translated("{% trans count=n %}one{% pluralize %}many{% endtrans %}", "x.html")


def zensical(folder: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml"]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)


def test_zensical_differences_the_readme_lists(tmp_path: Path) -> None:
    """Zensical runs no MkDocs plugin, so it cannot build the project itself. It reads the addresses in a page's HTML
    as relative to the Markdown file where MkDocs reads them as relative to the page's URL; the export puts each
    page's file where its URL is, so the two agree and an export built by hand with Zensical links right, also
    served below a folder (as the trainer view and the translations are)."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "content", "theme"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copyfile)(ROOT / name, project / name)
    zensical(project)
    assert not (project / "site" / "welcome" / "index.html").exists()

    export = tmp_path / "export"
    subprocess.run([sys.executable, "-m", "builder", "export", "markdown", str(export)], cwd=ROOT, check=True, capture_output=True)
    result = zensical(export)
    assert result.returncode == 0, result.stderr
    text = (export / "site" / "barriers" / "index.html").read_text(encoding="utf-8")
    cited = re.search(r'class="course-cite" href="([^"]*)"', text)
    # Its search index is its own file; it keeps a cache beside the config, which exporting again replaces.
    assert (export / "site" / "search.json").is_file() and not (export / "site" / "search").exists()
    assert (export / ".cache").is_dir()
    again = subprocess.run([sys.executable, "-m", "builder", "export", "markdown", str(export)], cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    # Served below a folder (as the trainer view is, at trainer/), the link stays in it.
    assert cited and urljoin("http://site/course/barriers/", html.unescape(cited.group(1))) == "http://site/course/references/#ref-imhhv-deck"
    assert (export / "docs" / "barriers" / "index.md").is_file() and not (export / "docs" / "barriers.md").exists()


def test_an_engine_that_fails_leaves_the_last_site_as_it_was(tmp_path: Path) -> None:
    stand_in = tmp_path / "path" / "zensical"  # an installed engine that fails, as a broken config would make it
    stand_in.mkdir(parents=True)
    (stand_in / "__init__.py").write_text("")
    (stand_in / "__main__.py").write_text("import sys\nprint('Error: unknown setting', file=sys.stderr)\nsys.exit(1)\n")
    site = tmp_path / "site"
    site.mkdir()
    (site / ".course-build").write_text("index.html\n")
    (site / "index.html").write_text("the last good site")
    command = [sys.executable, "-m", "builder", "build", "--engine", "zensical", "--site-dir", str(site)]
    environment = {**os.environ, "PYTHONPATH": str(stand_in.parent)}
    result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr == f"Build failed; the last good site in {site}/ is untouched.\nzensical failed to build the participant view:\nError: unknown setting\n"
    assert (site / "index.html").read_text() == "the last good site"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


class Handlers(HTMLParser):
    """The ``on...`` attributes of an HTML text, as a browser's parser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [f"<{tag} {name}={value!r}>" for name, value in attrs if name.startswith("on")]

    @classmethod
    def of(cls, text: str) -> list[str]:
        parser = cls()
        parser.feed(text)
        parser.close()
        return parser.found


def json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def test_every_engine_passes_the_export_through_the_sanitizer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The export carries the plugin's sanitizer as a Markdown extension: with the input checks off, a handler in
    prose, in a heading and in a table-of-contents label reaches no page or search index of any engine; without
    the extension it would (so the check can fail); and with its module gone the build stops before any page."""
    from builder import fields
    from builder.export import SANITIZER, export_markdown
    from tests.hostile.cases import CASES, write_course

    monkeypatch.setattr(fields, "SAFETY_CHECKS", False)
    cases = [case for case in CASES if case.name in ("img-onerror", "heading-html", "attr-list-toc-label", "course-title-quote")]
    export = tmp_path / "export"
    export_markdown(write_course(tmp_path / "course", cases), export, str(ROOT / "mkdocs.yml"))
    assert (export / f"{SANITIZER}.py").read_bytes() == Path(sys.modules["builder.sanitize"].__file__ or "").read_bytes()

    def handlers(engine: str, folder: Path) -> list[str]:
        """The event handlers in the built site's pages and in the HTML its search index holds."""
        for built in ("site", ".cache"):  # Zensical's cache would serve the pages rendered before
            shutil.rmtree(folder / built, ignore_errors=True)
        engines.run(engines.ENGINES[engine], folder / "mkdocs.yml")
        found: list[str] = []
        for path in (folder / "site").rglob("*"):
            if path.suffix == ".html":
                found += Handlers.of(path.read_text(encoding="utf-8"))
            elif path.name in ("search.json", "search_index.json"):
                found += [h for value in json_strings(json.loads(path.read_text(encoding="utf-8"))) for h in Handlers.of(value)]
        return found

    for engine in ENGINES:
        for folder in (export, export / "trainer-site"):
            assert handlers(engine, folder) == [], engine
    config = (export / "mkdocs.yml").read_text(encoding="utf-8")
    (export / "mkdocs.yml").write_text(config.replace(f"- {SANITIZER}\n", ""), encoding="utf-8")
    assert handlers("mkdocs", export)
    (export / "mkdocs.yml").write_text(config, encoding="utf-8")
    (export / f"{SANITIZER}.py").unlink()
    for engine in ENGINES:
        with pytest.raises(engines.EngineFailed, match=SANITIZER):
            handlers(engine, export)
        assert not list((export / "site").rglob("index.html"))  # Zensical leaves its 404 page and assets, no page


def test_the_export_puts_each_page_where_its_url_is() -> None:
    """Links and images that lead to a file of the view are written from the page's new folder; addresses that led
    to no file were relative to the page's URL, which is where the file now is, and stay as they were."""
    from builder.export import _in_folders
    from builder.render import Page

    body = (
        "[next](bar.md#a) ![photo](media/p.png) [by URL](../boundaries/) [home](index.md) [web](https://example.org/x.md)"
        ' <a href="../bar/">HTML</a> [here](#top)\n\n[key]: media/p.png\n'
    )
    pages = [Page("participant", "foo.md", "Foo", body, None), Page("participant", "index.md", "Home", "[foo](foo.md)", None)]
    foo, home = _in_folders(pages, {"foo.md", "bar.md", "index.md", "media/p.png"})
    assert (foo.path, home.path) == ("foo/index.md", "index.md")
    assert foo.markdown == (
        "[next](../bar/index.md#a) ![photo](../media/p.png) [by URL](../boundaries/) [home](../index.md)"
        ' [web](https://example.org/x.md) <a href="../bar/">HTML</a> [here](#top)\n\n[key]: ../media/p.png\n'
    )
    assert home.markdown == "[foo](foo/index.md)"
