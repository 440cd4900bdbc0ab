"""The HTTP side of ``course serve``: MkDocs' live-reload server, told which files changed, building through a
:class:`builder.preview.Preview`, and never serving a page that is not fresh.
"""

from __future__ import annotations

import errno
import logging
import os
import posixpath
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer, _serve_url, _timestamp

from .preview import Preview, UnsafeContent

log = logging.getLogger("mkdocs.plugins.course")


class QuietAboutDroppedConnections:
    """A socket server's error report, without the traceback for a browser that closed a tab or dropped a keep-alive
    connection (not an error worth a traceback in the author's terminal); any other error is still printed."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)  # type: ignore[misc]


class PreviewServer(QuietAboutDroppedConnections, LiveReloadServer):
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
            except Exception as exc:  # noqa: BLE001 - the last good site stays served, with a notice on it
                traceback.print_exc()
                log.error("The rebuild failed; the last good site stays served.")
                try:
                    reload = self.preview.show_failure(f"{type(exc).__name__}: {exc}")
                except Exception:  # noqa: BLE001 - then the terminal alone says it
                    traceback.print_exc()
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
        try:
            path = environ["PATH_INFO"].encode("latin-1").decode("utf-8")
        except UnicodeError:
            path = "\x00"  # not UTF-8: no path of the site
        if len(path) > MAX_PATH or _CONTROL.search(path):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"400 Bad Request: not an address of this site\n"]
        if not path.startswith("/livereload/") and (path + "/").startswith(self.mount_path):
            relative = path[len(self.mount_path) :]
            if path.endswith("/"):
                relative += "index.html"
            relative = posixpath.normpath("/" + relative).lstrip("/")
            with self._epoch_cond:  # a rebuild first, then what it left for later
                self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
            self.preview.wait_fresh(relative)
        try:
            return super()._serve_request(environ, start_response)
        except (OSError, ValueError):
            return None  # a path no file can have: not found


# What no path of the site holds: a request with one, or longer than this, is answered 400.
_CONTROL = re.compile("[\x00-\x1f\x7f]")
MAX_PATH = 1024


class ServeError(Exception):
    """The preview cannot start; the message says why in one line."""


def _check_port(host: str, port: int) -> None:
    """Say plainly, before the course is built, that the address is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ServeError(_taken(host, port, exc)) from None


def _taken(host: str, port: int, exc: OSError) -> str:
    return f"cannot serve on {host}:{port}: {exc.strerror or exc}; stop what runs there, or choose another address with --dev-addr HOST:PORT"


def serve(config_file: str | None, dev_addr: str | None = None, **overrides: Any) -> None:
    """``course serve``: build both views, serve them, and rebuild what each save changes."""
    site_dir = Path(tempfile.mkdtemp(prefix="course_"))
    previous = signal.signal(signal.SIGTERM, _interrupt)  # stopped like Ctrl-C: the temporary site is removed
    try:
        if dev_addr:
            overrides["dev_addr"] = dev_addr
        config = load_config(config_file, **overrides)
        host, port = config.dev_addr
        _check_port(host, port)
        mount_path = urlsplit(config.site_url or "/").path
        try:
            preview = Preview(config_file, site_dir, _serve_url(host, port, mount_path), overrides)
        except UnsafeContent as exc:
            raise ServeError(f"the course cannot be previewed until these are removed:\n{exc}") from None
        server = PreviewServer(preview, host, port, str(site_dir), mount_path)
        for path in preview.watched():
            server.watch(path)
        # From now on SIGTERM stops the server from another thread: an exception raised in the handler could land
        # anywhere, in a fork's logging hook for one, where Python ignores it and the server would run on.
        signal.signal(signal.SIGTERM, lambda signum, frame: threading.Thread(target=server.shutdown, daemon=True).start())
        try:
            server.serve()
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
                raise ServeError(_taken(host, port, exc)) from None
            raise
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


__all__ = ["PreviewServer", "ServeError", "serve"]
