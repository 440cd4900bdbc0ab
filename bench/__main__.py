"""``python -m bench``: our builds and live preview beside stock MkDocs + Material, at several course sizes.

For each size a synthetic course is generated (bench/generate.py) and exported with
``course export markdown``; "stock" is that export built by plain ``mkdocs build`` / served by
``mkdocs serve``: the same pages, as an author writing them by hand would get them. Ours and
stock runs are interleaved and compared as ratios measured in the same run, because the machine
may be shared and noisy. The table goes to the terminal and to bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import measure
from .generate import generate, generate_big, module_file

RESULTS = Path(__file__).resolve().parent / "results"
LARGE = 300  # from this many modules on, a stock build takes long: one repeat unless --repeat-large says otherwise


@dataclass
class Figures:
    modules: int
    pages: tuple[int, int] = (0, 0)
    build: tuple[list[float], list[float]] = field(default_factory=lambda: ([], []))
    memory: tuple[list[float], list[float]] = field(default_factory=lambda: ([], []))
    stages: list[tuple[dict[str, float], dict[str, float]]] = field(default_factory=list)  # (first run, least of the runs after)
    size: tuple[measure.SiteSize | None, measure.SiteSize | None] = (None, None)
    # Save → the edited page served with the edit (browsers reload when it is), ours and stock.
    text_edit: tuple[list[float], list[float]] = field(default_factory=lambda: ([], []))
    title_edit: tuple[list[float], list[float]] = field(default_factory=lambda: ([], []))
    # Ours: save → every page fresh (the pages of the whole course are finished after the reload); stock
    # rebuilds everything before it reloads, so its figure above is also its "whole site fresh".
    text_fresh: list[float] = field(default_factory=list)
    title_fresh: list[float] = field(default_factory=list)
    serve_memory: tuple[float, float] = (0.0, 0.0)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def bench_builds(figures: Figures, content: Path, exported: Path, work: Path, repeats: int) -> None:
    for i in range(repeats):
        # Alternate who goes first, so that a noisy neighbour does not always hit the same side.
        order = ("ours", "stock") if i % 2 == 0 else ("stock", "ours")
        for who in order:
            if who == "ours":
                shutil.rmtree(work / "site", ignore_errors=True)
                result = measure.course_build(content, work / "site")
                figures.build[0].append(result.seconds)
                figures.memory[0].append(result.max_rss_mb)
            else:
                shutil.rmtree(exported / "site", ignore_errors=True)
                result = measure.stock_build(exported)
                figures.build[1].append(result.seconds)
                figures.memory[1].append(result.max_rss_mb)
            say(f"{figures.modules} modules: {who} build {result.seconds:.2f} s, {result.max_rss_mb:.0f} MB")
        figures.stages.append(measure.stages(content))
    page = f"module-{middle(figures.modules)}/index.html"
    ours, stock = measure.site_size(work / "site", page), measure.site_size(exported / "site", page)
    figures.size = (ours, stock)
    figures.pages = (ours.pages, stock.pages)


def middle(modules: int) -> int:
    return max(1, (modules + 1) // 2)


def bench_serve(figures: Figures, content: Path, exported: Path, repeats: int) -> None:
    k = middle(figures.modules)
    ours_file = content / "modules" / module_file(k)
    stock_file = exported / "docs" / f"module-{k}" / "index.md"  # each page in a folder of its own
    page = f"/module-{k}/"
    ours = measure.course_serve(content, measure.free_port())
    stock = measure.stock_serve(exported, measure.free_port())
    try:
        start = time.perf_counter()
        ours.wait_for(page, lambda html: "</html>" in html)
        say(f"{figures.modules} modules: course serve up in {time.perf_counter() - start:.1f} s")
        stock.wait_for(page, lambda html: "</html>" in html)
        say(f"{figures.modules} modules: mkdocs serve up in {time.perf_counter() - start:.1f} s")
        ours_title = f'title: "Module {k}: '
        stock_title = f"# Module {k}: "
        for i in range(repeats):
            marker = f"Edited{i}x{int(time.time())}"
            # A one-line text edit: the first words of the module's first text block.
            for who, server, path in (("ours", ours, ours_file), ("stock", stock, stock_file)):
                first = first_body_line(path, who)
                notified, served, start = server.edit(path, first, f"{marker} {first}", page, marker)
                figures.text_edit[0 if who == "ours" else 1].append(max(notified, served))
                if who == "ours":
                    figures.text_fresh.append(whole_site_fresh(ours, marker, start))
                say(f"{figures.modules} modules: {who} text edit served in {max(notified, served):.2f} s")
            # A title edit: the module's title, which is also in the navigation and on other pages.
            for who, server, path, title in (("ours", ours, ours_file, ours_title), ("stock", stock, stock_file, stock_title)):
                notified, served, start = server.edit(path, title, f"{title}{marker}T ", page, f"{marker}T")
                figures.title_edit[0 if who == "ours" else 1].append(max(notified, served))
                if who == "ours":
                    figures.title_fresh.append(whole_site_fresh(ours, f"{marker}T", start))
                say(f"{figures.modules} modules: {who} title edit served in {max(notified, served):.2f} s")
    finally:
        ours.stop()
        stock.stop()
    figures.serve_memory = (ours.max_rss_mb, stock.max_rss_mb)


def whole_site_fresh(server: measure.Server, marker: str, start: float) -> float:
    """Seconds from ``start`` until both views' whole-course page (the last finished) shows ``marker``: a request
    for a page not yet finished waits for it, so then every page is fresh."""
    for view in ("", "/trainer"):
        server.wait_for(f"{view}/print/", lambda html: marker in html)
    return time.perf_counter() - start


def first_body_line(path: Path, who: str) -> str:
    """A line of prose in the module's first text block (YAML) or its first paragraph (exported Markdown)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    if who == "ours":
        start = next(i for i, line in enumerate(lines) if line.strip() == "- type: text")
        return next(line.strip() for line in lines[start:] if line.startswith("      ") and line.strip())
    heading = next(i for i, line in enumerate(lines) if line.startswith("## "))
    return next(line for line in lines[heading + 1 :] if line and line[0].isalpha())


def fmt(value: float, digits: int = 2) -> str:
    return "–" if value != value else f"{value:.{digits}f}"  # noqa: PLR0124 - NaN check


def ratio(ours: list[float], stock: list[float]) -> str:
    if not ours or not stock:
        return "–"
    value = median(ours) / median(stock)
    return f"{value:.2f}×" if value >= 0.1 else f"{value:.1g}×"


def table(results: list[Figures], args: argparse.Namespace) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')} · {platform.machine()} · Python {platform.python_version()} · "
        f"{_cpus()} CPUs · repeats: {args.repeat} (1 at {LARGE}+ modules){' · quick' if args.quick else ''}",
        "",
        "Medians in seconds; ratio = ours ÷ stock, measured in the same run. Stock = `course export markdown` "
        "built by `mkdocs build` / served by `mkdocs serve` (Material, instant navigation, search, and the navigation pruning and sanitizer the export writes).",
        "",
        "## Cold build",
        "",
        "| modules | HTML pages ours / stock | `course build` | stock `mkdocs build` | ratio | peak MB ours / stock | median page KB ours / stock | module page KB ours / stock |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in results:
        ours_size, stock_size = f.size
        sizes = (
            (
                f"{ours_size.median_kb:.0f} / {stock_size.median_kb:.0f}",
                f"{ours_size.module_kb:.0f} / {stock_size.module_kb:.0f}",
            )
            if ours_size and stock_size
            else ("–", "–")
        )
        lines.append(
            f"| {f.modules} | {f.pages[0]} / {f.pages[1]} | {fmt(median(f.build[0]))} | {fmt(median(f.build[1]))} | "
            f"{ratio(*f.build)} | {median(f.memory[0]):.0f} / {median(f.memory[1]):.0f} | {sizes[0]} | {sizes[1]} |"
        )
    lines += [
        "",
        "## The builder's own stages, ms a module",
        "",
        "CPU time in a fresh interpreter, the least of five runs after a first one (which also compiles the "
        "templates: its total is in the last column, in seconds). Load = YAML to data with the position of every "
        "field; validate = the models and the rules across files; render = the Markdown of every page of both "
        "views (Jinja). YAML floor = PyYAML's own `yaml.load` with libyaml (`CSafeLoader`) on the same files, "
        "without positions or checks. As built = load + validate + resolve + the slower view's render: a build "
        "renders the trainer view in a second process, beside the participant view.",
        "",
        "| modules | load | YAML floor | validate | resolve | render | render, one view | total | as built | first run, whole course (s) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in results:
        per = {key: 1000 * median([best[key] for _, best in f.stages]) / f.modules for key in f.stages[0][1]}
        shared = per["load"] + per["validate"] + per["resolve"]
        view = max(per["render_participant"], per["render_trainer"])
        first = median([sum(run[key] for key in ("load", "validate", "resolve", "render")) for run, _ in f.stages])
        lines.append(
            f"| {f.modules} | {per['load']:.2f} | {per['yaml_floor']:.2f} | {per['validate']:.2f} | {per['resolve']:.2f} | "
            f"{per['render']:.2f} | {view:.2f} | {shared + per['render']:.2f} | {shared + view:.2f} | {first:.2f} |"
        )
    if not args.no_serve:
        lines += [
            "",
            "## Live preview: save → edited page served (browsers reload), and → every page fresh",
            "",
            "Stock rebuilds the whole site before it reloads, so its one figure is both. Ours reloads once the edited "
            "module's pages are rebuilt and finishes the pages of the whole course (home, journal, agenda, references, "
            "print) after; a request for one of those waits until it is fresh. Title-edit ratio: ours, every page "
            "fresh ÷ stock.",
            "",
            "| modules | text edit: ours reload | ours all fresh | stock | ratio (reload) | title edit: ours reload | ours all fresh | stock | ratio (all fresh) | peak MB ours / stock |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for f in results:
            lines.append(
                f"| {f.modules} | {fmt(median(f.text_edit[0]))} | {fmt(median(f.text_fresh))} | {fmt(median(f.text_edit[1]))} | "
                f"{ratio(*f.text_edit)} | {fmt(median(f.title_edit[0]))} | {fmt(median(f.title_fresh))} | "
                f"{fmt(median(f.title_edit[1]))} | {ratio(f.title_fresh, f.title_edit[1])} | "
                f"{f.serve_memory[0]:.0f} / {f.serve_memory[1]:.0f} |"
            )
    return "\n".join(lines) + "\n"


def big_module_check(work_root: Path) -> str:
    """The time to load and check a module of 1 MiB, ordinary and hostile: the checks stay linear."""
    plain = measure.check_seconds(generate_big(work_root / "big-plain"))
    hostile = measure.check_seconds(generate_big(work_root / "big-hostile", hostile=True))
    return (
        "## Checking one module of 1 MiB\n\n"
        "CPU time to load and check a course of one module of about 1 MiB (the most a content file may hold), the "
        "least of three runs: ordinary prose, and text bodies of tags that never close (`<a <a <a …`).\n\n"
        f"| module | check (s) |\n| --- | ---: |\n| 1 MiB of prose | {plain:.2f} |\n| 1 MiB of unclosed tags | {hostile:.2f} |\n"
    )


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10,100,500", help="module counts, comma-separated (default: 10,100,500)")
    parser.add_argument("--repeat", type=int, default=3, help=f"repeats below {LARGE} modules; medians are reported (default: 3)")
    parser.add_argument("--repeat-large", type=int, default=1, help=f"repeats from {LARGE} modules on (default: 1)")
    parser.add_argument("--quick", action="store_true", help="one repeat of everything")
    parser.add_argument("--no-serve", action="store_true", help="builds and stages only, no live preview")
    parser.add_argument("--check-only", action="store_true", help="only the time to check one module of 1 MiB")
    parser.add_argument("--keep", metavar="DIR", help="generate the courses and sites in DIR and keep them")
    parser.add_argument(
        "--out", default=str(RESULTS / "latest.md"), help="where to write the table (default: bench/results/latest.md)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat = args.repeat_large = 1
    sizes = [] if args.check_only else [int(s) for s in args.sizes.split(",") if s.strip()]
    work_root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="course-bench-"))
    results = []
    try:
        check = big_module_check(work_root)
        say(check)
        if args.check_only:
            print(check)
            return 0
        for modules in sizes:
            repeats = args.repeat if modules < LARGE else args.repeat_large
            work = work_root / f"{modules}-modules"
            shutil.rmtree(work, ignore_errors=True)
            content = generate(work / "content", modules)
            exported = work / "export"
            measure.export(content, exported)
            figures = Figures(modules)
            bench_builds(figures, content, exported, work, repeats)
            if not args.no_serve:
                bench_serve(figures, content, exported, repeats)
            results.append(figures)
    finally:
        if not args.keep:
            shutil.rmtree(work_root, ignore_errors=True)
    report = table(results, args) + "\n" + check
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
