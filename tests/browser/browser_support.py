"""What the browser tests share: the served site, a recorded network, a session per test, instant navigation.

Imported by ``conftest.py`` (which holds the fixtures) and by the test modules.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page

from builder.server import QuietAboutDroppedConnections

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# The default course: its slug, a module with videos, two reflective prompts and its "done" toggle.
COURSE = "building-a-therapeutic-alliance"
VIDEO_MODULE = "culture-and-alliance"
MODULE_COUNT = 12


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class QuietServer(QuietAboutDroppedConnections, http.server.ThreadingHTTPServer):
    """Says nothing when the browser drops a connection (it does on every navigation away); other errors are printed."""


@dataclass
class Site:
    """A built site, served at ``url`` (ending in ``/``) from ``root``."""

    root: Path
    url: str

    def pages(self) -> list[str]:
        """Every page of both views, as URLs below the site, found from the built index.html files."""
        found = sorted(path.parent.relative_to(self.root).as_posix() for path in self.root.rglob("index.html"))
        return ["" if rel == "." else rel + "/" for rel in found]


def build(site_dir: Path, *extra: str) -> None:
    subprocess.run([sys.executable, "-m", "builder", "build", "--site-dir", str(site_dir), *extra], cwd=ROOT, check=True)


def built_and_served(folder: Path, fixture: str | None = None, *extra: str) -> Iterator[Site]:
    """A course built into ``folder/site`` (the default course, or ``tests/fixtures/<fixture>``) and served."""
    root = folder / "site"
    build(root, *(("--content", str(ROOT / "tests" / "fixtures" / fixture)) if fixture else ()), *extra)
    with serve(root) as url:
        yield Site(root, url)


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on a free port of 127.0.0.1 from a thread; yields the site's URL."""
    handler = functools.partial(QuietHandler, directory=str(root))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Network:
    """Every request URL a context made (those off the site were aborted)."""

    site: str
    requests: list[str] = field(default_factory=list)

    def off_site(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.site) and not url.startswith(("blob:", "data:"))]


def open_context(browser: Browser, site_url: str, **options: Any) -> tuple[BrowserContext, Network]:
    """A fresh context that records every request and lets none leave the machine."""
    context = browser.new_context(**options)
    network = Network(site_url)
    context.on("request", lambda request: network.requests.append(request.url))

    def route(route: Any) -> None:
        if route.request.url.startswith(site_url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    return context, network


@dataclass
class Session:
    """A test's browser context on a site, with its page, network log and JavaScript errors."""

    site: Site
    context: BrowserContext
    page: Page
    network: Network
    errors: list[str]

    def goto(self, path: str = "") -> Page:
        self.page.goto(self.site.url + path)
        return self.page


def open_session(browser: Browser, site: Site, **options: Any) -> Iterator[Session]:
    """A session in a fresh context; a JavaScript error on any of its pages fails the test."""
    context, network = open_context(browser, site.url, **options)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    session = Session(site, context, page, network, errors)
    yield session
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def instant_navigate(page: Page, path: str) -> None:
    """Go to ``path`` (relative to the current page) the way Material's instant navigation does.

    Material only intercepts link clicks for URLs listed in sitemap.xml, which MkDocs leaves empty
    when ``site_url`` is not set, so the test does what Material's click handler does: push the
    URL and hand it to Material's router (``location$``). The content is swapped without a reload:
    a marker left on ``window`` survives.
    """
    target = page.evaluate("path => new URL(path, location.href).href", path)
    page.evaluate(
        """url => {
            window.__courseTestMarker = "same document";
            window.__courseTestContainer = document.querySelector("[data-md-component=container]");
            history.pushState(null, "", url);
            window.location$.next(new URL(url));
        }""",
        target,
    )
    page.wait_for_function(
        "() => document.querySelector('[data-md-component=container]') !== window.__courseTestContainer"
        " && document.querySelector('.course-page') !== null"
    )
    assert page.evaluate("window.__courseTestMarker") == "same document", "the page was reloaded, not swapped"
