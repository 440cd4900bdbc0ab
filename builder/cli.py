"""The ``course`` command: check, build, serve, scaffold, schema and export a course."""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from .engines import DEFAULT as DEFAULT_ENGINE
from .engines import ENGINES
from .errors import CourseErrors, display_path

DEFAULT_CONFIG = "mkdocs.yml"


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to ``sys.stderr`` as it is when a message comes, not as it was when the command started (run
    in-process, a command's output follows whatever stderr its caller has set since, never a closed one)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def _setup_logging(verbose: bool) -> None:
    handler = _StderrHandler()
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
    try:
        languages = check_languages(source, course)
    except CourseErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    blocks = sum(len(m.blocks) for m in course.modules)
    print(f"{root}: ok: {len(course.modules)} modules, {blocks} blocks, {course.duration} minutes" + languages)
    return 0


def check_languages(source: Any, course: Any) -> str:
    """The translations checked (and their source records brought up to date), their warnings printed."""
    from .translations import load_all, notices

    found = load_all(source, course, record=True)
    warnings = notices(source, found)
    for notice in warnings:
        print(notice, file=sys.stderr)
    if warnings:
        print(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} about languages.", file=sys.stderr)
    return f"; translations: {', '.join(found)}" if found else ""


def cmd_translations(args: argparse.Namespace) -> int:
    from .resolve import resolve
    from .translations import load_all, status_table
    from .validate import load_course

    root = Path(args.content) if args.content else Path("content")
    try:
        source = load_course(root)
        found = load_all(source, resolve(source), record=True)
    except CourseErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(status_table(source, found))
    return 0


class Refused(Exception):
    """An output folder the builder will not write: writing it would lose files that are not its own."""


def check_output_dir(
    option: str, folder: Path, protected: dict[str, Path], built: re.Pattern[str] | None = None, example: str = "site"
) -> None:
    """Refuse ``folder`` if it is, holds or sits inside a folder of the project, or holds files no build wrote
    (other than those whose paths ``built`` matches: sites built from it go there)."""
    from .plugin import BUILD_MARKER, site_files, written_by_a_build

    shown = folder.as_posix()  # as the author wrote it
    if folder.is_symlink():  # a build replaces the folder: the link would become a folder
        raise Refused(f"{option} {shown} is a symlink; give the folder it leads to")
    folder = folder.resolve()
    for what, path in protected.items():
        path = path.resolve()
        if folder == path:
            raise Refused(f"{option} {shown} is the {what}; write into a folder of its own, e.g. {example}")
        if path.is_relative_to(folder):
            raise Refused(f"{option} {shown} holds the {what} ({display_path(path)}); write into a folder of its own, e.g. {example}")
        if what not in ("project folder", "current folder") and folder.is_relative_to(path):
            raise Refused(f"{option} {shown} is inside the {what}; write into a folder of its own, e.g. {example}")
    if not folder.exists():
        return
    if not folder.is_dir():
        raise Refused(f"{option} {shown} is not a folder; choose another path")
    found = site_files(folder)
    if not found:
        return
    written = written_by_a_build(folder)
    if written is None:
        raise Refused(f"{option} {shown} holds files a build did not write (it has no {BUILD_MARKER}); empty it or choose another folder")
    others = sorted(path for path in found - written if not (built and built.match(path)))
    if others:
        raise Refused(
            f"{option} {shown} holds {others[0]}" + (f" and {len(others) - 1} more files" if len(others) > 1 else "")
            + ", which a build did not write; move it out (a build replaces the folder whole) or choose another folder"
        )


def _protected(config: Any) -> dict[str, Path]:
    from .render import THEME_DIR

    protected = {"content folder": Path(config.docs_dir), "theme folder": THEME_DIR}
    if config.theme.custom_dir:
        protected["theme overrides folder"] = Path(config.theme.custom_dir)
    if config.config_file_path:
        protected["project folder"] = Path(config.config_file_path).parent
    protected["current folder"] = Path.cwd()
    return protected


def _staging(target: Path) -> Path:
    """A new folder beside ``target`` for a build to write (named so that the next build removes it if this one is killed)."""
    from .plugin import clean_stale_staging

    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_staging(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-{os.getpid()}-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # a web server running as another user must be able to read the site
    return staging


def _put_in_place(staging: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def _check_site_dirs(config: Any, site_dir: Path, trainer_dir: Path | None) -> Path | None:
    """Raise :class:`Refused` if a build may not replace ``site_dir`` or ``trainer_dir``; the latter, resolved."""
    protected = _protected(config)
    check_output_dir("--site-dir", site_dir, protected)
    if trainer_dir is not None:
        check_output_dir("--trainer-site-dir", trainer_dir, protected)
        shown = f"--trainer-site-dir {trainer_dir.as_posix()}"
        trainer_dir = trainer_dir.resolve()
        if trainer_dir.is_relative_to(site_dir.resolve()) or site_dir.resolve().is_relative_to(trainer_dir):
            raise Refused(f"{shown} overlaps --site-dir {site_dir.as_posix()}; give the trainer view a folder beside the site")
    return trainer_dir


def build_site(
    config_file: str,
    site_dir: Path,
    content: Path | None = None,
    strict: bool = False,
    trainer_dir: Path | None = None,
    engine: str = DEFAULT_ENGINE,
) -> None:
    """Build both views into ``site_dir`` (the trainer view into ``trainer_dir`` if given, else ``site_dir/trainer``)
    atomically: a failed build leaves the last good site as it was. Raise :class:`Refused`, touching nothing, when
    a folder is not the builder's to replace. MkDocs builds through the plugin; another ``engine`` (see engines.py)
    builds the Markdown export."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from . import engines
    from .plugin import TRAINER_SITE_DIR, write_marker

    if engine != DEFAULT_ENGINE:
        engines.require(engine)  # before any folder is touched
    overrides: dict[str, object] = {"strict": strict}
    if content is not None:
        overrides["docs_dir"] = str(content.resolve())
    config = load_config(config_file, **overrides)  # type: ignore[arg-type]
    trainer_dir = _check_site_dirs(config, site_dir, trainer_dir)
    site_dir = site_dir.resolve()
    staging = _staging(site_dir)
    trainer_staging = _staging(trainer_dir) if trainer_dir is not None else None
    try:
        if engine != DEFAULT_ENGINE:
            engines.build(engine, Path(config.docs_dir), config_file, staging, trainer_staging or staging / "trainer", strict)
            for folder in (trainer_staging, staging):
                if folder is not None:
                    write_marker(folder)
        else:
            config.site_dir = str(staging)
            if trainer_staging is not None:
                config.extra[TRAINER_SITE_DIR] = str(trainer_staging)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        if trainer_dir is not None and trainer_staging is not None:
            _put_in_place(trainer_staging, trainer_dir)
        _put_in_place(staging, site_dir)
    finally:
        for folder in (staging, trainer_staging):
            if folder is not None and folder.exists():
                shutil.rmtree(folder, ignore_errors=True)


def cmd_build(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import MkDocsException

    from .engines import EngineFailed, EngineMissing
    from .plugin import LOADER

    _setup_logging(args.verbose)
    trainer_dir = Path(args.trainer_site_dir) if args.trainer_site_dir else None
    try:
        LOADER.load(_content_dir(args))  # the course's own errors, plainly, before MkDocs starts
        build_site(
            args.config_file, Path(args.site_dir), Path(args.content) if args.content else None, args.strict, trainer_dir, args.engine
        )
    except CourseErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except (EngineMissing, Refused) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (MkDocsException, EngineFailed) as exc:
        print(f"Build failed; the last good site in {args.site_dir}/ is untouched.\n{exc}", file=sys.stderr)
        return 1
    trainer = f"{trainer_dir}/" if trainer_dir else f"{args.site_dir}/trainer/"
    print(f"Built the participant view in {args.site_dir}/ and the trainer view in {trainer}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .server import ServeError, serve

    _setup_logging(args.verbose)
    overrides: dict[str, Any] = {}
    if args.dev_addr:
        overrides["dev_addr"] = args.dev_addr
    if args.content:
        overrides["docs_dir"] = str(Path(args.content).resolve())
    try:
        serve(args.config_file, **overrides)
    except ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import new_module, new_session

    content = Path(args.content) if args.content else Path("content")
    try:
        if args.kind == "session":
            print(f"Created {new_session(content, args.title)}")
            return 0
        path, listed = new_module(content, args.title)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Created {path}" + (" and added it to `modules:` in course.yml" if listed else ""))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import SCHEMAS, write_schemas

    out = Path(args.out)
    stale = write_schemas(out, check=args.check)
    if args.check:
        if stale:
            print("stale schema files: " + ", ".join(map(str, stale)) + "; run `course schema`", file=sys.stderr)
            return 1
        print(f"{out}/: schemas are up to date")
        return 0
    print("Wrote " + ", ".join(f"{out}/{name}.schema.json" for name in SCHEMAS))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from mkdocs.config import load_config

    from .export import BUILT, TRAINER_SITE, export_markdown
    from .plugin import write_marker

    _setup_logging(False)
    content = Path(args.content) if args.content else _content_dir(args)
    out = Path(args.out)
    try:
        protected = _protected(load_config(args.config_file, docs_dir=str(content.resolve())))
        check_output_dir("the export folder", out, protected, built=BUILT, example="export")
        staging = _staging(out.resolve())
        try:
            languages = export_markdown(content, staging, args.config_file)
            write_marker(staging)
            _put_in_place(staging, out.resolve())
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except CourseErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except Refused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"Exported the participant view to {args.out}/ and the trainer view to {args.out}/{TRAINER_SITE}/"
        + "".join(
            f", the {language} translation's to {args.out}/{language}/ and {args.out}/{language}/{TRAINER_SITE}/"
            for language in languages
        )
        + ": in each folder, run `python -m mkdocs build` (or `python -m properdocs build`, `python -m zensical build`)"
    )
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
    sub = add("translations", "check the translations and print what is translated, missing and stale, per language")
    sub.set_defaults(run=cmd_translations)
    sub = add("build", "build both views of the site")
    sub.add_argument("--site-dir", default="site", metavar="DIR", help="where to write the site (default: site)")
    sub.add_argument(
        "--trainer-site-dir", metavar="DIR", help="write the trainer view here, not in the site's trainer/ (to serve it behind a login)"
    )
    sub.add_argument("--strict", action="store_true", help="fail on MkDocs warnings too")
    sub.add_argument(
        "--engine", choices=list(ENGINES), default=DEFAULT_ENGINE,
        help="what builds the site (default: mkdocs, through the course plugin); the others build the Markdown export",
    )
    sub.add_argument("-v", "--verbose", action="store_true")
    sub.set_defaults(run=cmd_build)
    sub = add("serve", "preview the site; edits to content/ or theme/ reload the browser")
    sub.add_argument("-a", "--dev-addr", metavar="HOST:PORT", help="where to serve (default: 127.0.0.1:8000)")
    sub.add_argument("-v", "--verbose", action="store_true")
    sub.set_defaults(run=cmd_serve)
    sub = add("new", "scaffold a new module or session file")
    sub.add_argument("kind", choices=["module", "session"])
    sub.add_argument("title", help="the module's or session's title")
    sub.set_defaults(run=cmd_new)
    sub = commands.add_parser("schema", help="write the JSON Schemas for course and module files")
    sub.add_argument("--out", default="schema", metavar="DIR", help="where to write them (default: schema)")
    sub.add_argument("--check", action="store_true", help="only say whether the files there are up to date")
    sub.set_defaults(run=cmd_schema)
    sub = add("export", "export each view's generated Markdown, with an mkdocs.yml that builds it without this plugin")
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
