"""Adapter stage: the tiny course built for real, in strict mode, and read back as HTML."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest

from .conftest import REPO, copy_course

TRAINER_MARKERS = (
    "FACILITATOR-NOTE-MODULE",
    "FACILITATOR-NOTE-TS",
    "TRAINER-ONLY-BLOCK",
    "TRAINER-INTENTION-COURSE",
    "TRAINER-INTENTION-MODULE",
    "SESSION-NOTES-TRAINER-ONLY",
    "UNPUBLISHED-SESSION-COHORT",
    "data-course-present",  # room mode's hook: its script and stylesheet are the trainer site's alone
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tiny")
    copy_course("tiny", root)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "builder",
            "build",
            "--strict",
            "--content",
            "content",
            "--site-dir",
            "site",
            "-f",
            str(REPO / "mkdocs.yml"),
        ],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return root / "site"


def participant_files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.is_file() and "trainer" not in p.relative_to(site).parts]


def html_pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("index.html") if "assets" not in p.parts)


def test_both_views_are_built(site: Path) -> None:
    for page in (
        "index.html",
        "first-steps/index.html",
        "second/index.html",
        "references/index.html",
        "journal/index.html",
        "print/index.html",
        "first-steps/worksheet/index.html",
    ):
        assert (site / page).is_file(), page
    for page in (
        "index.html",
        "first-steps/index.html",
        "agenda/index.html",
        "facilitator-guide/index.html",
        "references/index.html",
        "print/index.html",
    ):
        assert (site / "trainer" / page).is_file(), page
    assert not (site / "agenda").exists() and not (site / "trainer" / "journal").exists()


def test_participant_view_holds_no_trainer_text(site: Path) -> None:
    """Not in the HTML, not in the search index, not anywhere under the participant root."""
    for path in participant_files(site):
        data = path.read_bytes()
        for marker in TRAINER_MARKERS:
            assert marker.encode() not in data, f"{marker} in {path}"
    index = json.loads((site / "search" / "search_index.json").read_text())
    assert index["docs"] and not any(m in json.dumps(index) for m in TRAINER_MARKERS)
    # No activity of the participant view can be opened in room mode (the trainer's projector view).
    pages = [p for p in html_pages(site) if "trainer" not in p.relative_to(site).parts]
    assert pages and not any("data-course-present" in p.read_text() for p in pages)
    assert any("data-course-present" in p.read_text() for p in html_pages(site / "trainer"))


def test_trainer_view_adds_notes_durations_and_trainer_blocks(site: Path) -> None:
    trainer = "".join(p.read_text() for p in html_pages(site / "trainer"))
    for marker in TRAINER_MARKERS:
        assert marker in trainer
    page = (site / "trainer" / "first-steps" / "index.html").read_text()
    assert "Module 1 of 2 · 34 min" in page and "10 min · Pairs" in page
    participant = (site / "first-steps" / "index.html").read_text()
    assert "34 min" not in participant and "10 min" not in participant
    index = json.loads((site / "trainer" / "search" / "search_index.json").read_text())
    assert "FACILITATOR-NOTE-TS" in json.dumps(index)


def test_sources_are_not_published(site: Path) -> None:
    names = {p.name for p in site.rglob("*")}
    assert "course.yml" not in names and "01-first-steps.yml" not in names and "rapport.md" not in names
    assert (site / "media" / "diagram.svg").is_file() and (site / "trainer" / "media" / "diagram.svg").is_file()


def test_trainer_pages_link_to_the_participant_view_which_never_links_back(site: Path) -> None:
    pairs = 0
    for page in html_pages(site):
        rel = page.relative_to(site).parent.as_posix()
        url = "/" + (rel + "/" if rel != "." else "")
        text = page.read_text()
        if not url.startswith("/trainer/"):
            assert "course-view-switch" not in text and 'href="trainer/' not in text and "/trainer/" not in text, url
            assert '<meta name="robots"' not in text, url
            continue
        assert '<meta name="robots" content="noindex, nofollow">' in text, url
        match = re.search(r'<p class="course-view-switch">.*?<a href="([^"]+)"', text, re.S)
        assert match, f"no view switch on {url}"
        target = urljoin(url, match.group(1))
        assert (site / target.lstrip("/") / "index.html").is_file(), f"{url} links to missing {target}"
        assert not target.startswith("/trainer/"), f"{url} links within its own view: {target}"
        if not url.endswith(("/agenda/", "/facilitator-guide/", "/sessions/rehearsal/")):  # rehearsal: unpublished
            assert target == url.removeprefix("/trainer"), f"{url} -> {target}"
            pairs += 1
    assert pairs >= 6


def test_titles_are_text_never_html(site: Path) -> None:
    home = (site / "index.html").read_text()
    assert "<course>" not in home
    assert "Tiny &lt;course&gt; &amp; friends" in home
    module = (site / "first-steps" / "index.html").read_text()
    assert "First *steps*" in module and "<em>steps</em>" not in module


def test_page_language_is_the_course_language(site: Path) -> None:
    assert '<html lang="en"' in (site / "index.html").read_text()


def test_video_makes_no_request_until_played(site: Path) -> None:
    for page in html_pages(site):
        html = page.read_text()
        assert "<iframe" not in html
        assert not re.search(r'(src|href)="https://[^"]*(ytimg|youtube\.com/embed|player\.vimeo)', html)
        assert not re.search(r'<img[^>]+src="https?://', html)
    page = (site / "first-steps" / "index.html").read_text()
    button = re.search(r'<button type="button" class="course-video__play"[^>]*>', page).group(0)
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/VctaUNJpT6U?autoplay=1&amp;rel=0&amp;start=65"' in button
    assert 'aria-label="Play video: Rapport video (loads YouTube)"' in button
    assert re.search(
        r"<details class=\"note\">\s*<summary>Transcript</summary>\s*<p><strong>Summary of the video.</strong>", page
    )


def test_local_video_has_captions_track(site: Path) -> None:
    page = (site / "second" / "index.html").read_text()
    assert '<source src="../media/clip.mp4">' in page
    assert '<track kind="captions" src="../media/clip.vtt" srclang="en" label="Captions" default="">' in page


def test_citations_link_both_ways(site: Path) -> None:
    module = (site / "first-steps" / "index.html").read_text()
    assert '<a class="course-cite" href="../references/#ref-smith2020" title="smith2020">[1]</a>' in module
    references = (site / "references" / "index.html").read_text()
    assert 'id="ref-smith2020"' in references and 'href="../first-steps/#welcome"' in references
    assert 'href="../second/#further-reading"' in references
    assert '<a href="https://doi.org/10.1000/xyz">https://doi.org/10.1000/xyz</a>' in references


def test_agenda_and_facilitator_guide(site: Path) -> None:
    agenda = (site / "trainer" / "agenda" / "index.html").read_text()
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", agenda, re.S)
    cells = [
        (re.sub("<[^>]+>", "", a), re.sub("<[^>]+>", "", b), re.sub("<[^>]+>", "", c), re.sub("<[^>]+>", "", d))
        for a, b, c, d in rows
    ]
    assert cells[:3] == [
        ("0:00", "1. First *steps*", "34 min", "0:34"),
        ("0:00", "↳ Think &amp; Share", "10 min", "0:10"),
        ("0:10", "↳ Reflective Activity", "5 min", "0:15"),
    ]
    guide = (site / "trainer" / "facilitator-guide" / "index.html").read_text()
    assert guide.index("FACILITATOR-NOTE-MODULE") < guide.index("FACILITATOR-NOTE-TS")


def test_home_lists_modules_in_order(site: Path) -> None:
    home = (site / "index.html").read_text()
    assert home.index('href="first-steps/"') < home.index('href="second/"')
    assert "The first module." in home and "Home visitors" in home
    trainer_home = (site / "trainer" / "index.html").read_text()
    assert "TRAINER-INTENTION-COURSE" in trainer_home and "34 min" in trainer_home


def test_block_titles_are_text_in_headings_and_table_of_contents(site: Path) -> None:
    # Quotes are escaped where a title may land in an attribute (the table of contents' titles), as text elsewhere.
    page = (site / "second" / "index.html").read_text().replace("&quot;", '"').replace("&#x27;", "'")
    shown = "Parents' \"own\" words &lt;b&gt;&amp; more&lt;/b&gt;"
    assert page.count(shown) == 3  # the heading, and the table of contents twice (sidebar and mobile)
    assert "&amp;#" not in page and "<b>&" not in page


def test_the_garbage_collector_is_paused_only_while_the_course_is_made() -> None:
    import gc

    from builder.plugin import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("a failure inside")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_sessions_and_their_calendars(site: Path) -> None:
    assert (site / "sessions" / "workshop" / "index.html").is_file() and (site / "sessions" / "workshop.ics").is_file()
    assert not (site / "sessions" / "rehearsal").exists() and not (site / "sessions" / "rehearsal.ics").exists()
    assert (site / "trainer" / "sessions" / "rehearsal.ics").is_file()
    assert (site / "sessions" / "workshop.ics").read_bytes() == (site / "trainer" / "sessions" / "workshop.ics").read_bytes()
    assert (site / "sessions" / "workshop.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    page = (site / "sessions" / "workshop" / "index.html").read_text()
    assert 'href="../../sessions/workshop.ics" download="workshop.ics"' in page
    trainer = (site / "trainer" / "sessions" / "workshop" / "index.html").read_text()
    assert 'href="../../sessions/workshop.ics"' in trainer and "Run sheet" in trainer and "Run sheet" not in page
