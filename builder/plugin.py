"""MkDocs adapter: the ``course`` plugin that feeds the generated pages of one view to MkDocs.

A build of the participant view (the site root) builds the trainer view after it, into
``trainer/`` below the site, as a second MkDocs build of the same project. In ``mkdocs serve``
a content error does not stop the server: it is printed, and shown on every page over the last
good version of the course.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown as markdown_lib
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .errors import CourseErrors
from .render import THEME_DIR, TRAINER_PREFIX, Page, Renderer, nav
from .resolve import ResolvedCourse, View, resolve
from .validate import CourseLoader

log = logging.getLogger("mkdocs.plugins.course")

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
ASSETS_CSS = ["assets/stylesheets/course.css"]
ASSETS_JS = ["assets/javascripts/course.js"]

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


def inline_markdown(text: str) -> str:
    """Render a short Markdown text (the licence line) to HTML without a wrapping paragraph."""
    rendered = markdown_lib.markdown(text)
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered


def prepare_config(config: MkDocsConfig, course: ResolvedCourse, view: View) -> None:
    """Site settings that come from the course: name, language, licence, assets, extensions."""
    title = html.escape(course.title, quote=False)
    config.site_name = title if view == "participant" else f"{title} · Trainer view"
    config.use_directory_urls = True
    language = course.language.split("-")[0].lower()
    if (Path(config.theme.dirs[-1]) / "partials" / "languages" / f"{language}.html").exists():
        config.theme["language"] = language
    if course.license:
        config.copyright = inline_markdown(str(course.license))
    for extension, options in REQUIRED_EXTENSIONS.items():
        if extension not in config.markdown_extensions:
            config.markdown_extensions.append(extension)
            config.mdx_configs[extension] = options
    config.extra_css = [*config.extra_css, *(css for css in ASSETS_CSS if css not in config.extra_css)]
    present = {str(s) for s in config.extra_javascript}
    config.extra_javascript.extend(js for js in ASSETS_JS if js not in present)  # type: ignore[arg-type]


def error_page(view: View, errors: list[str]) -> Page:
    listing = "\n".join(f"    {line}" for line in errors)
    markdown = (
        "---\ncourse_view: " + view + "\ncourse_page: errors\n---\n\n# The course has errors\n\n"
        "Fix these and save; this page reloads by itself.\n\n" + listing + "\n"
    )
    return Page(view, "index.md", "Errors", markdown, "index.md")


class CoursePlugin(BasePlugin[CourseConfig]):
    """Generates the pages of one view of the course from ``content/`` (the docs folder)."""

    def __init__(self) -> None:
        self.serving = False
        self._pages: dict[int, list[Page]] = {}  # per build (keyed by its config): this instance serves nested builds too

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def _view(self, config: MkDocsConfig) -> View:
        return config.extra.get("course_view", self.config.view)  # type: ignore[no-any-return]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        view = self._view(config)
        theme_dir = Path(self.config.theme_dir) if self.config.theme_dir else THEME_DIR
        try:
            source = LOADER.load(Path(config.docs_dir))
            course = resolve(source)
            PREVIEW.last_good, PREVIEW.errors = course, []
        except CourseErrors as exc:
            if not self.serving:
                raise PluginError("The course has errors:\n" + exc.report()) from None
            PREVIEW.errors = exc.report().splitlines()
            log.error("The course has errors:\n%s", exc.report())
            course = PREVIEW.last_good  # type: ignore[assignment]
        if course is None:
            pages = [error_page(view, PREVIEW.errors)]
        else:
            prepare_config(config, course, view)
            pages = Renderer(course, theme_dir).pages(view)
        config.extra["course_view"] = view
        config.extra["course_errors"] = list(PREVIEW.errors)
        config.nav = nav(pages)
        self._pages[id(config)] = pages
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # The YAML sources (facilitator notes included) and transcript files are not published as they are.
        for file in list(files):
            if file.src_uri.endswith((".yml", ".yaml", ".md", ".markdown")):
                files.remove(file)
        for page in self._pages[id(config)]:
            files.append(File.generated(config, page.path, content=page.markdown))
        return files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        pages = self._pages.pop(id(config), None)
        if self._view(config) == "participant" and self.config.trainer_view and pages is not None:
            build_trainer_view(config)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        theme_dir = Path(self.config.theme_dir) if self.config.theme_dir else THEME_DIR
        server.watch(str(theme_dir))
        return server


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
    if config.site_url:
        trainer.site_url = config.site_url.rstrip("/") + "/" + TRAINER_PREFIX
    return trainer


def build_trainer_view(config: MkDocsConfig) -> None:
    from mkdocs.commands.build import build

    build(trainer_config(config, str(Path(config.site_dir) / "trainer")))


__all__ = ["CoursePlugin"]
