"""One view of the course as ``course serve`` keeps it: built once with MkDocs' own build phases, kept in memory,
and brought up to date page by page (:mod:`builder.preview` decides what each save needs).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from mkdocs import utils
from mkdocs.commands.build import _build_extra_template, _build_page, _build_theme_template, _populate_page
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from . import render
from .plugin import CoursePlugin
from .render import TRAINER_PREFIX, PagePlan, Renderer, nav
from .resolve import View

log = logging.getLogger("mkdocs.plugins.course")

INCLUSION = InclusionLevel.is_in_serve

# What a page's conversion to HTML leaves on it, carried from one Page object to its successor.
_PAGE_STATE = ("markdown", "meta", "content", "toc", "_title_from_render", "present_anchor_ids")


def _page_state(page: Page) -> dict[str, Any]:
    return {name: getattr(page, name) for name in _PAGE_STATE}


def _restore(page: Page, state: dict[str, Any]) -> None:
    for name, value in state.items():
        setattr(page, name, value)


class _NoIndex:
    """Stands in for the search index while a page whose entries are already known is drawn again."""

    def add_entry_from_context(self, page: Page) -> None:
        pass


class FullRebuild(Exception):
    """What changed needs both views built again from the start."""


@dataclasses.dataclass
class Work:
    """What a page still needs after the browser has reloaded: rendering from its plan (and, if its Markdown
    changed, converting), or only drawing again (a new navigation, an error notice shown or removed)."""

    plan: PagePlan | None = None
    redraw: bool = False


class ViewSite:
    """One view of the course as MkDocs builds it, kept in memory between rebuilds."""

    def __init__(
        self, config_file: str | None, overrides: dict[str, Any], view: View, site_dir: Path, site_url: str, prebuilt: Any = None
    ):
        config = load_config(config_file, site_dir=str(site_dir), **overrides)
        config.extra["course_view"] = view
        config.site_url = site_url
        plugins = [p for p in config.plugins.values() if isinstance(p, CoursePlugin)]
        if not plugins:
            raise SystemExit(f"{config.config_file_path}: the `course` plugin is not in `plugins`")
        self.plugin: CoursePlugin = plugins[0]
        self.plugin.config.trainer_view = False  # the preview builds each view itself
        config.plugins.on_startup(command="serve", dirty=False)
        self.config: MkDocsConfig = config
        self.view = view
        self.prefix = "" if view == "participant" else TRAINER_PREFIX
        self.search: Any = None
        self.pages: dict[str, render.Page] = {}  # the course's pages, by path, as last rendered
        self.nav_config: list[Any] = []
        self.errors: list[str] = []
        self.entries: dict[str, list[dict[str, Any]]] = {}  # search entries of each page
        self._entries_json: dict[str, str] = {}
        self.stale: dict[str, Work] = {}  # pages whose HTML is not current yet
        self.build(prebuilt)

    # --- a whole build ------------------------------------------------------------------------

    def build(self, prebuilt: Any = None) -> None:
        """Build the view from the start, as ``mkdocs.commands.build.build`` does, keeping what it makes.

        ``prebuilt`` is what :meth:`made` returned in a process that built this view into this site folder
        already: only the pages whose Markdown differs from it are converted and drawn here."""
        config = self.config.plugins.on_config(self.config)
        self.config = config
        config.plugins.on_pre_build(config=config)
        made: dict[str, Any] = {}
        if prebuilt is not None and prebuilt[0] == list(config.nav or []):
            made = prebuilt[1]
        else:
            utils.clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        navigation = get_navigation(files, config)
        navigation = config.plugins.on_nav(navigation, config=config, files=files)
        for file in files.documentation_pages(inclusion=INCLUSION):
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)
            assert file.page is not None
            if file.src_uri in made and made[file.src_uri][0] != file.content_string:
                del made[file.src_uri]  # saved again meanwhile: built here
            if file.src_uri in made:
                _restore(file.page, made[file.src_uri][1])
            else:
                _populate_page(file.page, config, files)
        env = config.plugins.on_env(env, config=config, files=files)
        if not made:
            files.copy_static_files(inclusion=INCLUSION)
            for template in config.theme.static_templates:
                _build_theme_template(template, env, files, config, navigation)
            for template in config.extra_templates:
                _build_extra_template(template, files, config, navigation)
        self.files, self.nav, self.env = files, navigation, env
        self.doc_files = files.documentation_pages(inclusion=INCLUSION)
        self.search = next((p for p in config.plugins.values() if hasattr(getattr(p, "search_index", None), "entries")), None)
        self.entries, self._entries_json, self.stale = {}, {}, {}
        for file in self.doc_files:
            assert file.page is not None
            if file.src_uri in made:
                self._set_entries(file.src_uri, made[file.src_uri][2])
            else:
                self._build(file.page, index=True)
                file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        self.pages = {page.path: page for page in self.plugin.pages(config)}
        self.nav_config = list(config.nav or [])
        self.errors = list(config.extra.get("course_errors", []))
        if self.search is not None:  # the search plugin writes the index in its own post-build step
            self.search.search_index.entries = [e for f in self.doc_files for e in self.entries.get(f.src_uri, [])]
        config.plugins.on_post_build(config=config)
        if self.search is not None:
            self.search.search_index.entries = []

    def made(self) -> tuple[list[Any], dict[str, Any]]:
        """What this build made, for :meth:`build` in another process: the navigation, and for each page its
        source, what converting it left on it and its search entries."""
        made = {}
        for file in self.doc_files:
            assert file.page is not None
            made[file.src_uri] = (file.content_string, _page_state(file.page), self.entries.get(file.src_uri, []))
        return self.nav_config, made

    def _build(self, page: Page, index: bool) -> list[dict[str, Any]] | None:
        """Draw ``page`` into its HTML file; with ``index``, replace its search entries too."""
        if self.search is None:
            _build_page(page, self.config, self.doc_files, self.nav, self.env)
            return None
        search_index = self.search.search_index
        if not index:
            self.search.search_index = _NoIndex()
            try:
                _build_page(page, self.config, self.doc_files, self.nav, self.env)
            finally:
                self.search.search_index = search_index
            return None
        start = len(search_index.entries)
        _build_page(page, self.config, self.doc_files, self.nav, self.env)
        entries = search_index.entries[start:]
        del search_index.entries[start:]
        self._set_entries(page.file.src_uri, entries)
        return entries

    def _set_entries(self, path: str, entries: list[dict[str, Any]]) -> None:
        self.entries[path] = entries
        # The index is written as Material writes it; each page's part is serialised once.
        self._entries_json[path] = json.dumps(entries, separators=(",", ":"), default=str)[1:-1]

    def write_search_index(self) -> None:
        """Write the search index from every page's entries, leaving out those of pages still to be rendered."""
        if self.search is None:
            return
        search_index = self.search.search_index
        search_index.entries = []
        empty = search_index.generate_search_index(None)
        suffix = "[]}"
        assert empty.endswith(suffix), "unexpected search index format"
        parts = []
        for file in self.doc_files:
            work = self.stale.get(file.src_uri)
            if work is not None and work.plan is not None:
                continue  # still to be rendered: its entries may be stale
            if part := self._entries_json.get(file.src_uri):
                parts.append(part)
        docs = ",".join(parts)
        _write_atomic(
            Path(self.config.site_dir) / "search" / "search_index.json", (empty[: -len(suffix)] + "[" + docs + "]}").encode()
        )

    # --- a rebuild ----------------------------------------------------------------------------

    def update(self, pages: list[render.Page], errors: list[str], urgent: set[str], plans: dict[str, PagePlan]) -> bool:
        """Bring the view up to ``pages`` (the course's pages, rendered or as before) and ``errors``.

        Pages in ``plans`` are still to be rendered: they are left for :meth:`finish`, as are pages that
        only need drawing again, unless they are ``urgent``. Returns whether anything changed."""
        if {p.path for p in pages} != set(self.pages):
            raise FullRebuild
        config = self.config
        nav_config = nav(pages)
        nav_changed = nav_config != self.nav_config
        errors_changed = errors != self.errors
        changed = {p.path for p in pages if p.path not in plans and p.markdown != self.pages[p.path].markdown}
        redraw = set(self.pages) if nav_changed or errors_changed else set(changed)
        if not (redraw or plans):
            return False
        pending = set(plans) | {path for path, work in self.stale.items() if work.plan is not None}
        now = (changed | (urgent & redraw)) - pending
        later = {path: work for path, work in self.stale.items() if path not in now}
        for path, plan in plans.items():
            later[path] = Work(plan, path in later and later[path].redraw)
        for path in redraw - now:
            later[path] = Work(later[path].plan if path in later else None, True)
        self.pages = {page.path: page for page in pages}  # in the new order
        if errors_changed:
            config.extra["course_errors"] = list(errors)
            self.errors = list(errors)
        if nav_changed:
            self._renavigate(nav_config, changed)
        for path in sorted(changed, key=self._order):
            file = self.files.get_file_from_path(path)
            assert file is not None and file.page is not None
            file.content_string = self.pages[path].markdown
            _populate_page(file.page, config, self.files)
        for file in self.doc_files:
            if file.src_uri in now:
                assert file.page is not None
                self._build(file.page, index=file.src_uri in changed)
        self.stale = later
        if changed and not any(work.plan for work in later.values()):
            self.write_search_index()  # else written once the pages still to be rendered are
        return True

    def _order(self, path: str) -> int:
        return next((i for i, f in enumerate(self.doc_files) if f.src_uri == path), 0)

    def _renavigate(self, nav_config: list[Any], changed: set[str]) -> None:
        """A navigation of new titles or order: new Page objects, as a build makes them, that keep what the
        old ones converted when their Markdown is the same."""
        config = self.config
        before = {}
        for file in self.doc_files:
            assert file.page is not None
            before[file.src_uri] = _page_state(file.page)
            file.page = None
        config.nav = nav_config
        navigation = get_navigation(self.files, config)
        self.nav = config.plugins.on_nav(navigation, config=config, files=self.files)
        for file in self.doc_files:
            if file.page is None:
                Page(None, file, config)
            assert file.page is not None
            if file.src_uri not in changed:
                _restore(file.page, before[file.src_uri])
        self.nav_config = nav_config

    def finish(self, work: dict[str, Work], renderer: Renderer | None, staging: Path) -> dict[str, Any]:
        """Do the ``work`` left for after the reload, drawing into ``staging`` (this runs in a forked process,
        or inline): for each page, its new Markdown, what converting it left on the page and its search
        entries, when its Markdown changed."""
        results: dict[str, Any] = {}
        for file in self.doc_files:
            path = file.src_uri
            if path not in work:
                continue
            page = file.page
            assert page is not None
            start = time.perf_counter()
            markdown = state = entries = None
            rendered = converted = start
            plan = work[path].plan
            if plan is not None:
                assert renderer is not None
                markdown = renderer.render(plan).markdown
                rendered = converted = time.perf_counter()
                if markdown == file.content_string:
                    markdown = None
                else:
                    file.content_string = markdown
                    _populate_page(page, self.config, self.files)
                    state = _page_state(page)
                    converted = time.perf_counter()
            if state is not None or work[path].redraw:
                file.dest_dir = str(staging)
                try:
                    entries = self._build(page, index=state is not None)
                finally:
                    file.dest_dir = self.config.site_dir
            results[path] = (markdown, state, entries)
            log.debug(
                "Preview: finished %s%s: rendered %.1f s, converted %.1f s, drawn and indexed %.1f s",
                self.prefix,
                path,
                rendered - start,
                converted - rendered,
                time.perf_counter() - converted,
            )
        return results

    def apply(self, results: dict[str, Any], staging: Path) -> None:
        """Put what :meth:`finish` made in place."""
        for path, (markdown, state, entries) in results.items():
            file = self.files.get_file_from_path(path)
            if path not in self.stale or file is None or file.page is None:
                continue
            built = staging / file.dest_uri
            if built.is_file():
                Path(file.abs_dest_path).parent.mkdir(parents=True, exist_ok=True)
                os.replace(built, file.abs_dest_path)
            if state is not None:
                file.content_string = markdown
                self.pages[path] = dataclasses.replace(self.pages[path], markdown=markdown)
                _restore(file.page, state)
                self._set_entries(path, entries)
            del self.stale[path]

    def stale_outputs(self) -> set[str]:
        """Site paths (below the preview's root) that must not be served yet."""
        outputs = set()
        for path, work in self.stale.items():
            file = self.files.get_file_from_path(path)
            if file is not None:
                outputs.add(self.prefix + file.dest_uri)
            if work.plan is not None and self.search is not None:
                outputs.add(self.prefix + "search/search_index.json")
        return outputs


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)




__all__ = ["FullRebuild", "ViewSite", "Work"]
