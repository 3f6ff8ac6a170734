"""One address for both editions of the book, for scripts/serve.py (``make serve``).

MkDocs' live-reload server serves the English build's folder; this one serves ``ko/`` from the
Korean build's folder (another process builds it), hears edits through the operating system's
events (inotify) unless asked to scan, keeps the changed files for the log, and reloads the
open pages when the Korean build ends too.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from serve_watch import CHANGES, english_ignores, rel


def server_class() -> Any:
    """MkDocs' live-reload server class, made to serve both editions on one address."""
    from mkdocs.livereload import LiveReloadServer, _timestamp

    class BookServer(LiveReloadServer):
        """mkdocs' live-reload server, with ``ko/`` served from the Korean build's folder."""

        def __init__(
            self, *args: Any, korean_root: str, polling: bool = True, **kwargs: Any
        ) -> None:
            self._local = threading.local()
            self._english_root = ""
            self.korean_root = korean_root  # holds ko/, the Korean site
            self.changes: set[Path] = set()  # what changed since the last build began
            super().__init__(*args, **kwargs)
            if not polling:  # the platform's events (inotify), not a scan every 0.5 s
                import watchdog.observers

                self.observer = watchdog.observers.Observer()

        @property
        def root(self) -> str:  # type: ignore[override]
            return getattr(self._local, "root", self._english_root)

        @root.setter
        def root(self, value: str) -> None:
            self._english_root = value

        def _serve_request(self, environ: dict, start_response: Any) -> Any:
            # <mount>/ko/... is <korean_root>/ko/...: the same relative path, another root.
            path = environ["PATH_INFO"]
            korean = path.startswith(self.mount_path + "ko/") or path == self.mount_path + "ko"
            self._local.root = self.korean_root if korean else self._english_root
            try:
                return super()._serve_request(environ, start_response)
            finally:
                del self._local.root

        def watch_filtered(self, path: str, ignores: Any) -> None:
            """Watch ``path`` and rebuild on a change that ``ignores`` does not rule out."""
            import watchdog.events

            path = os.path.abspath(path)
            if path in self._watched_paths:
                return
            self._watched_paths[path] = 1

            def callback(event: Any) -> None:
                if event.is_directory or event.event_type not in CHANGES:
                    return
                paths = [event.src_path, getattr(event, "dest_path", "") or event.src_path]
                kept = [Path(os.fsdecode(p)) for p in paths if not ignores(Path(os.fsdecode(p)))]
                if not kept:
                    return
                with self._rebuild_cond:
                    self.changes.update(kept)
                    self._want_rebuild = True
                    self._rebuild_cond.notify_all()

            handler = watchdog.events.FileSystemEventHandler()
            handler.on_any_event = callback  # type: ignore[method-assign]
            self._watch_refs[path] = self.observer.schedule(handler, path, recursive=True)

        def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
            self.watch_filtered(path, english_ignores)

        def take_changes(self) -> list[str]:
            """The files changed since the last call, relative to the repository, sorted."""
            with self._rebuild_cond:
                found, self.changes = self.changes, set()
            return sorted(rel(p.resolve()) for p in found)

        def korean_built(self) -> None:
            """Reload the open pages after a Korean build (now, or when the English one ends)."""
            with self._epoch_cond:
                stamp = _timestamp()
                if self._visible_epoch == self._wanted_epoch:
                    self._visible_epoch = stamp
                self._wanted_epoch = stamp
                self._epoch_cond.notify_all()

    return BookServer
