"""The interface's catalogues: complete for every msgid the sources have, compiled from the .po files, and
followed by a build in the course language (Material's words, <html lang>, dir, the scripts' words)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from builder import i18n, messages

from .conftest import REPO, copy_course


def test_every_msgid_of_the_sources_is_translated_in_every_catalogue() -> None:
    """What `make lint` checks: a word added to a template, the builder or core.js without its Spanish and French
    fails here, and the message names the msgid and where it is, for whoever fills the catalogue."""
    problems = i18n.problems()
    assert problems == [], "\n".join(problems)


def test_the_check_names_each_missing_or_obsolete_msgid() -> None:
    template = i18n.extract()
    template.add("A word added to a template", locations=[("theme/pages/home.md.j2", 12)])
    template.delete("Key points")
    problems = i18n.problems(template)
    for language in ("es", "fr"):
        po = f"builder/locale/{language}/LC_MESSAGES/course.po"
        assert f'{po}: missing msgid "A word added to a template" (theme/pages/home.md.j2:12)' in problems
        assert f'{po}: obsolete msgid "Key points": no source has it; run `python -m builder.i18n update`' in problems
    assert len(problems) == 4


def test_extraction_finds_the_words_of_every_layer() -> None:
    found = {m.id if isinstance(m.id, str) else m.id[0]: m for m in i18n.extract() if m.id}
    places = {loc[0] for m in found.values() for loc in m.locations}
    assert "Key points" in found  # a template
    assert "Trainer view of this page" in found  # main.html, Material's environment
    assert "Think & Share" in found and "Pairs" in found  # the builder's tables
    assert "Your notes" in found  # core.js's course.text
    assert found["Imported {count} answer and your progress from the file."].id[1].startswith("Imported {count} answers")
    assert {"builder/messages.py", "theme/overrides/main.html", "theme/overrides/assets/javascripts/core.js"} <= places


def test_the_scripts_words_are_read_from_core_js_and_translated() -> None:
    english = i18n.script_words()
    core = i18n.CORE_JS.read_text(encoding="utf-8")
    start = core.index("course.text = {")
    keys = set(re.findall(r"^    (\w+):", core[start : core.index("\n  };", start)], re.MULTILINE))
    assert set(english) == keys
    spanish = i18n.script_text("es")
    assert set(spanish) == set(english)
    assert spanish["journalLabel"] == "Sus notas"
    assert spanish["imported"] == {
        "one": "Se importó {count} respuesta y su progreso desde el archivo.",
        "other": "Se importaron {count} respuestas y su progreso desde el archivo.",
    }
    # French says "one" for 0 and 1, as Intl.PluralRules does.
    assert i18n.script_text("fr")["imported"]["one"].startswith("{count} réponse et")
    assert i18n.script_text("en") == {}


def test_a_catalogue_is_found_for_a_regional_tag_and_english_needs_none() -> None:
    assert i18n.translations("fr-CA") is i18n.translations("fr")
    assert i18n.translations("es-MX").gettext("Key points") == "Puntos clave"  # type: ignore[union-attr]
    assert i18n.translations("en-GB") is None and i18n.has_catalogue("en-GB")
    assert i18n.translations("sw") is None and not i18n.has_catalogue("sw")
    assert i18n.direction("ar") == "rtl" and i18n.direction("he") == "rtl" and i18n.direction("es") == "ltr"
    with messages.using(i18n.translations("fr")):  # type: ignore[arg-type]
        assert messages.duration(65) == "1 h 05 min"
        assert messages.grouping("pairs") == "À deux"


def build(tmp_path: Path, fixture: str, language: str | None = None) -> tuple[Path, subprocess.CompletedProcess[str]]:
    content = copy_course(fixture, tmp_path)
    if language is not None:
        course = content / "course.yml"
        course.write_text(re.sub(r"^language: .*$", f"language: {language}", course.read_text(encoding="utf-8"), flags=re.MULTILINE), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "builder", "build", "--strict", "--content", "content", "--site-dir", "site", "-f", str(REPO / "mkdocs.yml")],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    return tmp_path / "site", result


def test_a_spanish_course_speaks_spanish_with_material(tmp_path: Path) -> None:
    site, _ = build(tmp_path, "spanish")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es" class="no-js">' in home
    assert 'placeholder="Búsqueda"' in home  # Material's own words, from its Spanish partial
    assert 'title="Cambiar al modo oscuro"' in home  # mkdocs.yml's palette toggle, through the catalogue
    words = json.loads(re.search(r'<script type="application/json" id="course-text">(.*?)</script>', home).group(1))  # type: ignore[union-attr]
    assert words["journalName"] == "Mi diario"
    trainer = (site / "trainer" / "index.html").read_text(encoding="utf-8")
    assert "La alianza terapéutica · Vista del capacitador" in trainer
    assert "Participant view of this page" not in trainer and "Vista de participante de esta página" in trainer
    search = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert search["config"]["lang"] == ["es"]
    module = (site / "trainer" / "practica" / "index.html").read_text(encoding="utf-8")
    assert "Advertencia" in module  # an untitled warning box, named in Spanish


def test_a_language_without_a_catalogue_is_english_with_a_warning(tmp_path: Path) -> None:
    site, _ = build(tmp_path, "tiny", "sw")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="sw" class="no-js">' in home  # the page's language, though Material has no words for it
    assert 'id="course-text"' not in home  # the scripts keep their English
    result = subprocess.run([sys.executable, "-m", "builder", "check", "--content", "content"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0
    catalogues = ", ".join(i18n.languages())
    assert result.stderr == (
        f"content/course.yml:5:1: warning: language: the interface has no catalogue for `sw`: its words stay in English (catalogues: {catalogues})\n"
        "1 warning about languages.\n"
    )


@pytest.mark.parametrize(("language", "material"), [("fr-CA", "fr"), ("pt-BR", "pt-BR"), ("ar", "ar")])
def test_material_language_and_direction_follow_the_course(tmp_path: Path, language: str, material: str) -> None:
    from mkdocs.config import load_config

    from builder.plugin import material_language, prepare_language

    config = load_config(str(REPO / "mkdocs.yml"))
    assert material_language(config, language) == material
    prepare_language(config, language)
    assert config.theme["language"] == material
    assert config.extra["course_language"] == language
    assert config.theme.get("direction") == ("rtl" if language == "ar" else None)
