"""What every built site of a view carries, whatever builds it (the MkDocs plugin, the export, the packages):
the Markdown extensions the generated pages are written for, and the site's own stylesheets and scripts."""

from __future__ import annotations

from typing import Any

import markdown as markdown_lib

from . import messages
from .resolve import ResolvedCourse, View

# Markdown extensions the generated pages are written for; added when mkdocs.yml leaves one out.
REQUIRED_EXTENSIONS: dict[str, dict[str, Any]] = {
    "attr_list": {},
    "md_in_html": {},
    "admonition": {},
    "tables": {},
    "pymdownx.details": {},
    "pymdownx.superfences": {},
    "toc": {"permalink": True},
}

# The site's stylesheets and scripts under theme/overrides/: the shared core first, then one file per feature
# (see core.js). Room mode is the trainer's alone: the participant site neither loads nor carries it.
ASSETS_CSS = ["assets/stylesheets/course.css", "assets/stylesheets/checks.css", "assets/stylesheets/room.css"]
ASSETS_JS = [
    "assets/javascripts/core.js",
    "assets/javascripts/journal.js",
    "assets/javascripts/progress.js",
    "assets/javascripts/journal-tools.js",
    "assets/javascripts/video.js",
    "assets/javascripts/print.js",
    "assets/javascripts/checks.js",
    "assets/javascripts/room.js",
]
TRAINER_ONLY_ASSETS = frozenset({"assets/stylesheets/room.css", "assets/javascripts/room.js"})


def site_name(course: ResolvedCourse, view: View) -> str:
    """The site's name in the header and the window title (text, not yet escaped), in the current language."""
    return course.title if view == "participant" else messages.gettext("%(course)s · Trainer view") % {"course": course.title}


def assets(view: View) -> tuple[list[str], list[str]]:
    """The stylesheets and the scripts a page of ``view`` loads, in order."""
    keep = (lambda path: True) if view == "trainer" else (lambda path: path not in TRAINER_ONLY_ASSETS)
    return [p for p in ASSETS_CSS if keep(p)], [p for p in ASSETS_JS if keep(p)]


def inline_markdown(text: str) -> str:
    """Render a short Markdown text (the licence line) to HTML without a wrapping paragraph."""
    rendered = markdown_lib.markdown(text)
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered
