"""Live preview for ``course serve``: both views built once with MkDocs' own build phases and kept in
memory; on each save only what changed is built again, and browsers reload.

- A text edit re-renders the edited module's pages, in both views, before browsers reload.
- A change of title or order re-renders the modules' pages that show it (a title is on the neighbours'
  pages too) and draws every page's navigation again, from the HTML already converted.
- A module added or removed, or a change to course.yml, media, templates or mkdocs.yml, rebuilds all
  (the trainer view in a forked process, beside the participant view, where the platform allows).
- A content error is printed and shown on the pages, over the last good version, which stays served.

Browsers reload once the saved module's pages are rebuilt. The rest is finished right after, by a
forked process for each view where the platform allows: the pages of the whole course (home, journal,
agenda, facilitator guide, references, and the whole course on one page, which takes seconds to
convert at hundreds of modules) are rendered again and rebuilt if they changed, and the pages that only
need drawing again (a new navigation, an error notice shown or removed) are drawn. Until a page is
finished a request for it waits, and so does one for its view's search index when entries may change:
nothing is ever served stale.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import logging
import os
import posixpath
import shutil
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs import utils
from mkdocs.commands.build import _build_extra_template, _build_page, _build_theme_template, _populate_page
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer, _serve_url, _timestamp
from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from . import render
from .errors import CourseErrors
from .plugin import FORK, LOADER, PREVIEW, CoursePlugin, Forked
from .render import THEME_DIR, TRAINER_PREFIX, PagePlan, Renderer, nav
from .resolve import ResolvedCourse, View, resolve
from .validate import MODULE_FILE, CourseSource

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


def _settle_heap() -> None:
    """Collect garbage, then freeze what is left: the site kept in memory is large, and the garbage collector
    walking all of it would stall rebuilds for a good part of a second at hundreds of modules. Called after
    the builds that replace most of it (what it freezes and later drops is collected here, next time)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


class Finisher:
    """The deferred pages of one view, finished by a forked process (or inline where forking is unsafe)."""

    def __init__(self, site: ViewSite, work: dict[str, Work], renderer: Renderer | None, done: Callable[[], None]):
        self.site = site
        self.staging = Path(tempfile.mkdtemp(prefix=".course-preview-", dir=Path(site.config.site_dir).parent))
        self.result: tuple[bool, Any] | None = None  # (finished, what finish() returned or the error)
        self.forked: Forked | None = None
        if not FORK:
            try:
                self.result = (True, site.finish(work, renderer, self.staging))
            except Exception:  # noqa: BLE001 - reported, and the pages stay as they were
                self.result = (False, traceback.format_exc())
            done()
            return
        self.forked = Forked(site.finish, work, renderer, self.staging, short=True, freeze=False)
        self._reader = threading.Thread(target=self._receive, args=(self.forked, done), daemon=True)
        self._reader.start()

    def _receive(self, forked: Forked, done: Callable[[], None]) -> None:
        try:
            self.result = (True, forked.result())
        except RuntimeError as exc:
            self.result = (False, str(exc))
        done()

    def cancel(self) -> None:
        if self.forked is not None:
            self.forked.cancel()
            self._reader.join()
        shutil.rmtree(self.staging, ignore_errors=True)

    def collect(self) -> bool:
        """Apply the result if there is one; returns whether it was applied."""
        if self.result is None:
            return False
        finished, payload = self.result
        if finished:
            self.site.apply(payload, self.staging)
        else:
            log.error("Could not finish the %s view's pages:\n%s", self.site.view, payload)
            self.site.stale.clear()  # what is on disk is served rather than nothing
        shutil.rmtree(self.staging, ignore_errors=True)
        return True


def _build_view(config_file: str | None, overrides: dict[str, Any], view: View, site_dir: Path, site_url: str) -> Any:
    return ViewSite(config_file, overrides, view, site_dir, site_url).made()


class Preview:
    """Both views of the course in memory, and what a save changes in them."""

    def __init__(self, config_file: str | None, site_dir: Path, serve_url: str, overrides: dict[str, Any] | None = None):
        self.config_file = config_file
        self.site_dir = site_dir
        self.serve_url = serve_url
        self.overrides = dict(overrides or {})
        self.sites: dict[View, ViewSite] = {}
        self.source: CourseSource | None = None
        self.course: ResolvedCourse | None = None
        self.finishers: list[Finisher] = []
        self._renderer: Renderer | None = None  # renders what the last rebuild left for later
        self._settle = False  # whether the heap is to be settled once browsers are reloading (see tidy)
        self.changed = threading.Condition()  # notified when pages are finished; guards the stale pages
        self.build()

    @property
    def docs_dir(self) -> Path:
        return Path(self.sites["participant"].config.docs_dir).resolve()

    @property
    def theme_dir(self) -> Path:
        plugin = self.sites["participant"].plugin
        return Path(plugin.config.theme_dir).resolve() if plugin.config.theme_dir else THEME_DIR

    def watched(self) -> list[str]:
        config = self.sites["participant"].config
        paths = [str(self.docs_dir), str(self.theme_dir), *map(str, config.watch)]
        if config.config_file_path:
            paths.append(config.config_file_path)
        return paths

    def build(self) -> None:
        """Build both views from the start."""
        gc.enable()
        self.cancel()
        with self.changed:
            try:
                self.source = LOADER.load(Path(self.overrides.get("docs_dir") or self._docs_dir_from_config()))
            except CourseErrors:
                self.source = None  # the plugin reports the errors
            trainer_url = self.serve_url + TRAINER_PREFIX
            staging = Path(tempfile.mkdtemp(prefix=".course-preview-", dir=self.site_dir.parent))
            # The trainer view is built by a forked process meanwhile (into a folder of its own: the participant
            # build empties the site first); what it made is then taken over instead of being made again.
            trainer = (
                Forked(_build_view, self.config_file, self.overrides, "trainer", staging, trainer_url, freeze=False)
                if FORK
                else None
            )
            try:
                self.sites["participant"] = ViewSite(
                    self.config_file, self.overrides, "participant", self.site_dir, self.serve_url
                )
                prebuilt = None
                if trainer is not None:
                    try:
                        prebuilt = trainer.result()
                        os.replace(staging, self.site_dir / TRAINER_PREFIX)
                    except (RuntimeError, OSError) as exc:
                        log.warning("Building the trainer view beside the participant view failed; building it now.\n%s", exc)
                        prebuilt = None
                self.sites["trainer"] = ViewSite(
                    self.config_file, self.overrides, "trainer", self.site_dir / TRAINER_PREFIX, trainer_url, prebuilt
                )
            finally:
                if trainer is not None:
                    trainer.cancel()
                shutil.rmtree(staging, ignore_errors=True)
            for site in self.sites.values():
                site.write_search_index()
            self.course = PREVIEW.last_good if self.source is not None else None
            self._renderer = None
            self._settle = True
            self.changed.notify_all()

    def _docs_dir_from_config(self) -> str:
        if self.sites:
            return str(self.sites["participant"].config.docs_dir)
        return str(load_config(self.config_file, **self.overrides).docs_dir)

    def rebuild(self, paths: Iterable[str]) -> bool:
        """Bring the site up to the files on disk after ``paths`` changed; returns whether browsers should reload."""
        # A quick rebuild allocates little, but a collection meeting the garbage of earlier ones (a whole
        # resolved course each) would stall it: the collector waits, unless the rebuild turns out long.
        gc.disable()
        try:
            return self._rebuild(paths)
        finally:
            gc.enable()

    def _rebuild(self, paths: Iterable[str]) -> bool:
        docs = self.docs_dir
        relevant = {Path(p) for p in paths if not _scratch(Path(p))}
        log.debug("Preview: changed: %s", ", ".join(map(str, sorted(relevant))) or "nothing that counts")
        if not relevant:
            return False
        yaml_changes = [p for p in relevant if _is_content_yaml(p, docs)]
        if self.source is None or self.course is None or len(yaml_changes) != len(relevant):
            self.build()
            return True
        start = time.perf_counter()
        try:
            source = LOADER.load(docs)
        except CourseErrors as exc:
            return self._show_errors(exc, yaml_changes)
        log.debug(
            "Preview: loaded the course in %.3f s (parsed: %s)",
            time.perf_counter() - start,
            ", ".join(LOADER.parsed) or "nothing",
        )
        try:
            return self._update(source, yaml_changes)
        except FullRebuild:
            self.build()
            return True

    def _urgent(self, yaml_changes: list[Path]) -> set[str]:
        """The pages an author is likely looking at: those of the saved modules, and the home page."""
        urgent = {"index.md"}
        for path in yaml_changes:
            match = MODULE_FILE.match(path.name)
            if match:
                urgent |= {f"{match.group(2)}.md", f"{match.group(2)}/worksheet.md"}
        return urgent

    def _show_errors(self, exc: CourseErrors, yaml_changes: list[Path]) -> bool:
        errors = exc.report().splitlines()
        log.error("The course has errors:\n%s", exc.report())
        PREVIEW.errors = errors
        if all(site.errors == errors for site in self.sites.values()):
            return False
        self.cancel()
        changed = False
        for site in self.sites.values():
            changed |= site.update(list(site.pages.values()), errors, self._urgent(yaml_changes), {})
        return changed

    def _update(self, source: CourseSource, yaml_changes: list[Path]) -> bool:
        assert self.source is not None and self.course is not None
        old = self.source
        if source.model is not old.model or {m.id for m in source.modules} != {m.id for m in old.modules}:
            raise FullRebuild  # the course file sets site-wide settings; a module added or removed changes every page
        course = resolve(source)
        before = {m.id: m for m in old.modules}
        titles = {m.id: m.title for m in self.course.modules}
        edited = {m.id for m in source.modules if before[m.id].model is not m.model}
        # A module's own pages show its number and its neighbours' titles: a new order renders them all, a new
        # title those of the module and its neighbours.
        reordered = [m.id for m in source.modules] != [m.id for m in old.modules]
        touched = set(edited)
        for module in course.modules:
            if module.id in edited and module.title != titles[module.id]:
                touched |= {m.id for m in (module.previous, module.next) if m is not None}
        if not (edited or reordered or any(site.errors for site in self.sites.values())):
            return False  # saved as it was: pages being finished stay valid
        if reordered:
            gc.enable()  # every module page is rendered again: a long rebuild
        self.cancel()
        renderer = Renderer(course, self.theme_dir)
        urgent = self._urgent(yaml_changes)
        changed = False
        for view, site in self.sites.items():
            start = time.perf_counter()
            pages, plans = [], {}
            for plan in renderer.plan(view):
                if plan.module is None and plan.path in site.pages:
                    plans[plan.path] = plan  # a page of the whole course: rendered after the reload
                    pages.append(site.pages[plan.path])
                elif reordered or plan.module is None or plan.module.id in touched or plan.path not in site.pages:
                    pages.append(renderer.render(plan))
                else:
                    pages.append(site.pages[plan.path])
            rendered = time.perf_counter()
            changed |= site.update(pages, [], urgent, plans)
            log.debug(
                "Preview: %s view rendered in %.3f s, built in %.3f s", view, rendered - start, time.perf_counter() - rendered
            )
        self.source, self.course = source, course
        PREVIEW.last_good, PREVIEW.errors = course, []
        self._renderer = renderer
        self._settle = self._settle or touched != edited or reordered  # a new navigation: the old one is garbage
        return changed

    # --- pages finished after the reload ------------------------------------------------------

    def finish(self, done: Callable[[], None]) -> None:
        """Start finishing the stale pages of each view."""
        for site in self.sites.values():
            if site.stale:
                self.finishers.append(Finisher(site, dict(site.stale), self._renderer, done))

    def collect(self) -> bool:
        """Put finished pages in place; returns whether any were."""
        applied = False
        for finisher in list(self.finishers):
            with self.changed:
                if finisher.collect():
                    self.finishers.remove(finisher)
                    finisher.site.write_search_index()
                    applied = True
                    self.changed.notify_all()
        return applied

    def tidy(self) -> None:
        """Collect the garbage of the last rebuild, once browsers are reloading and the rest is being finished."""
        if self._settle:
            _settle_heap()
            self._settle = False
        else:
            gc.collect()

    def finished(self) -> bool:
        return any(f.result is not None for f in self.finishers)

    def cancel(self) -> None:
        for finisher in self.finishers:
            finisher.cancel()
        self.finishers = []

    def stale_outputs(self) -> set[str]:
        return set().union(*(site.stale_outputs() for site in self.sites.values()))

    def wait_fresh(self, path: str, timeout: float = 600) -> None:
        """Wait until the site path ``path`` may be served."""
        with self.changed:
            self.changed.wait_for(lambda: path not in self.stale_outputs(), timeout=timeout)

    def settled(self) -> bool:
        return not self.stale_outputs()

    def notify(self) -> None:
        with self.changed:
            self.changed.notify_all()


def _scratch(path: Path) -> bool:
    """Files editors write beside the one being saved (swap, backup and probe files)."""
    name = path.name
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp")) or name == "4913"


def _is_content_yaml(path: Path, docs: Path) -> bool:
    """A module file or course.yml: the changes a rebuild can follow without starting over."""
    try:
        relative = path.resolve().relative_to(docs)
    except ValueError:
        return False
    return relative.as_posix() == "course.yml" or (relative.parent.as_posix() == "modules" and relative.suffix == ".yml")


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, building through a :class:`Preview` and told which files changed."""

    def __init__(self, preview: Preview, host: str, port: int, root: str, mount_path: str = "/"):
        super().__init__(builder=lambda: None, host=host, port=port, root=root, mount_path=mount_path, polling_interval=0.1)
        self.preview = preview
        self._changes: set[str] = set()
        self._first_change = 0.0  # when the first of the changes waiting for a rebuild was seen
        self.error_handler = self._error_page

    def _error_page(self, code: int) -> bytes | None:
        page = Path(self.root) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        import watchdog.events

        path = os.path.abspath(path)
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1

        def callback(event: Any) -> None:
            if event.is_directory:
                return
            with self._rebuild_cond:
                self._first_change = self._first_change or time.perf_counter()
                self._changes.add(os.fsdecode(event.src_path))
                if getattr(event, "dest_path", None):
                    self._changes.add(os.fsdecode(event.dest_path))
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = callback  # type: ignore[method-assign]
        self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)

    def _pages_finished(self) -> None:
        with self._rebuild_cond:
            self._rebuild_cond.notify_all()

    def _build_loop(self) -> None:
        self.preview.tidy()
        while True:
            with self._rebuild_cond:
                while not self._rebuild_cond.wait_for(
                    lambda: self._want_rebuild or self._shutdown or self.preview.finished(), timeout=self.shutdown_delay
                ):
                    pass
                if self._shutdown:
                    break
                rebuild = self._want_rebuild
                if rebuild:
                    log.info("Detected file changes")
                    while self._rebuild_cond.wait(timeout=self.build_delay):
                        pass  # until the files stop changing
                    changes, self._changes = self._changes, set()
                    first, self._first_change = self._first_change, 0.0
                    self._wanted_epoch = _timestamp()
                    self._want_rebuild = False
            if not rebuild:
                self.preview.collect()
                continue
            reload = True
            start = time.perf_counter()
            try:
                reload = self.preview.rebuild(changes)
            except Exception:  # noqa: BLE001 - the last good site stays served
                traceback.print_exc()
                log.error("The rebuild failed; the last good site stays served.")
            with self._epoch_cond:
                if reload:
                    log.info("Reloading browsers")
                    log.debug(
                        "Preview: %.2f s after the change was seen: %.2f s waiting for writes to stop, %.2f s rebuilding",
                        time.perf_counter() - first,
                        start - first,
                        time.perf_counter() - start,
                    )
                    self._visible_epoch = self._wanted_epoch
                else:
                    self._wanted_epoch = self._visible_epoch
                self._epoch_cond.notify_all()
            self.preview.notify()
            self.preview.finish(self._pages_finished)
            self.preview.tidy()
        self.preview.cancel()

    def _serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes] | None:
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if not path.startswith("/livereload/") and (path + "/").startswith(self.mount_path):
            relative = path[len(self.mount_path) :]
            if path.endswith("/"):
                relative += "index.html"
            relative = posixpath.normpath("/" + relative).lstrip("/")
            with self._epoch_cond:  # a rebuild first, then what it left for later
                self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
            self.preview.wait_fresh(relative)
        return super()._serve_request(environ, start_response)


def serve(config_file: str | None, dev_addr: str | None = None, **overrides: Any) -> None:
    """``course serve``: build both views, serve them, and rebuild what each save changes."""
    site_dir = Path(tempfile.mkdtemp(prefix="course_"))
    previous = signal.signal(signal.SIGTERM, _interrupt)  # stopped like Ctrl-C: the temporary site is removed
    try:
        if dev_addr:
            overrides["dev_addr"] = dev_addr
        config = load_config(config_file, **overrides)
        host, port = config.dev_addr
        mount_path = urlsplit(config.site_url or "/").path
        preview = Preview(config_file, site_dir, _serve_url(host, port, mount_path), overrides)
        server = PreviewServer(preview, host, port, str(site_dir), mount_path)
        for path in preview.watched():
            server.watch(path)
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
            preview.cancel()
    finally:
        signal.signal(signal.SIGTERM, previous)
        shutil.rmtree(site_dir, ignore_errors=True)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


__all__ = ["Preview", "PreviewServer", "serve"]
