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

import gc
import logging
import os
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mkdocs.config import load_config

from .errors import CourseErrors
from .plugin import FORK, LOADER, PREVIEW, Forked
from .render import THEME_DIR, TRAINER_PREFIX, Renderer
from .resolve import VIEWS, ResolvedCourse, View, resolve
from .tree import check_tree, ignored
from .validate import MODULE_FILE, CourseSource
from .viewsite import FullRebuild, ViewSite, Work

log = logging.getLogger("mkdocs.plugins.course")


def _settle_heap() -> None:
    """Collect garbage, then freeze what is left: the site kept in memory is large, and the garbage collector
    walking all of it would stall rebuilds for a good part of a second at hundreds of modules. Called after
    the builds that replace most of it (what it freezes and later drops is collected here, next time)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


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
        self.interrupted = 0  # finishing work cancelled by a save that came before it was done
        self._renderer: Renderer | None = None  # renders what the last rebuild left for later
        self._media: dict[View, set[str]] = {}  # the files of content/ each view publishes
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
        """Build both views from the start; raise :class:`UnsafeContent` if the content folder holds what no build
        may read (a symlink loop would never let MkDocs finish listing the files) and there is no site yet."""
        gc.enable()
        docs = Path(self.overrides.get("docs_dir") or self._docs_dir_from_config())
        unsafe = check_tree(docs).errors
        if unsafe:
            if not self.sites:
                raise UnsafeContent(CourseErrors(unsafe).report())
            self._show_errors(CourseErrors(unsafe), [])
            return
        self.cancel()
        with self.changed:
            try:
                self.source = LOADER.load(docs)
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
            self._media = {view: self.course.media(view) for view in VIEWS} if self.course is not None else {}
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
        log.error("The course has errors:\n%s", exc.report())
        return self._show(exc.report().splitlines(), self._urgent(yaml_changes))

    def show_failure(self, problem: str) -> bool:
        """Tell the browsers that the last save could not be rebuilt (the last good version stays on show)."""
        return self._show([f"The preview could not rebuild after the last save ({problem}).", FAILURE_HINT], {"index.md"})

    def _show(self, errors: list[str], urgent: set[str]) -> bool:
        PREVIEW.errors = errors
        if all(site.errors == errors for site in self.sites.values()):
            return False
        self.cancel()
        changed = False
        for site in self.sites.values():
            changed |= site.update(list(site.pages.values()), errors, urgent, {})
        return changed

    def _update(self, source: CourseSource, yaml_changes: list[Path]) -> bool:
        assert self.source is not None and self.course is not None
        old = self.source
        if source.model is not old.model or {m.id for m in source.modules} != {m.id for m in old.modules}:
            raise FullRebuild  # the course file sets site-wide settings; a module added or removed changes every page
        course = resolve(source)
        media = {view: course.media(view) for view in VIEWS}
        if media != self._media:
            raise FullRebuild  # a view publishes other files of content/
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
        self.source, self.course, self._media = source, course, media
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
            self.interrupted += finisher.result is None
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
    return ignored(name) or name.endswith(".tmp") or name == "4913"


class UnsafeContent(Exception):
    """The content folder holds what no build may read; the preview cannot start until it is removed."""


FAILURE_HINT = "The last version that built is shown; the terminal has the details. Save again to retry."


def _is_content_yaml(path: Path, docs: Path) -> bool:
    """A module file or course.yml: the changes a rebuild can follow without starting over."""
    try:
        relative = path.resolve().relative_to(docs)
    except ValueError:
        return False
    return relative.as_posix() == "course.yml" or (relative.parent.as_posix() == "modules" and relative.suffix == ".yml")




__all__ = ["Finisher", "Preview"]
