"""The ``course`` command: check, build, serve, scaffold, schema and export a course."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from .errors import CourseErrors

DEFAULT_CONFIG = "mkdocs.yml"


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False


def _content_dir(args: argparse.Namespace) -> Path:
    if getattr(args, "content", None):
        return Path(args.content)
    from mkdocs.config import load_config

    config_file = getattr(args, "config_file", DEFAULT_CONFIG)
    if Path(config_file).is_file():
        return Path(load_config(config_file).docs_dir)
    return Path("content")


def cmd_check(args: argparse.Namespace) -> int:
    from .render import Renderer
    from .resolve import resolve
    from .validate import load_course

    root = Path(args.content) if args.content else Path("content")
    try:
        source = load_course(root)
    except CourseErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    course = resolve(source)
    Renderer(course).site()  # templates fail loudly here rather than in a build
    blocks = sum(len(m.blocks) for m in course.modules)
    print(f"{root}: ok: {len(course.modules)} modules, {blocks} blocks, {course.duration} minutes")
    return 0


def build_site(config_file: str, site_dir: Path, content: Path | None = None, strict: bool = False) -> None:
    """Build both views into ``site_dir`` atomically: a failed build leaves the last good site as it was."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # a web server running as another user must be able to read the site
    try:
        overrides: dict[str, object] = {"site_dir": str(staging), "strict": strict}
        if content is not None:
            overrides["docs_dir"] = str(content.resolve())
        config = load_config(config_file, **overrides)  # type: ignore[arg-type]
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        old = site_dir.with_name(f".{site_dir.name}-old")
        if old.exists():
            shutil.rmtree(old)
        if site_dir.exists():
            os.replace(site_dir, old)
        os.replace(staging, site_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def cmd_build(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import MkDocsException

    from .plugin import LOADER

    _setup_logging(args.verbose)
    try:
        LOADER.load(_content_dir(args))  # the course's own errors, plainly, before MkDocs starts
        build_site(args.config_file, Path(args.site_dir), Path(args.content) if args.content else None, args.strict)
    except CourseErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except MkDocsException as exc:
        print(f"Build failed; the last good site in {args.site_dir}/ is untouched.\n{exc}", file=sys.stderr)
        return 1
    print(f"Built the participant view in {args.site_dir}/ and the trainer view in {args.site_dir}/trainer/")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .preview import serve

    _setup_logging(args.verbose)
    overrides: dict[str, Any] = {}
    if args.dev_addr:
        overrides["dev_addr"] = args.dev_addr
    if args.content:
        overrides["docs_dir"] = str(Path(args.content).resolve())
    serve(args.config_file, **overrides)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import new_module

    try:
        path, listed = new_module(Path(args.content) if args.content else Path("content"), args.title)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Created {path}" + (" and added it to `modules:` in course.yml" if listed else ""))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import write_schemas

    out = Path(args.out)
    stale = write_schemas(out, check=args.check)
    if args.check:
        if stale:
            print("stale schema files: " + ", ".join(map(str, stale)) + "; run `course schema`", file=sys.stderr)
            return 1
        print(f"{out}/: schemas are up to date")
        return 0
    print(f"Wrote {out}/course.schema.json and {out}/module.schema.json")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export_markdown

    _setup_logging(False)
    try:
        export_markdown(Path(args.content) if args.content else _content_dir(args), Path(args.out), args.config_file)
    except CourseErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(f"Exported to {args.out}/: run `mkdocs build -f {args.out}/mkdocs.yml`")
    return 0


def cmd_package(args: argparse.Namespace) -> int:
    from .packages.offline import package_offline
    from .packages.scorm import package_scorm

    _setup_logging(False)
    content, dist = _content_dir(args), Path(args.dist)
    try:
        if args.format == "offline":
            written = [package_offline(content, dist, args.config_file, args.view)]
        else:
            written = package_scorm(content, dist, args.config_file, args.version, args.per_module)
    except CourseErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    for path in written:
        print(f"Wrote {path}")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="course", description="Build a training course from YAML into a static site.")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--content", metavar="DIR", help="the course folder (default: content)")
        sub.add_argument("-f", "--config-file", default=DEFAULT_CONFIG, help="the MkDocs configuration (default: mkdocs.yml)")
        return sub

    sub = add("check", "validate the course and print every error")
    sub.set_defaults(run=cmd_check)
    sub = add("build", "build both views of the site")
    sub.add_argument("--site-dir", default="site", metavar="DIR", help="where to write the site (default: site)")
    sub.add_argument("--strict", action="store_true", help="fail on MkDocs warnings too")
    sub.add_argument("-v", "--verbose", action="store_true")
    sub.set_defaults(run=cmd_build)
    sub = add("serve", "preview the site; edits to content/ or theme/ reload the browser")
    sub.add_argument("-a", "--dev-addr", metavar="HOST:PORT", help="where to serve (default: 127.0.0.1:8000)")
    sub.add_argument("-v", "--verbose", action="store_true")
    sub.set_defaults(run=cmd_serve)
    sub = add("new", "scaffold a new module file")
    sub.add_argument("kind", choices=["module"])
    sub.add_argument("title", help="the module's title")
    sub.set_defaults(run=cmd_new)
    sub = commands.add_parser("schema", help="write the JSON Schemas for course and module files")
    sub.add_argument("--out", default="schema", metavar="DIR", help="where to write them (default: schema)")
    sub.add_argument("--check", action="store_true", help="only say whether the files there are up to date")
    sub.set_defaults(run=cmd_schema)
    sub = add("export", "export the generated Markdown and an mkdocs.yml that builds without this plugin")
    sub.add_argument("format", choices=["markdown"])
    sub.add_argument("out", help="the folder to write")
    sub.set_defaults(run=cmd_export)
    sub = add("package", "write the course as a zip: to open from disk (offline) or to upload to an LMS (scorm)")
    sub.add_argument("format", choices=["offline", "scorm"])
    sub.add_argument("--view", choices=["participant", "trainer"], default="participant", help="offline: whose copy")
    sub.add_argument("--version", choices=["1.2", "2004"], default="1.2", help="scorm: the SCORM version (default: 1.2)")
    sub.add_argument("--per-module", action="store_true", help="scorm: one package per module")
    sub.add_argument("--dist", default="dist", metavar="DIR", help="where to write (default: dist)")
    sub.set_defaults(run=cmd_package)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
