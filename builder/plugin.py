"""MkDocs adapter: the ``course`` plugin that feeds the generated pages of one view to MkDocs.

A build of the participant view (the site root) also builds the trainer view, into ``trainer/``
below the site, as a second MkDocs build of the same project: in a forked process while the
participant view builds, where the platform allows, else after it. In ``mkdocs serve`` a content
error does not stop the server: it is printed, and shown on every page over the last good version
of the course.
"""

from __future__ import annotations

import contextlib
import gc
import gettext
import logging
import multiprocessing
import os
import secrets
import shutil
import sys
import threading
import traceback
import warnings
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import AnchorLink

from . import i18n, messages, translations
from .errors import CourseErrors
from .render import THEME_DIR, TRAINER_PREFIX, Page, Renderer, bytecode_cache, nav
from .resolve import ResolvedCourse, View, resolve
from .sanitize import plain_text, sanitize
from .site import REQUIRED_EXTENSIONS, TRAINER_ONLY_ASSETS, assets, inline_markdown, site_name
from .validate import CourseLoader, CourseSource

log = logging.getLogger("mkdocs.plugins.course")

# Material draws only the open navigation section in full: with many modules (grouped in sections by
# render.nav), each page's navigation stays short and the build grows linearly with the course.
PRUNE = "navigation.prune"

# Parsed files survive between rebuilds of `mkdocs serve`; so does the last course that built.
LOADER = CourseLoader()


@dataclass
class Preview:
    """What `serve` keeps between rebuilds."""

    last_good: ResolvedCourse | None = None
    errors: list[str] = field(default_factory=list)


PREVIEW = Preview()


class CourseConfig(base.Config):
    view = c.Choice(("participant", "trainer"), default="participant")
    theme_dir = c.Optional(c.Dir(exists=True))
    trainer_view = c.Type(bool, default=True)


def material_language(config: MkDocsConfig, language: str) -> str | None:
    """The name of Material's own language partial for a BCP 47 tag (``pt-BR``, else ``pt``), if it has one."""
    primary = language.split("-")[0].lower()
    for candidate in (language, primary):
        for folder in config.theme.dirs:
            if (Path(folder) / "partials" / "languages" / f"{candidate}.html").is_file():
                return candidate
    return None


def prepare_language(config: MkDocsConfig, language: str) -> None:
    """The interface in ``language``: Material's words and direction, the page's ``lang``, the scripts' words."""
    config.extra["course_language"] = language  # <html lang>, in theme/overrides/partials/language.html
    material = material_language(config, language)
    if material is not None:
        config.theme["language"] = material
    if i18n.direction(language) == "rtl" and not config.theme.get("direction"):
        config.theme["direction"] = "rtl"
    words = i18n.script_text(language)
    given = config.extra.get("course_text")
    if words or given:
        config.extra["course_text"] = {**words, **(given if isinstance(given, dict) else {})}  # mkdocs.yml's words win
    for palette in config.theme.get("palette") or []:
        toggle = palette.get("toggle") if isinstance(palette, dict) else None
        if isinstance(toggle, dict) and isinstance(toggle.get("name"), str):
            toggle["name"] = messages.gettext(toggle["name"])


def prepare_config(config: MkDocsConfig, course: ResolvedCourse, view: View) -> None:
    """Site settings that come from the course: name, language, licence, assets, extensions."""
    # Markup, escaped quotes and all: Material puts the site name into attributes and text, some escaping it
    # (which leaves markup as it is) and some not.
    config.site_name = escape(site_name(course, view))
    config.use_directory_urls = True
    prepare_language(config, course.language)
    if course.license:
        config.copyright = sanitize(inline_markdown(str(course.license)))
    for extension, options in REQUIRED_EXTENSIONS.items():
        if extension not in config.markdown_extensions:
            config.markdown_extensions.append(extension)
            config.mdx_configs[extension] = options
    stylesheets, scripts = assets(view)
    config.extra_css = [*config.extra_css, *(css for css in stylesheets if css not in config.extra_css)]
    present = {str(s) for s in config.extra_javascript}
    config.extra_javascript.extend(js for js in scripts if js not in present)  # type: ignore[arg-type]
    features = config.theme.get("features")
    if isinstance(features, list) and PRUNE not in features and "navigation.expand" not in features:
        features.append(PRUNE)  # navigation.expand needs the whole navigation on every page: it wins


def error_page(view: View, errors: list[str]) -> Page:
    listing = "\n".join(f"    {line}" for line in errors)
    markdown = (
        "---\ncourse_view: " + view + "\ncourse_page: errors\n---\n\n# The course has errors\n\n"
        "Fix these and save; this page reloads by itself.\n\n" + listing + "\n"
    )
    return Page(view, "index.md", "Errors", markdown, "index.md")


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while the course is loaded, resolved and rendered. That work makes
    a great many objects that all stay alive (the course, its pages), so the collector's passes over them, longer
    as the course grows, free nothing: at 500 modules they took a fifth of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class CoursePlugin(BasePlugin[CourseConfig]):
    """Generates the pages of one view of the course from ``content/`` (the docs folder)."""

    def __init__(self) -> None:
        self.serving = False
        self._pages: dict[int, list[Page]] = {}  # per build (keyed by its config): this instance serves nested builds too
        self._media: dict[int, set[str]] = {}  # per build: the files of content/ its view publishes
        self._trainer: dict[int, TrainerBuild] = {}  # participant builds whose trainer view builds beside them
        self._languages: dict[int, list[str]] = {}  # root builds, and the translations built after them under <lang>/
        self._alternate: dict[int, list[dict[str, Any]]] = {}  # builds of a translated course: the language selector

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def _view(self, config: MkDocsConfig) -> View:
        return config.extra.get("course_view", self.config.view)  # type: ignore[no-any-return]

    # Before Material's search plugin, which takes its language from the theme's, set here.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        view = self._view(config)
        theme_dir = Path(self.config.theme_dir) if self.config.theme_dir else THEME_DIR
        translation = config.extra.get("course_translation")
        try:
            with collector_paused():
                source = LOADER.load(Path(config.docs_dir))
                course = self._course(config, source, translation)
            PREVIEW.last_good, PREVIEW.errors = course, []
        except CourseErrors as exc:
            if not self.serving or LOADER.unsafe:  # MkDocs would go on to list (or hang on) what must not be read
                raise PluginError("The course has errors:\n" + exc.report()) from None
            PREVIEW.errors = exc.report().splitlines()
            log.error("The course has errors:\n%s", exc.report())
            course = PREVIEW.last_good  # type: ignore[assignment]
        if view == "participant" and self.config.trainer_view and not self.serving and TrainerBuild.possible():
            # The course is known to be good: the trainer view can start now, beside everything that follows.
            self._trainer[id(config)] = TrainerBuild(config)
        self._media[id(config)] = set() if course is None else course.media(view)
        if course is None:
            pages = [error_page(view, PREVIEW.errors)]
        else:
            prepare_config(config, course, view)
            with collector_paused():
                pages = Renderer(course, theme_dir).pages(view)
        config.extra["course_view"] = view
        config.extra["course_errors"] = list(PREVIEW.errors)
        config.nav = nav(pages)
        self._pages[id(config)] = pages
        return config

    def _course(self, config: MkDocsConfig, source: CourseSource, translation: str | None) -> ResolvedCourse:
        """The course this build shows, resolved in its language: the source, or one of its translations."""
        root = Path(config.docs_dir)
        messages.use(i18n.translations(source.model.language))
        course = resolve(source)
        found = translations.languages(root)
        if translation is None:
            # The root build checks every translation (and records what each text was translated from).
            loaded = translations.load_all(source, course, record=True)
            if self._view(config) == "participant" and not self.serving:
                self._languages[id(config)] = found
        else:
            loaded = {translation: translations.load(source, course, translation)}
        if found and not self.serving:  # a preview shows the source language only: no selector leading nowhere
            self._alternate[id(config)] = translations.alternates(source.model.language, found, translation, self._view(config))
        if translation is not None:
            messages.use(i18n.translations(translation))
            course = translations.translated_course(source, course, loaded[translation])
        return course

    def on_page_context(self, context: Any, *, page: Any, config: MkDocsConfig, nav: Any) -> Any:
        # Material's language selector and its <link rel="alternate">: the same page in every language.
        alternates = self._alternate.get(id(config))
        if alternates:
            config.extra["alternate"] = [translations.alternate_of(alt, page.url, config.site_url) for alt in alternates]
        return context

    def pages(self, config: MkDocsConfig) -> list[Page]:
        """The pages generated for the build of ``config`` (until its ``on_post_build``)."""
        return self._pages[id(config)]

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # Of content/, only the files this view's pages use are published (and the course's handouts): not the YAML
        # sources and transcript files, nor a file only trainer-only content uses, nor one nothing uses.
        media = self._media.get(id(config), set())
        docs = os.path.realpath(config.docs_dir)
        for file in list(files):
            if file.src_dir is None or os.path.realpath(file.src_dir) != docs:
                if self._view(config) == "participant" and file.src_uri in TRAINER_ONLY_ASSETS:
                    files.remove(file)
                continue  # the theme's own files
            if file.src_uri.endswith((".yml", ".yaml", ".md", ".markdown")) or file.src_uri not in media:
                files.remove(file)
            elif not _plain_file_inside(file.abs_src_path or "", docs):
                files.remove(file)  # in `serve`, the last good course may name a file that has become unsafe to read
        for page in self._pages[id(config)]:
            files.append(File.generated(config, page.path, content=page.markdown))
        return files

    # Last of every plugin's page hook, so that nothing rewrites the page after it; the search index is built
    # later (Material's search reads the page in on_page_context) and sees only what passed.
    @event_priority(-100)
    def on_page_content(self, content: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """The choke point: the page's HTML through the allowlist; its title and headings as safe text."""
        page.title = plain_text(page.title or "")
        _safe_titles(page.toc)
        return sanitize(content)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        # Material writes navigation titles into text and attributes (the footer's aria-label escapes them again).
        for item in _walk(nav.items):
            if item.title is not None:
                item.title = plain_text(item.title)
        return nav

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._media.pop(id(config), None)
        pages = self._pages.pop(id(config), None)
        trainer = self._trainer.pop(id(config), None)
        target = trainer_site_dir(config)
        self._alternate.pop(id(config), None)
        if trainer is not None:
            trainer.finish(target)
        elif self._view(config) == "participant" and self.config.trainer_view and pages is not None:
            build_trainer_view(config)
        for language in self._languages.pop(id(config), []):
            build_language(config, language)
        if self._view(config) == "participant" and not self.serving and pages is not None:
            if self.config.trainer_view and not target.is_relative_to(config.site_dir):
                write_marker(target)
            write_marker(Path(config.site_dir))

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if env.bytecode_cache is None:
            env.bytecode_cache = bytecode_cache()  # the theme's templates, compiled once, not at every build
        if "jinja2.ext.InternationalizationExtension" not in env.extensions:
            # MkDocs adds it itself; main.html's words are wrapped in _() whichever way the theme is built.
            env.add_extension("jinja2.ext.i18n")
        language = config.extra.get("course_language") or "en"
        env.install_gettext_translations(i18n.translations(language) or gettext.NullTranslations())  # type: ignore[attr-defined]
        return env

    def on_build_error(self, *, error: Exception) -> None:
        for trainer in self._trainer.values():
            trainer.cancel()
        self._trainer.clear()

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        theme_dir = Path(self.config.theme_dir) if self.config.theme_dir else THEME_DIR
        server.watch(str(theme_dir))
        return server


def _plain_file_inside(path: str, docs: str) -> bool:
    real = os.path.realpath(path)
    return os.path.isfile(real) and os.path.commonpath([real, docs]) == docs


def _walk(items: list[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])


def _safe_titles(toc: list[AnchorLink] | Any) -> None:
    for link in toc:
        link.title = plain_text(link.title)
        _safe_titles(link.children)


def trainer_config(config: MkDocsConfig, site_dir: str) -> MkDocsConfig:
    """The configuration of the trainer view: the same project, built into ``site_dir``."""
    from mkdocs.config import load_config

    trainer = load_config(
        config.config_file_path,
        site_dir=site_dir,
        docs_dir=config.docs_dir,
        strict=config.strict,
    )
    trainer.extra["course_view"] = "trainer"
    if config.extra.get("course_translation"):
        trainer.extra["course_translation"] = config.extra["course_translation"]
    if config.site_url:
        trainer.site_url = config.site_url.rstrip("/") + "/" + TRAINER_PREFIX
    return trainer


def trainer_site_dir(config: MkDocsConfig) -> Path:
    """Where the trainer view goes: ``trainer/`` in the site, or a folder of its own (``course build --trainer-site-dir``)."""
    return Path(config.extra.get(TRAINER_SITE_DIR) or Path(config.site_dir) / "trainer")


def language_config(config: MkDocsConfig, language: str, site_dir: str) -> MkDocsConfig:
    """The configuration of a translation's participant view: the same project, built into ``site_dir``."""
    from mkdocs.config import load_config

    translated = load_config(config.config_file_path, site_dir=site_dir, docs_dir=config.docs_dir, strict=config.strict)
    translated.extra["course_translation"] = language
    if config.extra.get(TRAINER_SITE_DIR):  # the trainer views stay out of the participant site, every language's
        translated.extra[TRAINER_SITE_DIR] = str(Path(config.extra[TRAINER_SITE_DIR]) / language)
    if config.site_url:
        translated.site_url = config.site_url.rstrip("/") + "/" + language + "/"
    return translated


def build_language(config: MkDocsConfig, language: str) -> None:
    """A translation of the course, built as a site of its own (both views) under ``<language>/``."""
    from mkdocs.commands.build import build

    translated = language_config(config, language, str(Path(config.site_dir) / language))
    translated.plugins.on_startup(command="build", dirty=False)
    try:
        build(translated)
    finally:
        translated.plugins.on_shutdown()


def build_trainer_view(config: MkDocsConfig) -> None:
    from mkdocs.commands.build import build

    build(trainer_config(config, str(trainer_site_dir(config))))


# Lists the files a build wrote in a site folder, so that the next build knows it may replace them (and nothing else).
BUILD_MARKER = ".course-build"
TRAINER_SITE_DIR = "course_trainer_site_dir"  # config.extra: the trainer view's own folder, when it has one


def site_files(folder: Path) -> set[str]:
    """Every file below ``folder``, as relative paths (symlinks are not followed)."""
    found: set[str] = set()
    for parent, _dirs, names in os.walk(folder):
        found.update(Path(parent, name).relative_to(folder).as_posix() for name in names)
    return found


def write_marker(folder: Path) -> None:
    files = sorted(site_files(folder) - {BUILD_MARKER})
    (folder / BUILD_MARKER).write_text("# written by `course build`: the files it wrote here\n" + "".join(f + "\n" for f in files), encoding="utf-8")


def written_by_a_build(folder: Path) -> set[str] | None:
    """The files the marker of ``folder`` lists, or None if it has none."""
    try:
        text = (folder / BUILD_MARKER).read_text(encoding="utf-8")
    except OSError:
        return None
    return {line for line in text.splitlines() if line and not line.startswith("#")} | {BUILD_MARKER}


_STAGING = "^\\.{{1,2}}{name}-(?:new|trainer)-(\\d+)-"


def clean_stale_staging(site_dir: Path) -> None:
    """Remove the staging folders that builds of ``site_dir`` killed before they finished left beside it."""
    import re

    pattern = re.compile(_STAGING.format(name=re.escape(site_dir.name)))
    try:
        entries = list(site_dir.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        match = pattern.match(entry.name)
        if match and entry.is_dir() and not entry.is_symlink() and not _alive(int(match.group(1))):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


# Forking is safe where the platform does it well (not macOS, not Windows) and the process runs no other thread.
FORK = sys.platform.startswith("linux")


class Forked:
    """A function run in a forked process; its result, or its error, comes back through a pipe.

    The child's garbage collector should leave the inherited heap alone, as walking it would copy all of it:
    a ``short`` task runs with the collector off; for a long one the heap is frozen while forking, unless the
    parent keeps it frozen itself (``freeze=False``; unfreezing would undo that).
    """

    def __init__(self, function: Callable[..., Any], *args: Any, short: bool = False, freeze: bool = True):
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        # The receiving end is closed once, by whoever is last to need it: a thread may be waiting in result() while
        # another cancels. Closing it under the reader would free its descriptor for the next pipe, whose result
        # the reader could then take, and a second close could close that pipe instead.
        self._lock = threading.Lock()
        self._reading = False
        self._closed = False
        self.process = context.Process(target=_run_forked, args=(function, args, sender, short), daemon=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # Python 3.12+ warns about forking with threads
            if freeze:
                gc.freeze()
            try:
                self.process.start()
            finally:
                if freeze:
                    gc.unfreeze()
        sender.close()

    def result(self) -> Any:
        """Wait for the result; raise :class:`RuntimeError` with the child's error if it failed or was stopped."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the process was stopped")
            self._reading = True
        try:
            status, payload = self._receiver.recv()
        except (EOFError, OSError):
            status, payload = "stopped", f"the process stopped (exit code {self.process.exitcode})"
        finally:
            with self._lock:
                self._reading = False
                self._close()
            self.process.join()
        if status != "ok":
            raise RuntimeError(payload)
        return payload

    def cancel(self) -> None:
        """Stop the process; a thread waiting in :meth:`result` then gets an error (and closes the pipe itself)."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        with self._lock:
            if not self._reading:
                self._close()

    def _close(self) -> None:
        if not self._closed:
            self._closed = True
            self._receiver.close()


def _run_forked(function: Callable[..., Any], args: tuple[Any, ...], sender: Any, short: bool) -> None:
    if short:
        gc.disable()
    try:
        result: tuple[str, Any] = ("ok", function(*args))
    except BaseException as exc:  # noqa: BLE001 - every failure (a strict-mode abort too) is the parent's to report
        result = ("error", str(exc) if isinstance(exc, MkDocsException) else traceback.format_exc())
    sender.send(result)
    sender.close()


class TrainerBuild:
    """The trainer view, built by a forked process into a staging folder while the participant view builds.

    The staging folder sits beside the site, not in it, because the participant build empties its site
    folder first. The parsed course is inherited by the fork, so no file is parsed twice.
    """

    @staticmethod
    def possible() -> bool:
        return FORK and threading.active_count() == 1

    def __init__(self, config: MkDocsConfig):
        site_dir = Path(config.site_dir).resolve()
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_staging(site_dir)
        # Not mkdtemp: the folder becomes part of the site, so it takes the usual permissions, not private ones.
        self.staging = site_dir.parent / f".{site_dir.name}-trainer-{os.getpid()}-{secrets.token_hex(4)}"
        self.staging.mkdir()
        weakref.finalize(self, shutil.rmtree, str(self.staging), True)  # also when the build is interrupted
        self._forked = Forked(_build_trainer, config, str(self.staging))

    def finish(self, target: Path) -> None:
        """Wait for the trainer view and move it to ``target``; a failure in it fails the build."""
        try:
            try:
                self._forked.result()
            except RuntimeError as exc:
                raise PluginError(f"The trainer view failed to build: {exc}") from None
            if target.exists():
                shutil.rmtree(target)
            shutil.move(self.staging, target)  # a rename, unless the trainer view has a folder on another disk
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)

    def cancel(self) -> None:
        self._forked.cancel()
        shutil.rmtree(self.staging, ignore_errors=True)


def _build_trainer(config: MkDocsConfig, site_dir: str) -> None:
    from mkdocs.commands.build import build

    build(trainer_config(config, site_dir))


__all__ = ["CoursePlugin"]
