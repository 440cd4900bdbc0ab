"""Live preview and build speed-ups: what a rebuild serves is exactly what a cold build makes.

The preview runs in this process on a generated course; after each kind of save (a text edit, a title
edit, a reorder, an added module, a content error and its fix) every HTML page and both search indexes
are fetched from it over HTTP and compared with a cold ``mkdocs build`` of the same content, run in a
fresh interpreter with the same site URL. Also: an unchanged module is not parsed again; the navigation
of a page stays bounded as the course grows; the trainer view built in parallel is the one built after.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.generate import generate, module_file, module_yaml
from builder.plugin import LOADER, Forked
from builder.preview import Preview
from builder.render import NAV_SECTION_SIZE, Page, nav
from builder.server import PreviewServer

from .conftest import REPO, fetch, free_port, wait_for

ENV = {"NO_MKDOCS_2_WARNING": "1"}
MODULES = NAV_SECTION_SIZE + 1  # two navigation sections
WORDS = 120  # short modules: the pages' structure matters here, not their length

COLD_BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(sys.argv[1], docs_dir=sys.argv[2], site_dir=sys.argv[3], site_url=sys.argv[4])
config.plugins.on_startup(command="build", dirty=False)
build(config)
"""
LIVERELOAD = re.compile(r"<script>\s*var livereload = .*?</script>", re.S)


class Served:
    """A preview running in this process, as `course serve` runs it, on a course in a temporary folder."""

    def __init__(self, root: Path, modules: int = MODULES, words: int = WORDS):
        self.root = root
        self.content = generate(root / "content", modules, words=words)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.site = root / "preview"
        self.site.mkdir()
        overrides = {"docs_dir": str(self.content), "dev_addr": f"127.0.0.1:{self.port}"}
        self.preview = Preview(str(REPO / "mkdocs.yml"), self.site, self.base + "/", overrides)
        self.server = PreviewServer(self.preview, "127.0.0.1", self.port, str(self.site))
        for path in self.preview.watched():
            self.server.watch(path)
        self.thread = threading.Thread(target=self.server.serve, daemon=True)
        self.thread.start()
        wait_for(self.base + "/", lambda html: "</html>" in html)

    def module(self, number: int) -> Path:
        return self.content / "modules" / module_file(number)

    def edit(self, path: Path, before: str, after: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert before in text, f"{before!r} not in {path.name}"
        path.write_text(text.replace(before, after, 1), encoding="utf-8")

    def page(self, url: str) -> str:
        return LIVERELOAD.sub("", fetch(self.base + url))

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=30)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    served = Served(tmp_path_factory.mktemp("preview"))
    yield served
    served.stop()


def cold_build(served: Served) -> Path:
    site = served.root / "cold"
    shutil.rmtree(site, ignore_errors=True)
    result = subprocess.run(
        [sys.executable, "-c", COLD_BUILD, str(REPO / "mkdocs.yml"), str(served.content), str(site), served.base + "/"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
    )
    assert result.returncode == 0, result.stderr
    return site


def html_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "assets" not in p.parts)


def search_entries(index: str) -> tuple[dict[str, object], list[str]]:
    data = json.loads(index)
    return data["config"], sorted(json.dumps(entry, sort_keys=True) for entry in data["docs"])


NAV_LINK = re.compile(r'<a href="([^"]*)" class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>', re.S)


def nav_links(html: str) -> list[tuple[str, str]]:
    """The links of a page's navigation (its sections' and its table of contents' too), in order."""
    start = html.find('<nav class="md-nav md-nav--primary"')
    if start < 0:
        return []
    depth, end = 0, start
    for tag in re.finditer(r"<(/?)nav\b", html[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = start + tag.end()
            break
    return NAV_LINK.findall(html[start:end])


def assert_same_as_cold_build(served: Served) -> None:
    """Every page the preview serves, both search indexes and the navigation, as a cold build makes them."""
    cold = cold_build(served)
    pages = html_files(cold)
    assert html_files(served.site) == pages, "the preview has other pages than a cold build"
    differing = []
    for path in pages:
        expected = (cold / path).read_text(encoding="utf-8")
        actual = served.page("/" + path)
        if actual != expected:
            differing.append(path)
            if len(differing) == 1:
                assert nav_links(actual) == nav_links(expected), f"stale navigation on {path}"
                first = next(i for i, (a, b) in enumerate(zip(actual, expected, strict=False)) if a != b)
                detail = f"{path} first differs at {first}:\n  served: {actual[first - 200 : first + 200]!r}\n  cold:   {expected[first - 200 : first + 200]!r}"
    assert not differing, f"{len(differing)} pages differ from a cold build: {differing[:10]}\n{detail}"
    for view in ("", "trainer/"):
        index = f"{view}search/search_index.json"
        assert search_entries(served.page("/" + index)) == search_entries((cold / index).read_text()), f"stale {index}"


def test_text_edit(served: Served) -> None:
    marker = "PREVIEWTEXTEDIT"
    served.edit(served.module(2), "    body: |\n      ", f"    body: |\n      {marker} ")
    wait_for(served.base + "/module-2/", lambda html: marker in html)
    assert marker in served.page("/trainer/module-2/")
    assert [Path(name).name for name in LOADER.parsed] == [module_file(2)]  # the other files came from the cache
    assert marker in served.page("/print/")  # finished after the reload; the request waits for it
    assert marker in served.page("/search/search_index.json")
    assert_same_as_cold_build(served)


def test_title_edit(served: Served) -> None:
    served.edit(served.module(3), 'title: "Module 3: ', 'title: "Module 3: Renamed ')
    # The next module's pager and every page's navigation show the new title.
    wait_for(served.base + "/module-4/", lambda html: "Module 3: Renamed" in html)
    title = re.search(r'^title: "(.*)"$', served.module(3).read_text(), re.M).group(1)  # type: ignore[union-attr]
    assert ("../module-3/", title) in nav_links(served.page("/module-1/"))
    assert f"3. {title}" in served.page("/trainer/agenda/")
    assert_same_as_cold_build(served)


def test_reorder(served: Served) -> None:
    served.edit(served.content / "course.yml", "  - module-5\n  - module-6\n", "  - module-6\n  - module-5\n")
    wait_for(served.base + "/module-5/", lambda html: f"Module 6 of {MODULES}" in html)
    assert_same_as_cold_build(served)


def test_reorder_by_file_names(served: Served) -> None:
    """Without a `modules:` list the file names set the order: renaming two files swaps two modules, and
    the pages of the whole course and every page's navigation follow without a full rebuild."""
    course = served.content / "course.yml"
    text = course.read_text()
    course.write_text(text[: text.index("modules:\n")] + text[text.index("license:") :])
    wait_for(served.base + "/module-5/", lambda html: "Module 5 of" in html)
    served.module(7).rename(served.content / "modules" / "008-module-7.yml")
    served.module(8).rename(served.content / "modules" / "007-module-8.yml")
    wait_for(served.base + "/module-7/", lambda html: f"Module 8 of {MODULES}" in html)
    assert_same_as_cold_build(served)


def test_added_module(served: Served) -> None:
    number = MODULES + 1
    served.module(number).write_text(module_yaml(number, words=WORDS), encoding="utf-8")
    wait_for(
        served.base + f"/module-{number}/", lambda html: f"Module {number} of {number}" in html and "course-errors" not in html
    )
    assert_same_as_cold_build(served)


def test_content_error_then_fix(served: Served) -> None:
    module = served.module(2)
    good = module.read_text(encoding="utf-8")
    served.edit(module, "    kind: tip\n", "    kind: tip\n    cite: [no-such-key]\n")
    page = wait_for(served.base + "/module-2/", lambda html: "The last save has errors" in html)
    assert "unknown reference key `no-such-key`" in page
    assert "PREVIEWTEXTEDIT" in page  # the last good version stays on show
    assert "The last save has errors" in served.page("/trainer/module-2/")
    assert "The last save has errors" in served.page("/module-9/")  # every page, the saved module's first
    module.write_text(good.replace("PREVIEWTEXTEDIT", "PREVIEWFIXED"), encoding="utf-8")
    wait_for(served.base + "/module-2/", lambda html: "PREVIEWFIXED" in html and "The last save has errors" not in html)
    assert_same_as_cold_build(served)


def test_added_and_edited_session(served: Served) -> None:
    session = served.content / "sessions" / "pilot.yml"
    session.parent.mkdir(exist_ok=True)
    session.write_text(
        'title: Pilot day\ndays:\n  - date: 2027-03-04\n    start: "09:00"\n    plan:\n      - module: module-1\n      - break: 15\n'
        "      - module: module-2\n",
        encoding="utf-8",
    )
    wait_for(served.base + "/trainer/sessions/pilot/", lambda html: "Pilot day" in html and "Run sheet" in html)
    served.edit(session, "title: Pilot day", "title: Pilot day, moved")
    wait_for(served.base + "/sessions/pilot/", lambda html: "Pilot day, moved" in html)
    assert "BEGIN:VCALENDAR" in served.page("/sessions/pilot.ics")
    assert_same_as_cold_build(served)


# --- the navigation stays bounded -----------------------------------------------------------------


def test_nav_groups_modules_in_sections() -> None:
    def page(number: int) -> Page:
        return Page("participant", f"m{number}.md", f"M{number}", '---\ncourse_page: "module"\n---\n', None)

    home = Page("participant", "index.md", "Home", '---\ncourse_page: "home"\n---\n', None)
    few = nav([home, *(page(n) for n in range(1, NAV_SECTION_SIZE + 1))])
    assert len(few) == NAV_SECTION_SIZE + 1  # a small course keeps a flat list
    many = nav([home, *(page(n) for n in range(1, 3 * NAV_SECTION_SIZE + 2))])
    assert [next(iter(item)) for item in many] == [
        "Home",
        f"Modules 1–{NAV_SECTION_SIZE}",
        f"Modules {NAV_SECTION_SIZE + 1}–{2 * NAV_SECTION_SIZE}",
        f"Modules {2 * NAV_SECTION_SIZE + 1}–{3 * NAV_SECTION_SIZE}",
        f"Module {3 * NAV_SECTION_SIZE + 1}",
    ]
    huge = nav([home, *(page(n) for n in range(1, NAV_SECTION_SIZE**2 + 2))])
    assert len(huge) == 3 and len(huge[1][f"Modules 1–{NAV_SECTION_SIZE**2}"]) == NAV_SECTION_SIZE  # sections of sections
    assert nav([home, page(1)], prefix="trainer/") == [{"Home": "trainer/index.md"}, {"M1": "trainer/m1.md"}]


def build_course(root: Path, modules: int) -> Path:
    content = generate(root / f"content-{modules}", modules, words=40)
    site = root / f"site-{modules}"
    result = build_patched("", content, site)
    assert result.returncode == 0, result.stderr
    return site


def test_page_size_stays_bounded_as_the_course_grows(tmp_path: Path) -> None:
    small, large = NAV_SECTION_SIZE + 5, 4 * NAV_SECTION_SIZE
    sizes = {}
    for modules in (small, large):
        site = build_course(tmp_path, modules)
        page = (site / "module-1" / "index.html").read_text()
        sizes[modules] = len(page.encode())
        # Only the open section is drawn in full: its modules, and one link for each other section.
        pages = [href for href, _ in nav_links(page) if not href.startswith("#")]
        assert len(pages) <= NAV_SECTION_SIZE + modules // NAV_SECTION_SIZE + 4
    # Three times the modules: a few section links more on each page, not three times the navigation.
    assert sizes[large] - sizes[small] < 40 * (large - small)


def build_patched(prelude: str, content: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """`course build` in a fresh interpreter after ``prelude`` patched the plugin."""
    script = (
        "import sys\nimport builder.plugin as plugin\n" + prelude + "from builder.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    )
    args = ["build", "--content", str(content), "--site-dir", str(site), "-f", str(REPO / "mkdocs.yml")]
    return subprocess.run(
        [sys.executable, "-c", script, *args], cwd=REPO, capture_output=True, text=True, env={**os.environ, **ENV}
    )


def test_parallel_trainer_build_is_the_sequential_one(tmp_path: Path) -> None:
    content = generate(tmp_path / "content", 6, words=80)
    sites = {}
    for name, parallel in (("parallel", True), ("sequential", False)):
        site = tmp_path / name
        result = build_patched("" if parallel else "plugin.TrainerBuild.possible = staticmethod(lambda: False)\n", content, site)
        assert result.returncode == 0, result.stderr
        sites[name] = site
    files = {name: sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) for name, site in sites.items()}
    assert files["parallel"] == files["sequential"]
    assert "trainer/index.html" in files["parallel"] and "trainer/search/search_index.json" in files["parallel"]
    for path in files["parallel"]:
        if path.endswith(".gz"):
            continue  # the gzip header holds the time of the build
        assert (sites["parallel"] / path).read_bytes() == (sites["sequential"] / path).read_bytes(), path


def test_trainer_view_failure_fails_the_build(tmp_path: Path) -> None:
    """An error in the forked trainer build is the build's error: the command fails, the last site stays."""
    content = generate(tmp_path / "content", 2, words=40)
    site = tmp_path / "site"
    result = build_patched(
        "def broken(config, site_dir):\n    raise RuntimeError('TRAINER-BROKE')\nplugin.trainer_config = broken\n", content, site
    )
    assert result.returncode == 1
    assert "TRAINER-BROKE" in result.stderr
    assert not site.exists()
    assert not [p for p in tmp_path.iterdir() if "trainer" in p.name]  # no staging folder left behind


# --- every save is served -------------------------------------------------------------------------


class Errors(logging.Handler):
    """The errors the preview logs (a rebuild that failed, pages that could not be finished)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_rapid_saves_during_the_finishing_work_are_each_served(tmp_path: Path) -> None:
    """Saves of one module of a 250-module course, each arriving while the previous save's whole-course pages are
    still being finished (which takes seconds there): each save's text is served, in order, no rebuild fails, and
    the whole-course pages and the search index end with the last save."""
    errors = Errors()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(errors)
    served = Served(tmp_path, modules=250, words=60)
    try:
        module = served.module(125)
        original = module.read_text(encoding="utf-8")
        first_body = "    body: |\n      "
        for i in range(8):
            marker = f"RAPIDSAVE{i:02d}X"
            module.write_text(original.replace(first_body, f"{first_body}{marker} ", 1), encoding="utf-8")
            page = wait_for(served.base + "/module-125/", lambda html, marker=marker: marker in html, timeout=180)
            assert "The last save has errors" not in page
            time.sleep(0.1 + 0.05 * (i % 4))  # the next save comes while the whole-course pages are being finished
        assert served.preview.interrupted > 0, "no save came during the finishing work"
        assert marker in served.page("/print/") and marker in served.page("/trainer/print/")
        assert marker in served.page("/search/search_index.json") and marker in served.page("/trainer/search/search_index.json")
        assert not errors.messages, errors.messages
    finally:
        served.stop()
        logger.removeHandler(errors)


def _slow(value: str) -> str:
    time.sleep(0.2)
    return value


def test_cancelling_while_a_thread_waits_for_the_result_leaves_the_next_pipe_alone() -> None:
    """The preview cancels the finishing work of the last save (a thread waits for its result) and starts the next
    at once. The cancelled pipe is closed once, by the waiting thread: closed under it, its descriptor went to the
    next pipe, which then lost its result or was closed twice (`Bad file descriptor`)."""
    failures = []
    for _ in range(100):
        first = Forked(_slow, "first", short=True, freeze=False)
        got: list[object] = []

        def read(forked: Forked = first, got: list[object] = got) -> None:
            try:
                got.append(forked.result())
            except RuntimeError:
                got.append("stopped")

        reader = threading.Thread(target=read)
        reader.start()
        try:
            first.cancel()
            second = Forked(str.upper, "second", short=True, freeze=False)
            if (result := second.result()) != "SECOND":
                failures.append(f"the next result was {result!r}")
        except (OSError, RuntimeError) as exc:
            failures.append(repr(exc))
        reader.join()
        if got[0] not in ("stopped", "first"):
            failures.append(f"the waiting thread got {got[0]!r}")
    assert not failures, failures[:5]


# --- odd requests, a taken port, a failed rebuild -------------------------------------------------


def status(served: Served, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/%00", 400),
        ("/module-1/%00/", 400),
        ("/livereload/%00", 400),
        ("/%1b[2J", 400),
        ("/" + "a" * 300 + "/", 404),  # a name longer than a file may have
        ("/" + "a/" * 600, 400),
        ("/..%2f..%2fetc/passwd", 404),
        ("/%2e%2e/%2e%2e/etc/passwd", 404),
        ("/%ff%fe/", 400),
        ("/module-1/", 200),
    ],
)
def test_odd_addresses_get_400_or_404_never_500(served: Served, path: str, expected: int) -> None:
    assert status(served, path) == expected


def test_a_reader_dropping_the_connection_prints_no_traceback(served: Served, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_connection(("127.0.0.1", served.port)) as dropped:
        dropped.sendall(b"GET /module-1/ HTTP/1.1\r\n")  # half a request, then a reset, as a closed tab sends
        dropped.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    time.sleep(0.5)
    assert status(served, "/module-1/") == 200
    assert "Traceback" not in capsys.readouterr().err


def test_a_failed_rebuild_is_shown_in_the_browser(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    import builder.preview

    real = builder.preview.resolve
    calls: list[int] = []

    def failing(source: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a fault in the builder")
        return real(source)  # type: ignore[arg-type]

    monkeypatch.setattr(builder.preview, "resolve", failing)
    served.edit(served.module(4), "    body: |\n      ", "    body: |\n      FAILEDSAVE ")
    page = wait_for(served.base + "/module-4/", lambda html: "could not rebuild" in html)
    assert "The preview could not rebuild after the last save (RuntimeError: a fault in the builder)." in page
    assert "could not rebuild" in served.page("/trainer/module-4/")
    served.edit(served.module(4), "FAILEDSAVE ", "RETRIEDSAVE ")
    page = wait_for(served.base + "/module-4/", lambda html: "RETRIEDSAVE" in html)
    assert "could not rebuild" not in page


def test_a_taken_port_is_one_line_and_exit_1(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "builder", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=REPO, capture_output=True, text=True, env={**os.environ, **ENV, "PYTHONPATH": str(REPO)}, timeout=120,
        )
    assert result.returncode == 1
    assert result.stderr == (
        f"error: cannot serve on 127.0.0.1:{port}: Address already in use; stop what runs there, or choose another"
        " address with --dev-addr HOST:PORT\n"
    )


def test_a_save_that_uses_a_new_file_publishes_it(served: Served) -> None:
    (served.content / "media").mkdir(exist_ok=True)
    (served.content / "media" / "new-chart.png").write_bytes(b"\x89PNG chart")
    (served.content / "media" / "trainer-chart.png").write_bytes(b"\x89PNG trainer")
    assert status(served, "/media/new-chart.png") == 404  # nothing uses it yet
    served.edit(
        served.module(6),
        "blocks:\n",
        "blocks:\n  - type: image\n    src: media/new-chart.png\n    alt: A new chart\n"
        "  - type: image\n    audience: trainer\n    src: media/trainer-chart.png\n    alt: For trainers\n",
    )
    wait_for(served.base + "/module-6/", lambda html: "A new chart" in html)
    assert status(served, "/media/new-chart.png") == 200 and status(served, "/trainer/media/new-chart.png") == 200
    assert status(served, "/trainer/media/trainer-chart.png") == 200
    assert status(served, "/media/trainer-chart.png") == 404
