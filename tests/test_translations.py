"""Translations of a course: what `course check` reports (missing and stale, at their lines), the record of what
each text was translated from (kept with no step from the translator), the status table, and the sites built
for the source language at the root and each translation under its folder."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from builder.resolve import resolve
from builder.translations import alternates, load_all, translated_course
from builder.validate import load_course

from .conftest import FIXTURES, REPO, check_golden, copy_course

OVERLAY = FIXTURES / "translation-fr"


def course(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "builder", *args, "--content", "content"], cwd=root, capture_output=True, text=True)


@pytest.fixture
def translated(tmp_path: Path) -> Path:
    copy_course("tiny", tmp_path, OVERLAY)
    return tmp_path


def test_check_lists_every_missing_text_at_its_source_line(translated: Path, update_golden: bool) -> None:
    result = course(translated, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("; translations: fr\n")
    check_golden(OVERLAY / "expected.txt", result.stderr, update_golden)


def test_a_source_changed_after_translation_is_stale_until_the_translation_changes(translated: Path) -> None:
    record = translated / "content" / "translations" / "fr" / ".sources.yml"
    assert not record.exists()
    course(translated, "check")
    first = record.read_text(encoding="utf-8")
    assert "  blocks.a-tip.body: [" in first  # recorded by the first check, with no step from the translator
    assert "blocks.block-2.intro" not in first  # a missing text has nothing to record

    source = translated / "content" / "modules" / "01-first-steps.yml"
    source.write_text(source.read_text(encoding="utf-8").replace("body: Be kind.", "body: Be kind, always."), encoding="utf-8")
    result = course(translated, "check")
    stale = [line for line in result.stderr.splitlines() if "stale" in line]
    assert stale == [
        "content/translations/fr/modules/01-first-steps.yml:29:5: warning: blocks.a-tip.body: stale: the source text "
        "(content/modules/01-first-steps.yml:39:5) changed after it was translated; update the translation"
    ]
    assert record.read_text(encoding="utf-8") == first  # still stale at the next run
    assert "stale" in course(translated, "check").stderr
    table = course(translated, "translations").stdout
    assert re.search(r"modules/01-first-steps.yml +17 +0 +1\n", table), table

    translation = translated / "content" / "translations" / "fr" / "modules" / "01-first-steps.yml"
    translation.write_text(translation.read_text(encoding="utf-8").replace("Soyez bienveillant.", "Soyez toujours bienveillant."), encoding="utf-8")
    result = course(translated, "check")
    assert "stale" not in result.stderr
    assert record.read_text(encoding="utf-8") != first  # the record now holds the new source


def test_translations_prints_a_status_table_per_language(translated: Path) -> None:
    result = course(translated, "translations")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "fr (Français): 61% translated, in content/translations/fr/\n"
        "  file                        translated  missing  stale\n"
        "  course.yml                           8        1      0\n"
        "  modules/01-first-steps.yml          18        0      0\n"
        "  modules/02-second.yml                3       17      0\n"
        "  total                               29       18      0\n"
    )


def test_the_translated_course_keeps_the_sources_structure_anchors_and_journal(translated: Path) -> None:
    source = load_course(translated / "content")
    english = resolve(source)
    french = translated_course(source, english, load_all(source, english)["fr"])
    assert french.language == "fr"
    assert french.title == "Mini <cours> & amis"
    assert french.slug == english.slug  # one journal and one progress whatever the language
    module = french.modules[0]
    assert module.title == "Premiers *pas*"
    assert [b.anchor for b in module.blocks] == [b.anchor for b in english.modules[0].blocks]
    assert [b.duration for b in module.blocks] == [b.duration for b in english.modules[0].blocks]
    video = module.blocks[4]
    assert video.title == "Vidéo sur le lien" and video.video is not None and video.video.video_id == "VctaUNJpT6U"
    assert str(video.fields["transcript"]).startswith("**Résumé de la vidéo.**")  # from its own file
    second = french.modules[1]
    assert second.blocks[0].fields["attribution"] == "Someone"  # missing: the source's text meanwhile
    assert french.references[1].citation == "Doe, A. (2021). Another."


def test_the_language_selector_leads_to_the_same_view_in_each_language() -> None:
    assert alternates("en", ["fr"], None, "participant") == [
        {"name": "English", "lang": "en", "link": "", "current": True},
        {"name": "Français", "lang": "fr", "link": "fr/", "current": False},
    ]
    assert [a["link"] for a in alternates("en", ["es", "fr"], "fr", "trainer")] == ["../../trainer/", "../../es/trainer/", "../../fr/trainer/"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("translated")
    copy_course("tiny", root, OVERLAY)
    result = subprocess.run(
        [sys.executable, "-m", "builder", "build", "--strict", "--content", "content", "--site-dir", "site", "-f", str(REPO / "mkdocs.yml")],
        cwd=root, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (root / "content" / "translations" / "fr" / ".sources.yml").is_file()  # a build records too
    return root / "site"


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_each_language_is_a_site_of_its_own_with_both_views(site: Path) -> None:
    for page in ("index.html", "first-steps/index.html", "journal/index.html", "trainer/agenda/index.html", "fr/index.html",
                 "fr/first-steps/index.html", "fr/journal/index.html", "fr/trainer/agenda/index.html", "fr/trainer/first-steps/index.html"):
        assert (site / page).is_file(), page
    french = text_of(site / "fr" / "first-steps" / "index.html")
    assert '<html lang="fr" class="no-js">' in french
    assert "Bonjour <strong>le monde</strong>" in french and "Hello" not in french
    assert "Réfléchir et partager" in french and 'id="think-share"' in french  # the source's anchor
    assert "Mon journal de bord" in french
    assert not (site / "translations").exists() and not (site / "fr" / "translations").exists()
    trainer = text_of(site / "fr" / "trainer" / "first-steps" / "index.html")
    assert "NOTE-ANIMATION-TS" in trainer and "Vue formateur" in trainer
    for path in (site / "fr").rglob("*"):
        if path.is_file() and "trainer" not in path.relative_to(site / "fr").parts:
            data = path.read_bytes()
            assert b"NOTE-ANIMATION" not in data and b"BLOC-FORMATEUR" not in data and b"INTENTION-FORMATEUR" not in data, path


def test_the_selector_links_each_page_to_the_same_page_in_the_other_language(site: Path) -> None:
    links = re.findall(r'<a href="([^"]*)" hreflang="(\w+)"', text_of(site / "fr" / "second" / "index.html"))
    assert links == [("../../second/", "en"), ("../../fr/second/", "fr")]
    links = re.findall(r'<a href="([^"]*)" hreflang="(\w+)"', text_of(site / "trainer" / "agenda" / "index.html"))
    assert links == [("../../trainer/agenda/", "en"), ("../../fr/trainer/agenda/", "fr")]
    head = re.findall(r'<link rel="alternate" href="([^"]*)" hreflang="(\w+)">', text_of(site / "second" / "index.html"))
    assert head == [("http://127.0.0.1:8000/second/", "en"), ("http://127.0.0.1:8000/fr/second/", "fr")]
    # Language names are escaped text: the selector shows them, never runs them.
    assert re.search(r'hreflang="fr" lang="fr" class="md-select__link">\s*Français\s*</a>', text_of(site / "index.html"))


def test_search_is_per_language(site: Path) -> None:
    english = json.loads(text_of(site / "search" / "search_index.json"))
    french = json.loads(text_of(site / "fr" / "search" / "search_index.json"))
    assert french["config"]["lang"] == ["fr"] and english["config"]["lang"] == ["en"]
    english_text = " ".join(doc["text"] for doc in english["docs"])
    french_text = " ".join(doc["text"] for doc in french["docs"])
    assert "ornithorynque" in french_text and "ornithorynque" not in english_text
    assert "Hello" in english_text and "Hello" not in french_text


def test_a_course_without_translations_has_no_selector(tmp_path: Path) -> None:
    copy_course("tiny", tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "builder", "build", "--content", "content", "--site-dir", "site", "-f", str(REPO / "mkdocs.yml")],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "md-select" not in text_of(tmp_path / "site" / "index.html")
    assert not (tmp_path / "content" / "translations").exists()


def test_a_translation_into_a_language_without_a_catalogue_is_warned_at_its_folder(tmp_path: Path) -> None:
    copy_course("tiny", tmp_path)
    folder = tmp_path / "content" / "translations" / "sw"
    folder.mkdir(parents=True)
    (folder / "course.yml").write_text("title: Kozi ndogo\n", encoding="utf-8")
    result = course(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("content/translations/sw:1:1: warning: the interface has no catalogue for `sw`: its words stay in English")
    assert "content/course.yml:1:1: warning: title:" not in result.stderr  # translated
    assert "content/course.yml:2:1: warning: subtitle: not translated into `sw`: give `subtitle` in content/translations/sw/course.yml" in lines
