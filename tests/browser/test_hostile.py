"""The hostile corpus (tests/hostile/cases.py) built and attacked in Chromium.

With the input checks off, so that the output's own defence is what is tested, every page of both views is
opened; every element gets every event an inline handler could wait for, then a click; every link of the
content is clicked. No dialog may open, no script error may occur, no request may go to another host (bar a
link the reader follows, and a video's own embed after its play button), and the participant site (pages,
search index, sitemap, every file) carries nothing trainer-only. With the input checks on, each case is either
refused with located errors or built into a site that passes the same attack.

The export (`course export markdown`) carries the same sanitizer for the engines that build it without the plugin:
the corpus is built with each engine (`course build --engine`) and attacked the same way.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from browser_support import ROOT, Site, serve
from playwright.sync_api import Browser, Error, Request, Route

from builder import engines, fields, plugin
from builder.cli import build_site
from builder.errors import CourseErrors
from builder.validate import CourseLoader, load_course
from tests.hostile.cases import CASES, TRAINER_MARKER, Case, groups, write_course

EMBED_PREFIXES = ("https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/")
LOCATED = re.compile(r"^\S+\.yml:\d+:\d+: error: \S")

# Every event an inline handler or an attribute could wait for, dispatched on every element.
EVENTS = ["mouseover", "mouseenter", "mousemove", "mousedown", "mouseup", "mouseout", "mouseleave", "pointerover", "pointerenter", "pointerdown", "pointerup", "focus", "focusin", "blur", "focusout", "keydown", "keyup", "keypress", "input", "beforeinput", "change", "select", "invalid", "error", "load", "abort", "animationstart", "animationend", "animationiteration", "transitionstart", "transitionend", "toggle", "scroll", "wheel", "copy", "cut", "paste", "contextmenu", "dblclick", "auxclick", "drag", "dragstart", "dragend", "drop", "touchstart", "submit", "reset", "play", "playing", "canplay", "loadstart", "loadeddata", "begin", "end", "repeat", "start", "finish"]

DISPATCH = """events => {
    const all = Array.from(document.querySelectorAll("body *"));
    for (const el of all) {
        for (const type of events) {
            try { el.dispatchEvent(new Event(type, {bubbles: true, cancelable: true})); } catch (e) {}
        }
    }
    return all.length;
}"""

# A click on every element that is not a link or inside one (those come next), bar the video play buttons, whose
# embed address is checked below instead, and the journal's own buttons (its "delete everything" asks to confirm).
CLICK_ELEMENTS = """() => {
    const all = Array.from(document.querySelectorAll("body *"))
        .filter(el => !el.closest("a, .course-video__play, .course-journal-tools button"));
    for (const el of all) {
        if (el.isConnected) el.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, view: window}));
    }
    return all.length;
}"""

# Every link of the content (and of the licence in the footer), one at a time: a followed link's navigation could
# cancel the one before. Links within the page are clicked together: they run nothing.
CLICK_LINKS = """async () => {
    const click = link => link.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, view: window}));
    const links = Array.from(document.querySelectorAll(".md-content a, .md-copyright__highlight a"));
    const here = links.filter(link => /^#[\\w-]*$/.test(link.getAttribute("href") || ""));
    here.forEach(click);
    for (const link of links.filter(link => !here.includes(link))) {
        click(link);
        await new Promise(resolve => setTimeout(resolve, 10));
    }
    return links.length;
}"""

# What no page may carry, whatever runs: handlers, frames, forms, base and refresh, targets, scripts and styles in
# the content, links anywhere but http, https, mailto or this site, and media from another host.
STATIC = """embeds => {
    const found = [];
    const show = el => el.outerHTML.slice(0, 160);
    for (const el of document.querySelectorAll("*")) {
        for (const attr of el.attributes) {
            if (attr.name.toLowerCase().startsWith("on")) found.push("handler: " + show(el));
        }
    }
    const content = ":is(.md-content, .md-copyright__highlight)";
    const elements = ["iframe", "object", "embed", "form", "link", "frame", "a[target]"].map(s => content + " " + s);
    for (const el of document.querySelectorAll([...elements, "base", "body meta"].join(", "))) {
        found.push("element: " + show(el));
    }
    for (const el of document.querySelectorAll(".md-content script, .md-content style, .md-content [style]")) {
        const style = el.getAttribute("style");
        if (!(style && /^text-align:\\s*(left|right|center);?$/.test(style.trim()))) found.push("style or script: " + show(el));
    }
    for (const el of document.querySelectorAll(".md-content *, .md-copyright__highlight *")) {
        for (const attr of el.attributes) {
            const name = attr.name.toLowerCase();
            if (!["href", "xlink:href", "src", "srcset", "poster", "action", "formaction", "data", "ping", "data-embed-src"].includes(name)) continue;
            let url;
            try { url = new URL(attr.value, location.href); } catch (e) { found.push("bad url: " + show(el)); continue; }
            const link = name === "href" || name === "xlink:href";
            if (name === "data-embed-src") {
                if (!embeds.some(prefix => attr.value.startsWith(prefix))) found.push("embed: " + show(el));
            } else if (link ? !["http:", "https:", "mailto:"].includes(url.protocol) : url.origin !== location.origin) {
                found.push(name + ": " + show(el));
            }
        }
    }
    return found;
}"""


@dataclass
class Attack:
    """What the attack on one site found: findings, and the names of the cases they name."""

    findings: list[str] = field(default_factory=list)

    def fired(self) -> set[str]:
        return {case.name for case in CASES if any(re.search(rf"\b{re.escape(case.name)}\b", f) for f in self.findings)}


def material_error(error: Any) -> bool:
    """An error thrown by Material's own bundle alone: its instant navigation throws on a click on a link without an
    address, which is what the sanitizer leaves of a link whose address it removed. Any other script's error counts
    (frames with no address are this test's own dispatching)."""
    frames = [line for line in (error.stack or "").splitlines() if line.strip().startswith("at ") and "http" in line]
    return bool(frames) and all("/assets/javascripts/bundle." in line for line in frames)


def attack_page(browser: Browser, site: Site, path: str, attack: Attack) -> None:
    context = browser.new_context()
    page = context.new_page()
    state = {"loaded": False, "clicking": False}
    where = f"/{path}"

    def in_page(request: Request) -> bool:
        try:
            return request.frame == page.main_frame
        except Error:  # a new window's first navigation (a link with a target): it has no frame yet
            return False

    def route(route: Route) -> None:
        request = route.request
        if state["loaded"] and request.is_navigation_request() and in_page(request):
            route.fulfill(status=204)  # a followed link, here or elsewhere: the page stays as it is, for the next one
        elif not request.url.startswith(site.url):
            route.abort()
        else:
            route.continue_()

    def on_request(request: Request) -> None:
        url = request.url
        if url.startswith((site.url, "data:", "blob:", "about:")) or url.startswith(EMBED_PREFIXES):
            return
        if state["clicking"] and request.is_navigation_request():
            return  # a link the reader follows may go anywhere http(s)
        attack.findings.append(f"{where}: request to {url}")

    def on_dialog(dialog: Any) -> None:
        attack.findings.append(f"{where}: dialog {dialog.message!r}")
        with contextlib.suppress(Error):  # one closed by the page's next navigation
            dialog.dismiss()

    context.route("**/*", route)
    context.on("request", on_request)
    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: material_error(error) or attack.findings.append(f"{where}: script error {error.stack}"))
    try:
        page.goto(site.url + path, wait_until="load")
        state["loaded"] = True
        page.evaluate(DISPATCH, EVENTS)
        attack.findings += [f"{where}: {f}" for f in page.evaluate(STATIC, list(EMBED_PREFIXES))]
        state["clicking"] = True
        page.evaluate(CLICK_ELEMENTS)
        page.evaluate(CLICK_LINKS)
        page.wait_for_timeout(100)
    finally:
        context.close()


def attack_site(browser: Browser, site: Site) -> Attack:
    attack = Attack()
    for path in site.pages():
        attack_page(browser, site, path, attack)
    for path in site.root.rglob("*"):
        rel = path.relative_to(site.root)
        if path.is_file() and rel.parts[0] != "trainer" and TRAINER_MARKER.encode() in path.read_bytes():
            attack.findings.append(f"trainer-only content in the participant site: {rel}")
    return attack


@dataclass
class Built:
    sites: list[Site]
    refused: dict[str, list[str]]  # with the checks on: case -> its errors
    cases_on: list[Case]  # with the checks on: the cases that passed them, built into sites[-1]


def build(root: Path, cases: list[Case], checks: bool, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(fields, "SAFETY_CHECKS", checks)
    monkeypatch.setattr(plugin, "LOADER", CourseLoader())  # nothing validated before, under other checks, is reused
    content = write_course(root, cases)
    build_site(str(ROOT / "mkdocs.yml"), root / "site", content)
    return root / "site"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        roots = [build(tmp_path_factory.mktemp("hostile"), group, False, monkeypatch) for group in groups(CASES)]
        monkeypatch.setattr(fields, "SAFETY_CHECKS", True)
        refused: dict[str, list[str]] = {}
        for case in CASES:
            try:
                load_course(write_course(tmp_path_factory.mktemp("case"), [case]))
            except CourseErrors as exc:
                refused[case.name] = exc.report().splitlines()[:-1]
        passed = [case for case in CASES if case.name not in refused]
        roots += [build(tmp_path_factory.mktemp("hostile-checked"), group, True, monkeypatch) for group in groups(passed)]
    with contextlib.ExitStack() as stack:
        yield Built([Site(root, stack.enter_context(serve(root))) for root in roots], refused, passed)


def test_the_corpus_covers_every_way_in() -> None:
    assert len(CASES) >= 60
    assert len({case.name for case in CASES}) == len(CASES)


def test_no_attack_runs_with_the_input_checks_off(browser: Browser, hostile: Built) -> None:
    checks_off = hostile.sites[: len(groups(CASES))]
    findings = [finding for site in checks_off for finding in attack_site(browser, site).findings]
    assert not findings, "\n".join(findings)


def test_with_the_input_checks_on_each_case_is_refused_where_it_is_or_harmless(browser: Browser, hostile: Built) -> None:
    for name, errors in hostile.refused.items():
        assert errors and all(LOCATED.match(line) for line in errors), f"{name}: {errors}"
    assert len(hostile.refused) + len(hostile.cases_on) == len(CASES)
    checks_on = hostile.sites[len(groups(CASES)) :]
    findings = [finding for site in checks_on for finding in attack_site(browser, site).findings]
    assert not findings, "\n".join(findings)


@pytest.fixture(scope="module", params=sorted(engines.ENGINES))
def engine_sites(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Site]]:
    """The corpus with the input checks off, exported and built by one engine alone, both views."""
    roots: list[Path] = []
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(fields, "SAFETY_CHECKS", False)
        for group in groups(CASES):
            root = tmp_path_factory.mktemp(f"hostile-{request.param}")
            content = write_course(root, group)
            engines.build(request.param, content, str(ROOT / "mkdocs.yml"), root / "site", root / "site" / "trainer")
            roots.append(root / "site")
    with contextlib.ExitStack() as stack:
        yield [Site(root, stack.enter_context(serve(root))) for root in roots]


def test_no_attack_runs_on_a_site_any_engine_builds_from_the_export(browser: Browser, engine_sites: list[Site]) -> None:
    findings = [finding for site in engine_sites for finding in attack_site(browser, site).findings]
    assert not findings, "\n".join(findings)
