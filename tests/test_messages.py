"""The words of the site go through one catalogue: a translation installed with ``messages.use`` changes the
templates' words and the builder's own (titles, durations, badges, default titles) alike, and leaves the
anchors, under which answers are stored, as they were."""

from __future__ import annotations

import gettext
import re
from types import SimpleNamespace

import jinja2
import pytest

from builder import messages
from builder.plugin import CoursePlugin
from builder.render import Page, Renderer, _sections
from builder.resolve import resolve
from builder.validate import load_course

from .conftest import FIXTURES, REPO

WORDS = {
    "Home": "Accueil",
    "My journal": "Mon journal",
    "Agenda": "Déroulé",
    "Key points": "Points clés",
    "Module %(number)s of %(total)s": "Module %(number)s sur %(total)s",
    "Worksheet: %(title)s": "Fiche : %(title)s",
    "Think & Share": "Réfléchir & partager",
    "Trainer only": "Formateur seulement",
    "Pairs": "En binômes",
    "%(minutes)d min": "%(minutes)d minutes",
    "Group Discussion": "Discussion en groupe",
    "Callout": "Encadré",
    "Nothing loads from %(provider)s until you press play.": "Rien ne vient de %(provider)s avant la lecture.",
    "Modules %(first)d–%(last)d": "Modules %(first)d à %(last)d",
    "%(num)s module · %(time)s in all. Times are from the start of the course; for clock times, plan a session.": "%(num)s module · %(time)s.",
    "%(num)s modules · %(time)s in all. Times are from the start of the course; for clock times, plan a session.": "%(num)s modules · %(time)s.",
}


class French(gettext.NullTranslations):
    """A tiny in-memory catalogue: the msgids above, in other words."""

    def gettext(self, message: str) -> str:
        return WORDS.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return WORDS.get(msgid1 if n == 1 else msgid2, msgid1 if n == 1 else msgid2)


def pages(site: dict[str, list[Page]], view: str) -> dict[str, Page]:
    return {page.path: page for page in site[view]}


@pytest.fixture(scope="module")
def course():
    return resolve(load_course(FIXTURES / "tiny"))


def test_a_catalogue_changes_the_words_of_pages_and_titles(course) -> None:
    english = Renderer(course).site()
    with messages.using(French()):
        translated = Renderer(resolve(load_course(FIXTURES / "tiny"))).site()
        section = _sections([{f"m{i}": f"m{i}.md"} for i in range(21)])
        untitled = messages.block_type("callout")
    participant, trainer = pages(translated, "participant"), pages(translated, "trainer")

    assert participant["index.md"].title == "Accueil"
    assert participant["journal.md"].title == "Mon journal"
    assert trainer["agenda.md"].title == "Déroulé"
    assert 'title: "Fiche : First *steps*"' in participant["first-steps/worksheet.md"].markdown
    assert "# Fiche : First \\*steps\\*" in participant["first-steps/worksheet.md"].markdown
    module = trainer["first-steps.md"].markdown
    assert "## Points clés { #key-points }" in module
    assert "Module 1 sur 2" in module
    # A default title is translated; its anchor stays the English one, so stored answers keep their keys.
    assert "## Réfléchir &amp; partager { #think-share }" in module
    assert "10 minutes · En binômes" in module
    assert "Formateur seulement" in module
    assert "Rien ne vient de YouTube avant la lecture." in module
    assert "2 modules · 34 minutes." in trainer["agenda.md"].markdown
    assert "[Discussion en groupe](first-steps.md#group-discussion)" in trainer["agenda.md"].markdown
    assert list(section[0]) == ["Modules 1 à 20"]
    assert untitled == "Encadré"  # how the agenda and the guide name a block without a title

    # Outside the `with`, English again: the template environment is shared, its words are not fixed in it.
    again = Renderer(course).site()
    assert [p.markdown for p in again["trainer"]] == [p.markdown for p in english["trainer"]]
    assert pages(again, "participant")["index.md"].title == "Home"
    assert "## Key points { #key-points }" in pages(again, "trainer")["first-steps.md"].markdown


def test_the_theme_environment_gets_gettext() -> None:
    """main.html's words are wrapped in _(): the plugin adds the i18n extension if the theme's environment lacks it."""
    env = jinja2.Environment(loader=jinja2.DictLoader({"t": '{{ _("Trainer view") }}|{% trans %}<b>x</b>{% endtrans %}'}))
    with pytest.raises(jinja2.TemplateSyntaxError):  # no i18n extension: {% trans %} is unknown
        env.get_template("t").render()
    english = CoursePlugin().on_env(env, config=SimpleNamespace(extra={}), files=None)  # type: ignore[arg-type]
    assert english.get_template("t").render() == "Trainer view|<b>x</b>"
    # The course language's catalogue speaks in main.html too.
    french = CoursePlugin().on_env(env, config=SimpleNamespace(extra={"course_language": "fr"}), files=None)  # type: ignore[arg-type]
    assert french.get_template("t").render() == "Vue formateur|<b>x</b>"


SCRIPTS = REPO / "theme" / "overrides" / "assets" / "javascripts"


def test_the_scripts_words_are_in_one_table() -> None:
    """Every feature file takes its words from core.js's course.text: it writes no sentence of its own, and every
    key it asks for is defined there."""
    core = (SCRIPTS / "core.js").read_text(encoding="utf-8")
    table = core[core.index("course.text = {") : core.index("\n  };\n", core.index("course.text = {"))]
    defined = set(re.findall(r"^    (\w+):", table, re.MULTILINE))
    features = sorted(path for path in SCRIPTS.glob("*.js") if path.name != "core.js")
    assert {path.name for path in features} >= {"journal.js", "journal-tools.js", "progress.js", "video.js", "print.js"}
    for path in [SCRIPTS / "core.js", *features]:
        source = path.read_text(encoding="utf-8")
        if path.name == "core.js":
            source = source.replace(table, "")
        source = re.sub(r"(?<=\s)// .*", "", re.sub(r"/\*.*?\*/", "", source, flags=re.DOTALL))  # comments
        sentences = [s for s in re.findall(r'"([^"\n]*)"', source) if re.match(r"[A-Z][a-z]+ ", s)]
        assert not sentences, f"{path.name} writes words outside course.text: {sentences}"
        for call in re.findall(r"\bt(?:Nodes)?\(([^()]*)", source):
            for key in re.findall(r'"(\w+)"', call):
                assert key in defined, f"{path.name} asks for course.text.{key}, which core.js does not define"
