"""The scripts' words come from one table, course.text, which a page may override: a site built with
``extra.course_text`` shows the given words in place of the English, and a word is only ever text."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from browser_support import ROOT, Session, Site, build, open_session, serve
from playwright.sync_api import Browser, expect

HOSTILE = '</script><script>window.__courseInjected = 1</script><img src=x onerror="window.__courseInjected = 2">'
TEXT = {
    "printModule": "Imprimer ce module",
    "doneToggle": "J'ai fini ce module",
    "journalSeeAll": "Toutes vos notes sont dans {journal}.",
    "progressCount": "{count} modules terminés sur {total}",
    "statusDone": HOSTILE,
    "journalLabel": 42,  # not a text: the English stays
}


@pytest.fixture(scope="module")
def translated_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("translated")
    config = folder / "mkdocs.yml"
    config.write_text(
        json.dumps(
            {
                "INHERIT": str(ROOT / "mkdocs.yml"),
                "theme": {"name": "material", "custom_dir": str(ROOT / "theme" / "overrides")},
                "extra": {"course_text": TEXT},
            }
        ),
        encoding="utf-8",
    )
    root = folder / "site"
    build(root, "--content", str(ROOT / "tests" / "fixtures" / "tiny"), "-f", str(config))
    with serve(root) as url:
        yield Site(root, url)


@pytest.fixture
def translated(browser: Browser, translated_site: Site) -> Iterator[Session]:
    yield from open_session(browser, translated_site, color_scheme="light")


def test_the_page_overrides_the_scripts_words(translated: Session) -> None:
    page = translated.goto("first-steps/")
    expect(page.locator(".course-print-button")).to_have_text("Imprimer ce module")
    toggle = page.locator(".course-done-toggle")
    expect(toggle).to_have_text("✓J'ai fini ce module")
    # A word given around a link keeps the link in its place.
    see_all = page.locator(".course-journal__note span").filter(has=page.get_by_role("link")).first
    expect(see_all).to_have_text("Toutes vos notes sont dans My journal.")
    expect(see_all.get_by_role("link")).to_have_attribute("href", translated.site.url + "journal/")
    # A key the page gives no text for stays in English.
    expect(page.locator(".course-journal__label").first).to_have_text("Your notes")
    toggle.click()

    page = translated.goto("")
    expect(page.locator(".course-progress-summary__count")).to_have_text("1 modules terminés sur 2")
    # A word is shown as text: markup in it neither closes the page's script element nor runs.
    status = page.locator('.course-status[data-module="first-steps"]')
    expect(status).to_contain_text(HOSTILE)
    assert page.evaluate("window.__courseInjected") is None
    assert page.locator("#course-text").count() == 1


def test_without_a_translation_the_words_are_english(tiny_session: Session) -> None:
    page = tiny_session.goto("first-steps/")
    expect(page.locator(".course-print-button")).to_have_text("Print this module")
    assert page.locator("#course-text").count() == 0

