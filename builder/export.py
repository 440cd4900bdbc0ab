"""Markdown adapter: write the generated pages of both views as plain files any engine can build.

``OUT/docs/`` holds the participant view, ``OUT/docs/trainer/`` the trainer view, each with the
course's media; ``OUT/overrides/`` the theme overrides and assets; ``OUT/mkdocs.yml`` builds the
whole site with stock MkDocs and Material, without the ``course`` plugin. One difference from
``course build``: the exported site is one MkDocs site, so its search covers both views.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Any

import yaml

from . import i18n, messages
from .plugin import ASSETS_CSS, ASSETS_JS, LOADER, REQUIRED_EXTENSIONS, inline_markdown
from .render import THEME_DIR, TRAINER_PREFIX, Renderer, nav
from .resolve import resolve


def _project_config(config_file: str) -> dict[str, Any]:
    path = Path(config_file)
    if not path.is_file():
        return {}
    from mkdocs.utils.yaml import yaml_load

    with path.open(encoding="utf-8") as f:
        return yaml_load(f) or {}


def export_markdown(content: Path, out: Path, config_file: str = "mkdocs.yml", theme_dir: Path = THEME_DIR) -> None:
    source = LOADER.load(content)
    messages.use(i18n.translations(source.model.language))  # the pages' words in the course language
    course = resolve(source)
    renderer = Renderer(course, theme_dir, other_root={"participant": TRAINER_PREFIX, "trainer": ""})
    site = renderer.site()
    if out.exists():
        shutil.rmtree(out)
    docs = out / "docs"
    for view, prefix in (("participant", ""), ("trainer", TRAINER_PREFIX)):
        for page in site[view]:  # type: ignore[index]
            target = docs / prefix / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.markdown, encoding="utf-8")
        if (content / "media").is_dir():
            shutil.copytree(content / "media", docs / prefix / "media", ignore=shutil.ignore_patterns("*.md", "*.markdown"))
    shutil.copytree(theme_dir / "overrides", out / "overrides")

    project = _project_config(config_file)
    theme = dict(project.get("theme") or {"name": "material"})
    theme["custom_dir"] = "overrides"
    language = course.language.split("-")[0].lower()
    import material

    if (Path(material.__path__[0]) / "templates" / "partials" / "languages" / f"{language}.html").exists():
        theme["language"] = language
    plugins = [p for p in project.get("plugins", ["search"]) if p != "course" and not (isinstance(p, dict) and "course" in p)]
    extensions = list(project.get("markdown_extensions") or [])
    names = {e if isinstance(e, str) else next(iter(e)) for e in extensions}
    extensions += [{name: options} if options else name for name, options in REQUIRED_EXTENSIONS.items() if name not in names]
    config: dict[str, Any] = {
        "site_name": html.escape(course.title, quote=False),
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": True,
        "theme": theme,
        "plugins": plugins,
        "markdown_extensions": extensions,
        "extra_css": ASSETS_CSS,
        "extra_javascript": ASSETS_JS,
        "nav": nav(site["participant"]) + [{messages.gettext("Trainer view"): nav(site["trainer"], prefix=TRAINER_PREFIX)}],
        "extra": {"course_language": course.language, **({"course_text": words} if (words := i18n.script_text(course.language)) else {})},
    }
    if course.license:
        config["copyright"] = inline_markdown(str(course.license))
    with (out / "mkdocs.yml").open("w", encoding="utf-8") as f:
        f.write("# Exported course: builds with `mkdocs build` and Material alone.\n")
        yaml.safe_dump(config, f, sort_keys=False, allow_unicode=True)
