"""Render stage: the resolved course through the Jinja templates in ``theme/`` into Markdown pages.

Every view gets its own list of :class:`Page` (path, title, Markdown, the same page in the other
view) and its navigation. Nothing here knows about MkDocs: the plugin and the Markdown export
both take these pages as they are.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import messages
from .ics import calendar
from .messages import _
from .resolve import VIEWS, ResolvedBlock, ResolvedCourse, ResolvedModule, View
from .schedule import clock_of, place_course, plan_session
from .sessions import SessionSource

THEME_DIR = Path(__file__).resolve().parent.parent / "theme"
TRAINER_PREFIX = "trainer/"

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!])")


def text(value: Any) -> Markup:
    """Plain text made safe for Markdown and HTML alike: shown as written, never interpreted."""
    # Quotes stay as they are: they are harmless in Markdown text, and the table of contents would show
    # an entity such as &#34; as written.
    return Markup(_MD_SPECIAL.sub(r"\\\1", html.escape(str(value), quote=False)))


def indent(value: Any, width: int = 4, first: bool = True) -> Markup:
    """Indent Markdown so it nests under an admonition, details block or list item."""
    pad = " " * width
    lines = str(value).strip("\n").split("\n")
    out = [(pad + line if line.strip() else "") if (i or first) else line for i, line in enumerate(lines)]
    return Markup("\n".join(out))


minutes = messages.duration


def meta(block: ResolvedBlock, view: View) -> str:
    """A block's meta line: trainer-only badge and duration (trainer view), and grouping (``Small groups``)."""
    parts = []
    if view == "trainer":
        if block.audience == "trainer":
            parts.append(_("Trainer only"))
        if block.duration:
            parts.append(minutes(block.duration))
    label = grouping(block)
    if label:
        parts.append(label)
    return " · ".join(parts)


def label(block: ResolvedBlock) -> Markup:
    """A block's title as Markdown-safe text, or its type in words for a block without one (``Image``)."""
    return text(block.title or messages.block_type(block.type))


def grouping(block: ResolvedBlock) -> str:
    """An activity's grouping as words (``Small groups``), or ``""``."""
    value = block.fields.get("grouping")
    return messages.grouping(str(value)) if value else ""


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
    if not path.endswith(".md"):
        return path  # a file that is not a page (a session's calendar) keeps its name
    stem = path[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


class TemplateEnvironment(jinja2.Environment):
    """The Jinja environment of the course templates, loaded once: a template is looked up in a plain dict, not
    in Jinja's own cache, which checks each template's freshness and locks on every lookup, and runs at every
    ``{% include %}`` and ``{% extends %}`` (a few of each per block). An edited template makes a new
    environment (:func:`environment`)."""

    def __init__(self, theme_dir: Path):
        super().__init__(
            loader=jinja2.FileSystemLoader(str(theme_dir)),
            autoescape=True,  # the Markdown carries HTML; anything not marked safe is escaped
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
            extensions=["jinja2.ext.i18n"],
        )
        # The templates' _() speaks the builder's catalogue (messages.use installs one for the course language).
        self.install_gettext_callables(messages.gettext, messages.ngettext, newstyle=True)  # type: ignore[attr-defined]
        self.filters.update(text=text, indent=indent, minutes=minutes, clock=clock, url=url_of, meta=meta, block_type=messages.block_type)
        self.filters.update(hhmm=clock_of, grouping=grouping, label=label)
        self.globals.update(place_course=place_course)
        self._loaded: dict[tuple[Any, str | None], jinja2.Template] = {}

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
        if globals is not None:
            return super().get_template(name, parent, globals)
        key = (name, parent)
        template = self._loaded.get(key)
        if template is None:
            template = self._loaded[key] = super().get_template(name, parent)
        return template


@functools.cache
def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's per-user cache of compiled templates, in the temporary folder: like Python's .pyc files, it spares
    every build but the first the compiling of the templates (ours and the theme's). Keyed by each template's
    source, so an edited template is compiled again."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no safe folder for it: templates are compiled each time
        return None


# Compiled templates outlive a Renderer: a build, and every rebuild of a preview, would otherwise compile
# them again. An environment is reused while no template under its folder has changed on disk.
_ENVIRONMENTS: dict[Path, tuple[tuple[tuple[str, int, int], ...], TemplateEnvironment]] = {}


def _templates_stamp(theme_dir: Path) -> tuple[tuple[str, int, int], ...]:
    stamp = []
    for path in sorted(theme_dir.rglob("*.j2")):
        stat = path.stat()
        stamp.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stamp)


def environment(theme_dir: Path = THEME_DIR) -> TemplateEnvironment:
    """The template environment for ``theme_dir``, compiled once and kept until a template changes."""
    stamp = _templates_stamp(theme_dir)
    cached = _ENVIRONMENTS.get(theme_dir)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    env = TemplateEnvironment(theme_dir)
    env.bytecode_cache = bytecode_cache()
    _ENVIRONMENTS[theme_dir] = (stamp, env)
    return env


@dataclass(eq=False)
class PagePlan:
    """A page of one view before it is rendered: its place, its title and what renders it."""

    view: View
    path: str
    title: str
    pair: str | None
    template: str
    in_nav: bool = True
    module: ResolvedModule | None = None
    titled: bool = False  # the title goes into the front matter (it is not the page's first heading)
    session: SessionSource | None = None


CALENDAR = "calendar"  # what renders a session's .ics file: builder.ics, not a template


def calendar_stamp(session: SessionSource) -> datetime:
    """A calendar's DTSTAMP (UTC): ``SOURCE_DATE_EPOCH`` when set, for reproducible builds, else when the session
    file last changed, so that both views, and every build of an unchanged session, carry the same calendar."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    seconds = int(epoch) if epoch.isdigit() else int(session.doc.path.stat().st_mtime)
    return datetime.fromtimestamp(seconds, UTC)


# Stands for the anchor prefix in a rendered module body; YAML cannot carry a NUL, so no text holds it.
_ANCHOR_MARK = "\x00anchor\x00"


class Renderer:
    """Renders every page of both views of a course."""

    def __init__(self, course: ResolvedCourse, theme_dir: Path = THEME_DIR, other_root: dict[View, str] | None = None):
        self.course = course
        self.env = environment(theme_dir)
        # From a view's root URL to the other view's root: the trainer view is a site of its own under trainer/.
        self.other_root = other_root or {"participant": TRAINER_PREFIX, "trainer": "../"}
        self._bodies: dict[tuple[View, str], str] = {}

    def module_body(self, view: View, module: ResolvedModule, anchor_prefix: str = "") -> Markup:
        """A module's content in one view, rendered once and shared by its page and the whole-course page.

        Both pages sit one folder below the view's root, so links in the body are the same on both; only
        the anchors differ (prefixed with the module's id where modules share a page).
        """
        key = (view, module.id)
        body = self._bodies.get(key)
        if body is None:
            context = {
                "course": self.course, "view": view, "root": "", "url_root": "../", "anchor_prefix": _ANCHOR_MARK,
                "module": module, "blocks": module.blocks_for(view), "module_body": self.module_body,
            }
            body = self._bodies[key] = self.env.get_template("pages/_module_body.md.j2").render(context)
        return Markup(body.replace(_ANCHOR_MARK, anchor_prefix))

    def _render(self, template: str, view: View, path: str, pair: str | None, title: str | None = None, **context: Any) -> str:
        depth = url_of(path).count("/")
        defaults = {
            "course": self.course,
            "view": view,
            "root": "../" * path.count("/"),  # from this Markdown file to the view's docs root
            "url_root": "../" * depth,  # from this page's URL to the view's root URL
            "anchor_prefix": "",
            "module_body": self.module_body,
        }
        body = self.env.get_template(template).render({**defaults, **context})
        page_kind = template.split("/")[-1].split(".")[0]
        front: dict[str, Any] = {
            "course_view": view,
            "course_page": page_kind,
            "course_other": self.other_root[view] + (url_of(pair) if pair else ""),
            "course_slug": self.course.slug,
        }
        if page_kind == "print":
            front["search"] = {"exclude": True}  # the whole course again: every search hit would show twice
        if "module" in context:
            front["course_module"] = context["module"].id
        if title is not None:
            front["title"] = html.escape(title)
        return "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in front.items()) + "---\n\n" + body.strip() + "\n"

    def _module_plan(self, view: View, module: ResolvedModule) -> PagePlan:
        path = f"{module.id}.md"
        return PagePlan(view, path, module.title, path, "pages/module.md.j2", module=module)

    def _worksheet_plan(self, view: View, module: ResolvedModule) -> PagePlan:
        path = f"{module.id}/worksheet.md"
        return PagePlan(view, path, _("Worksheet: %(title)s") % {"title": module.title}, path, "pages/worksheet.md.j2", in_nav=False, module=module, titled=True)

    def plan(self, view: View) -> list[PagePlan]:
        """The pages of ``view`` in order, not yet rendered: what the navigation needs, and what a rebuild picks from."""
        course = self.course
        plans = [PagePlan(view, "index.md", _("Home"), "index.md", "pages/home.md.j2")]
        plans += [self._module_plan(view, module) for module in course.modules]
        plans += [self._worksheet_plan(view, module) for module in course.modules if module.has_activities(view)]
        plans.append(PagePlan(view, "print.md", _("%(course)s: the whole course") % {"course": course.title}, "print.md", "pages/print.md.j2", in_nav=False, titled=True))
        if view == "trainer":
            plans.append(PagePlan(view, "agenda.md", _("Agenda"), None, "pages/agenda.md.j2"))
            plans.append(PagePlan(view, "facilitator-guide.md", _("Facilitator guide"), None, "pages/facilitator-guide.md.j2"))
        else:
            plans.append(PagePlan(view, "journal.md", _("My journal"), None, "pages/journal.md.j2"))
        if course.references:
            plans.append(PagePlan(view, "references.md", _("References"), "references.md", "pages/references.md.j2"))
        plans += self._session_plans(view)
        return plans

    def _session_plans(self, view: View) -> list[PagePlan]:
        """Each session's page and calendar: every session in the trainer view, the published ones for participants."""
        plans = []
        for session in self.course.sessions:
            published = session.model.publish
            if view == "participant" and not published:
                continue
            path = f"sessions/{session.id}.md"
            pair = path if published else None
            plans.append(PagePlan(view, path, session.model.title, pair, "pages/session.md.j2", session=session))
            ics = f"sessions/{session.id}.ics"
            plans.append(PagePlan(view, ics, session.model.title, None, CALENDAR, in_nav=False, session=session))
        return plans

    def schedule(self, session: SessionSource) -> list[Any]:
        """The days of ``session`` in clock time (:func:`builder.schedule.plan_session`)."""
        return plan_session(session.model.days, {m.id: m for m in self.course.modules})

    def render(self, plan: PagePlan) -> Page:
        """Render one planned page to Markdown (a session's calendar to iCalendar text)."""
        context: dict[str, Any] = {}
        if plan.module is not None:
            context = {"module": plan.module, "blocks": plan.module.blocks_for(plan.view)}
        if plan.session is not None:
            days = self.schedule(plan.session)
            if plan.template == CALENDAR:
                text = calendar(self.course.slug, plan.session.id, plan.session.model.title, days, calendar_stamp(plan.session))
                return Page(plan.view, plan.path, plan.title, text, plan.pair, plan.in_nav)
            context = {"session": plan.session, "days": days}
        title = plan.title if plan.titled else None
        markdown = self._render(plan.template, plan.view, plan.path, plan.pair, title, **context)
        return Page(plan.view, plan.path, plan.title, markdown, plan.pair, plan.in_nav)

    def module_page(self, view: View, module: ResolvedModule) -> Page:
        return self.render(self._module_plan(view, module))

    def pages(self, view: View) -> list[Page]:
        return [self.render(plan) for plan in self.plan(view)]

    def site(self) -> dict[View, list[Page]]:
        return {view: self.pages(view) for view in VIEWS}


# A course of more modules than this gets its modules in navigation sections of this many ("Modules 1–20"),
# and sections of sections beyond that, so that the navigation drawn on each page stays short (the plugin
# also turns on Material's navigation.prune, which draws only the open section in full).
NAV_SECTION_SIZE = 20

_COURSE_PAGE = re.compile(r'^course_page: "([^"]*)"$', re.MULTILINE)


def _course_page(page: Page) -> str:
    """What a page is (``module``, ``home``...), as its front matter says."""
    end = page.markdown.find("\n---\n")
    match = _COURSE_PAGE.search(page.markdown, 0, end if end > 0 else 0)
    return match.group(1) if match else ""


def _sections(modules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Module entries grouped in sections of at most NAV_SECTION_SIZE, level upon level."""
    level = [(number, number, item) for number, item in enumerate(modules, start=1)]  # (first, last, entry)
    while len(level) > NAV_SECTION_SIZE:
        grouped = []
        for i in range(0, len(level), NAV_SECTION_SIZE):
            chunk = level[i : i + NAV_SECTION_SIZE]
            first, last = chunk[0][0], chunk[-1][1]
            label = _("Modules %(first)d–%(last)d") % {"first": first, "last": last} if last > first else _("Module %(number)d") % {"number": first}
            grouped.append((first, last, {label: [entry for _, _, entry in chunk]}))
        level = grouped
    return [entry for _, _, entry in level]


def nav(pages: list[Page], prefix: str = "") -> list[dict[str, Any]]:
    """MkDocs navigation for one view, its paths below ``prefix``; titles HTML-escaped because MkDocs' templates
    do not escape. Modules beyond :data:`NAV_SECTION_SIZE` are grouped in sections."""
    items: list[dict[str, Any]] = []
    modules: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    at = None
    for page in pages:
        if not page.in_nav:
            continue
        item = {html.escape(page.title): prefix + page.path}
        kind = _course_page(page)
        if kind == "module":
            at = len(items) if at is None else at
            modules.append(item)
        elif kind == "session":
            if not sessions:
                items.append({_("Sessions"): sessions})
            sessions.append(item)
        else:
            items.append(item)
    if at is not None:
        items[at:at] = _sections(modules)
    return items
