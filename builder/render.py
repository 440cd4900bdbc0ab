"""Render stage: the resolved course through the Jinja templates in ``theme/`` into Markdown pages.

Every view gets its own list of :class:`Page` (path, title, Markdown, the same page in the other
view) and its navigation. Nothing here knows about MkDocs: the plugin and the Markdown export
both take these pages as they are.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .resolve import VIEWS, ResolvedCourse, ResolvedModule, View

THEME_DIR = Path(__file__).resolve().parent.parent / "theme"
TRAINER_PREFIX = "trainer/"

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!])")


def text(value: Any) -> Markup:
    """Plain text made safe for Markdown and HTML alike: shown as written, never interpreted."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(value))))


def indent(value: Any, width: int = 4, first: bool = True) -> Markup:
    """Indent Markdown so it nests under an admonition, details block or list item."""
    pad = " " * width
    lines = str(value).strip("\n").split("\n")
    out = [(pad + line if line.strip() else "") if (i or first) else line for i, line in enumerate(lines)]
    return Markup("\n".join(out))


def minutes(value: int | None) -> str:
    if not value:
        return ""
    hours, mins = divmod(int(value), 60)
    if not hours:
        return f"{mins} min"
    return f"{hours} h {mins:02d} min" if mins else f"{hours} h"


def clock(value: int) -> str:
    """Minutes from the start as ``h:mm``."""
    return f"{value // 60}:{value % 60:02d}"


@dataclass
class Page:
    """One generated page of one view: where it goes, its title, its Markdown."""

    view: View
    path: str  # the Markdown file's path inside the view, e.g. ``what-is-alliance.md``
    title: str
    markdown: str
    pair: str | None  # the same page in the other view (its path there), or None
    in_nav: bool = True

    @property
    def url(self) -> str:
        """The page's URL below the view's root, with directory URLs (``what-is-alliance/``)."""
        return url_of(self.path)


def url_of(path: str) -> str:
    stem = path[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def make_environment(theme_dir: Path = THEME_DIR) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(theme_dir)),
        autoescape=True,  # the Markdown carries HTML; anything not marked safe is escaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(text=text, indent=indent, minutes=minutes, clock=clock, url=url_of)
    return env


class Renderer:
    """Renders every page of both views of a course."""

    def __init__(self, course: ResolvedCourse, theme_dir: Path = THEME_DIR, other_root: dict[View, str] | None = None):
        self.course = course
        self.env = make_environment(theme_dir)
        # From a view's root URL to the other view's root: the trainer view is a site of its own under trainer/.
        self.other_root = other_root or {"participant": TRAINER_PREFIX, "trainer": "../"}

    def _render(self, template: str, view: View, path: str, pair: str | None, title: str | None = None, **context: Any) -> str:
        depth = url_of(path).count("/")
        defaults = {
            "course": self.course,
            "view": view,
            "root": "../" * path.count("/"),  # from this Markdown file to the view's docs root
            "url_root": "../" * depth,  # from this page's URL to the view's root URL
            "anchor_prefix": "",
        }
        body = self.env.get_template(template).render({**defaults, **context})
        front = {
            "course_view": view,
            "course_page": template.split("/")[-1].split(".")[0],
            "course_other": self.other_root[view] + (url_of(pair) if pair else ""),
        }
        if "module" in context:
            front["course_module"] = context["module"].id
        if title is not None:
            front["title"] = html.escape(title, quote=False)
        return "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in front.items()) + "---\n\n" + body.strip() + "\n"

    def module_page(self, view: View, module: ResolvedModule) -> Page:
        path = f"{module.id}.md"
        markdown = self._render("pages/module.md.j2", view, path, path, module=module, blocks=module.blocks_for(view))
        return Page(view, path, module.title, markdown, path)

    def worksheet_page(self, view: View, module: ResolvedModule) -> Page:
        path = f"{module.id}/worksheet.md"
        title = f"Worksheet: {module.title}"
        markdown = self._render(
            "pages/worksheet.md.j2", view, path, path, title, module=module, blocks=module.blocks_for(view)
        )
        return Page(view, path, title, markdown, path, in_nav=False)

    def pages(self, view: View) -> list[Page]:
        course = self.course
        pages = [Page(view, "index.md", "Home", self._render("pages/home.md.j2", view, "index.md", "index.md"), "index.md")]
        pages += [self.module_page(view, module) for module in course.modules]
        pages += [self.worksheet_page(view, module) for module in course.modules if module.has_activities(view)]
        title = f"{course.title}: the whole course"
        pages.append(Page(view, "print.md", title, self._render("pages/print.md.j2", view, "print.md", "print.md", title), "print.md", in_nav=False))
        if view == "trainer":
            pages.append(Page(view, "agenda.md", "Agenda", self._render("pages/agenda.md.j2", view, "agenda.md", None), None))
            pages.append(
                Page(
                    view,
                    "facilitator-guide.md",
                    "Facilitator guide",
                    self._render("pages/facilitator-guide.md.j2", view, "facilitator-guide.md", None),
                    None,
                )
            )
        else:
            pages.append(Page(view, "journal.md", "My journal", self._render("pages/journal.md.j2", view, "journal.md", None), None))
        if course.references:
            pages.append(
                Page(view, "references.md", "References", self._render("pages/references.md.j2", view, "references.md", "references.md"), "references.md")
            )
        return pages

    def site(self) -> dict[View, list[Page]]:
        return {view: self.pages(view) for view in VIEWS}


def nav(pages: list[Page]) -> list[dict[str, str]]:
    """MkDocs navigation for one view; titles HTML-escaped because MkDocs' templates do not escape."""
    return [{html.escape(page.title, quote=False): page.path} for page in pages if page.in_nav]
