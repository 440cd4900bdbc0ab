"""The SCORM packages in a real SCORM runtime: scorm-again (npm) in a test LMS page (tests/scorm/lms.html)
served over 127.0.0.1, which reads the package's manifest and launches its SCO in a frame.

The participant writes in the journal, answers knowledge checks, marks every module done and closes; the
runtime's cmi data is checked (location, suspend_data, status, score, one terminate); a fresh browser
launched from that data shows the answer, the progress and the place again.

Knowledge checks: the package scores the answers stored under ``course-checks/<course>/<module>/<block>/
<question>`` with ``"correct": true|false`` (checks.js); these tests write those records directly.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser_support import COURSE, MODULE_COUNT, ROOT, VIDEO_MODULE, open_context, serve
from playwright.sync_api import Browser, Frame, Page, expect

from builder.packages.scorm import Check, Scoring, package_scorm

RUNTIME = ROOT / "node_modules" / "scorm-again" / "dist" / "scorm-again.js"
TOGGLE = "I have finished this module"
FIRST = f'.course-journal[data-module="{VIDEO_MODULE}"][data-prompt="1"] textarea'
SECOND = f'.course-journal[data-module="{VIDEO_MODULE}"][data-prompt="2"] textarea'
OTHER = '.course-journal[data-module="boundaries"] textarea'
ANSWER = "Families I visit decide when I come in; I ask before I sit down."
# Two questions: one answered right and one wrong is 50 %, which passes at a pass mark of 50 %.
SCORING = Scoring([Check("welcome", "check-in", 1), Check("boundaries", "check-in", 1)], 0.5)


@dataclass
class Served:
    url: str
    root: Path


@pytest.fixture(scope="module")
def lms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The test LMS and the packages, unzipped below it (``scorm12/``, ``scorm2004/``, ``plain12/``, ``module12/``), served."""
    if not RUNTIME.is_file():
        pytest.fail(f"scorm-again is missing ({RUNTIME}); install the test's npm packages with `make node`.", pytrace=False)
    root = tmp_path_factory.mktemp("lms")
    dist = tmp_path_factory.mktemp("dist")
    shutil.copy(ROOT / "tests" / "scorm" / "lms.html", root / "lms.html")
    shutil.copy(RUNTIME, root / "scorm-again.js")
    content = ROOT / "content"
    for folder, version, scoring in (("scorm12", "1.2", SCORING), ("scorm2004", "2004", SCORING), ("plain12", "1.2", Scoring())):
        [package] = package_scorm(content, dist / folder, str(ROOT / "mkdocs.yml"), version, scoring=scoring)  # type: ignore[arg-type]
        with zipfile.ZipFile(package) as archive:
            archive.extractall(root / folder)
    # One package a module: the eighth's.
    packages = package_scorm(content, dist / "per-module", str(ROOT / "mkdocs.yml"), "1.2", per_module=True, scoring=Scoring())
    with zipfile.ZipFile(packages[7]) as archive:
        archive.extractall(root / "module12")
    with serve(root) as url:
        yield Served(url, root)


class LMS:
    """One browser (a fresh context) on the test LMS page."""

    def __init__(self, browser: Browser, served: Served):
        self.url = url = served.url
        self.context, self.network = open_context(browser, url)
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url + "lms.html")

    def launch(self, folder: str, version: str, saved: dict[str, Any] | None = None) -> Frame:
        self.folder = self.url + folder + "/"
        self.page.evaluate("([folder, version, saved]) => lms.launch(folder, version, saved)", [self.folder, version, saved])
        course = self.page.frame_locator("#sco").frame_locator("#course-lms-frame")
        expect(course.locator(".course-page")).to_have_count(1)
        return self.course()

    def course(self) -> Frame:
        """The frame holding the course's pages (inside the SCO's launch page)."""
        for frame in self.page.frames:
            if frame.url.startswith(self.folder) and not frame.url.endswith("scorm.html"):
                return frame
        raise AssertionError(f"no course page in {[f.url for f in self.page.frames]}")

    def page_of(self, frame: Frame) -> str:
        path = frame.url[len(self.folder):].split("#")[0]
        return path + "index.html" if path == "" or path.endswith("/") else path

    def values(self) -> dict[str, str]:
        return self.page.evaluate("lms.values")  # type: ignore[no-any-return]

    def calls(self) -> dict[str, int]:
        return self.page.evaluate("lms.calls")  # type: ignore[no-any-return]

    def status_line(self) -> str:
        return self.page.frame_locator("#sco").locator(".course-lms__status").inner_text()

    def close(self) -> dict[str, Any]:
        """The participant closes the course: one terminate; returns what the LMS keeps."""
        self.page.evaluate("lms.close()")
        self.page.wait_for_function("lms.calls.terminate > 0")
        self.page.wait_for_timeout(300)  # a second terminate, if there were one, would come now
        assert self.calls()["terminate"] == 1 and self.calls()["initialize"] == 1
        saved: dict[str, Any] = self.page.evaluate("lms.saved()")
        self.final = self.values()
        self.context.close()
        assert not self.errors, f"JavaScript errors: {self.errors}"
        assert self.network.off_site() == [], self.network.off_site()
        return saved


def go(frame: Frame, module: str) -> Frame:
    """Open a module from the home page's list of modules (the course frame stays the same frame)."""
    frame.locator("a.md-header__button.md-logo").click()
    frame.locator(f'.course-module-list a[href$="{module}/index.html"]').first.click()
    frame.wait_for_url(re.compile(f"/{module}/index.html$"))
    return frame


def answer_check(frame: Frame, check: Check, correct: bool) -> None:
    key = f"course-checks/{COURSE}/{check.module}/{check.block}/{check.question}"
    frame.evaluate("([key, value]) => localStorage.setItem(key, value)", [key, json.dumps({"correct": correct})])


def mark_every_module_done(lms: LMS, frame: Frame, status: str) -> Frame:
    """Each module in turn from the first, marked done by its button; the status stays ``incomplete``
    until the last one."""
    go(frame, "welcome")
    for number in range(1, MODULE_COUNT + 1):
        expect(frame.locator(".course-page")).to_have_attribute("data-page", "module")
        if number == MODULE_COUNT:
            assert lms.values()[status] == "incomplete"
        toggle = frame.get_by_role("button", name=TOGGLE)
        if toggle.get_attribute("aria-pressed") != "true":
            toggle.click()
        expect(toggle).to_have_attribute("aria-pressed", "true")
        if number < MODULE_COUNT:
            before = frame.url.split("#")[0]  # Material's navigation.tracking changes the hash as the page scrolls
            frame.locator("a.md-footer__link--next").click()
            frame.wait_for_url(lambda url, before=before: url.split("#")[0] != before)  # type: ignore[misc]
    return frame


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_participant_works_closes_and_comes_back_in_another_browser(browser: Browser, lms: Served, version: str) -> None:
    v12 = version == "1.2"
    folder = "scorm12" if v12 else "scorm2004"
    location, status = ("cmi.core.lesson_location", "cmi.core.lesson_status") if v12 else ("cmi.location", "cmi.completion_status")
    first = LMS(browser, lms)
    frame = first.launch(folder, version)
    assert first.calls()["initialize"] == 1
    # The SCO bookmarks its first page as it loads, after initialising: wait for that commit, not a moment.
    first.page.wait_for_function(f"lms.values[{json.dumps(location)}] === 'index.html'")
    assert first.values()[status] == "incomplete"

    go(frame, VIDEO_MODULE).locator(FIRST).fill(ANSWER)
    # The page says where the journal goes now: not "this browser only".
    expect(frame.locator(".course-journal__note").first).to_contain_text("with your record in the learning management system")
    expect(frame.locator(FIRST)).to_have_value(ANSWER)
    answer_check(frame, SCORING.checks[0], True)
    answer_check(frame, SCORING.checks[1], False)
    frame = mark_every_module_done(first, frame, status)
    last_page = first.page_of(frame)
    first.page.wait_for_function(f"lms.values[{json.dumps(location)}] === {json.dumps(last_page)}")
    values = first.values()
    if v12:
        assert values["cmi.core.lesson_status"] == "passed"  # every module done, 50 % against a pass mark of 50 %
        assert values["cmi.core.score.raw"] == "50"
    else:
        assert values["cmi.completion_status"] == "completed"
        assert values["cmi.success_status"] == "passed"
        assert values["cmi.score.scaled"] == "0.5" and values["cmi.score.raw"] == "50"
    assert first.calls()["commit"] >= 3 and first.calls()["terminate"] == 0

    saved = first.close()
    suspend = json.loads(saved["suspend_data"])
    assert len(suspend["d"]) == MODULE_COUNT
    assert [(a[0], a[2], a[3]) for a in suspend["j"]] == [(VIDEO_MODULE, 1, ANSWER)]
    assert len(suspend["c"]) == 2
    assert (saved["core"]["lesson_location"] if v12 else saved["location"]) == last_page

    # Another browser, from what the LMS kept: the same place, the answer, the progress.
    second = LMS(browser, lms)
    frame = second.launch(folder, version, saved)
    assert second.page_of(frame) == last_page
    expect(frame.locator(".course-lms-note")).to_have_count(0)  # connected: no "not reporting" note
    go(frame, VIDEO_MODULE)
    expect(frame.locator(FIRST)).to_have_value(ANSWER)
    expect(frame.get_by_role("button", name=TOGGLE)).to_have_attribute("aria-pressed", "true")
    frame.locator("a.md-header__button.md-logo").click()
    expect(frame.locator(".course-progress-summary")).to_contain_text(f"{MODULE_COUNT} of {MODULE_COUNT} modules done")
    second.close()


@pytest.mark.parametrize(("version", "exit", "time"), [("1.2", "cmi.core.exit", r"\d{4}:\d\d:\d\d"), ("2004", "cmi.exit", r"PT\d+S")])
def test_closing_suspends_and_reports_the_time_spent(browser: Browser, lms: Served, version: str, exit: str, time: str) -> None:
    session = LMS(browser, lms)
    session.launch("scorm12" if version == "1.2" else "scorm2004", version)
    session.close()
    assert session.final[exit] == "suspend"  # the LMS keeps suspend_data for the next launch
    assert re.fullmatch(time, session.final["cmi.core.session_time" if version == "1.2" else "cmi.session_time"])


def test_scorm12_keeps_what_fits_in_4096_characters_and_says_what_stays_in_the_browser(browser: Browser, lms: Served) -> None:
    first = LMS(browser, lms)
    frame = go(first.launch("plain12", "1.2"), VIDEO_MODULE)
    oldest, middle, newest = ("A" * 1800, "B" * 1800, "C" * 1800)
    frame.locator(FIRST).fill(oldest)
    frame.wait_for_timeout(20)  # each answer its own time: the newest are kept first
    frame.locator(SECOND).fill(middle)
    frame.wait_for_timeout(20)
    go(frame, "boundaries").locator(OTHER).first.fill(newest)
    # After typing stops, the launch page saves, and says what did not fit.
    expect(first.page.frame_locator("#sco").locator(".course-lms__status")).to_contain_text(
        "One of your journal answers does not fit in what the LMS keeps", timeout=10000
    )
    saved = first.close()
    assert len(saved["suspend_data"]) <= 4096
    kept = [a[3] for a in json.loads(saved["suspend_data"])["j"]]
    assert kept == [newest, middle]

    second = LMS(browser, lms)
    frame = go(second.launch("plain12", "1.2", saved), VIDEO_MODULE)
    expect(frame.locator(SECOND)).to_have_value(middle)
    expect(frame.locator(FIRST)).to_have_value("")  # it stayed in the first browser
    second.close()


def test_wrong_answers_fail_against_the_pass_mark(browser: Browser, lms: Served) -> None:
    session = LMS(browser, lms)
    frame = session.launch("scorm2004", "2004")
    for check in SCORING.checks:
        answer_check(frame, check, False)
    session.page.wait_for_function("lms.values['cmi.success_status'] === 'failed'")
    values = session.values()
    assert values["cmi.score.scaled"] == "0" and values["cmi.score.raw"] == "0"
    assert values["cmi.completion_status"] == "incomplete"
    session.close()


def test_an_sco_opened_in_a_window_of_its_own_finds_the_api_through_its_opener(browser: Browser, lms: Served) -> None:
    session = LMS(browser, lms)
    with session.context.expect_page() as opened:
        session.page.evaluate("([folder]) => lms.launch(folder, '1.2', null, true)", [lms.url + "scorm12/"])
    window = opened.value
    window.wait_for_load_state()
    course = window.frame_locator("#course-lms-frame")
    expect(course.locator(".course-page")).to_have_count(1)
    expect(course.locator(".course-lms-note")).to_have_count(0)
    assert session.calls()["initialize"] == 1
    assert session.values()["cmi.core.lesson_status"] == "incomplete"
    window.close(run_before_unload=True)
    session.page.wait_for_function("lms.calls.terminate === 1")
    session.close()


def test_a_module_package_starts_at_its_module_and_completes_with_it(browser: Browser, lms: Served) -> None:
    session = LMS(browser, lms)
    frame = session.launch("module12", "1.2")
    assert session.page_of(frame) == "boundaries/index.html"
    assert session.values()["cmi.core.lesson_status"] == "incomplete"
    frame.get_by_role("button", name=TOGGLE).click()
    session.page.wait_for_function("lms.values['cmi.core.lesson_status'] === 'completed'")
    session.close()


def test_without_an_lms_the_package_runs_as_the_offline_one_and_says_so(browser: Browser, lms: Served, tmp_path: Path) -> None:
    # Served, but with no LMS around it.
    context, network = open_context(browser, lms.url)
    page = context.new_page()
    page.goto(lms.url + "scorm2004/scorm.html")
    page.wait_for_url(re.compile(r"/scorm2004/index\.html$"))
    expect(page.locator(".course-lms-note")).to_contain_text("not connected to a learning management system")
    expect(page.locator(".course-progress-summary")).to_be_visible()
    assert network.off_site() == []
    context.close()

    # Opened from disk.
    root = tmp_path / "package"
    shutil.copytree(lms.root / "scorm12", root)
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page = context.new_page()
    page.goto((root / "scorm.html").as_uri())
    page.wait_for_url(re.compile(r"/package/index\.html$"))
    expect(page.locator(".course-lms-note")).to_contain_text("not connected to a learning management system")
    page.locator("a.course-continue").click()
    page.get_by_role("button", name=TOGGLE).click()
    page.reload()
    expect(page.get_by_role("button", name=TOGGLE)).to_have_attribute("aria-pressed", "true")
    assert [url for url in requests if not url.startswith(("file:", "blob:", "data:"))] == []
    context.close()
