"""Serve both editions of the book with live reload, rebuilding only the edition that changed.

``make serve`` runs this script. It serves the English edition (``mkdocs.yml``) and, under
``ko/`` of the same address, the Korean edition (``mkdocs.ko.yml``), each built by its own
process, each watching only its own inputs:

- the English build (this process) watches ``docs/`` except ``docs/ko``, and ``src/``,
  ``examples/``, ``hooks/``, ``overrides/``, ``mkdocs.yml``;
- the Korean build (a second, long-lived process) watches ``docs/ko``, the parts of English
  pages its pages include through snippets (an edit of an English page's prose outside them
  does not rebuild it), the English notebooks, and the same code and settings.

An edit to a page rebuilds its edition only; both editions' open pages reload when either
finishes. In each build, two serve-only hooks skip the work that an edit did not touch:
``hooks/page_cache.py`` reuses a page's converted HTML while its Markdown, snippets, the
package, the build's code and the environment stay the same, and ``hooks/exec_cache.py``
reuses an executed block's output while the block, its session's earlier blocks and the
package stay the same (both on disk, so a restart is fast too); ``hooks/_serve_shortcuts.py``
(installed by the page cache) reuses the unchanged pages' search entries, mkdocs-jupyter's
notebook detection, the compiled templates and the list of the theme's files.
Both builds keep their site folder between builds (MkDocs' ``dirty`` flag, which
here only stops the folder being emptied: the page cache still reads every page, and writes
only the pages that changed). ``mkdocs build`` (``make docs``, CI) uses none of this: it
executes everything.

Both configurations are read again on each rebuild of their edition (a nav change shows on
the next rebuild), but MkDocs loads each hook once per process: a change to ``hooks/`` or to
this file needs a restart. CONTRIBUTING.md ("The edit loop") lists what each edit rebuilds.

A start is warm when an earlier serve left its caches in ``.cache``: the converted pages, their
search entries and the compiled templates (``.cache/serve-pages/``), the executed blocks
(``.cache/exec-blocks/``), the notebooks (mkdocs-jupyter's cache) and the compiled modules
(``.cache/pycache``: where ``PYTHONDONTWRITEBYTECODE`` is set and ``make`` did not set
``PYTHONPYCACHEPREFIX``, this script sets it, so neither process compiles a thousand modules
from source on every start). The English process is told of a change by the operating system
(inotify on Linux) instead of MkDocs' scan of the watched folders every half second;
``--poll`` goes back to the scan, for file systems that send no events (some network and
container mounts).

Usage: ``python scripts/serve.py [--dev-addr 127.0.0.1:8000] [--poll]``; ``--english-only``
skips the Korean edition.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

if str(Path(__file__).resolve().parent) not in sys.path:  # loaded by importlib (the tests)
    sys.path.append(str(Path(__file__).resolve().parent))
from serve_server import server_class as _server_class
from serve_watch import (
    DOCS,
    ENGLISH_WATCH,
    KOREAN_WATCH,
    changed,
    english_ignores,
    korean_watches,
    rel,
    snapshot,
)

ROOT = Path(__file__).resolve().parent.parent
BUILT = "BACKPROP_BOOK_KOREAN_BUILT"  # the line the Korean process prints after each build

log = logging.getLogger("mkdocs.serve")


def _korean_edition() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "korean_edition_for_serve", ROOT / "hooks" / "korean_edition.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _KeptSite(logging.Filter):
    """Drop MkDocs' warning about dirty builds: hooks/page_cache.py still reads every page."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def _log_to_terminal(prefix: str = "") -> None:
    logging.getLogger("mkdocs.commands.build").addFilter(_KeptSite())
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(f"%(levelname)-7s -  {prefix}%(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO)
    mkdocs_log.propagate = False


def _snippet_files() -> set[Path]:
    """The files the Korean pages include, as the page-cache hook saw them in the last build."""
    hook = sys.modules.get("hooks/page_cache.py")
    found: set[Path] = set()
    for paths in getattr(hook, "dependencies", {}).values():
        found |= {Path(p).resolve() for p in paths}
    return found


def _included_changed(path: Path) -> bool:
    """Whether a Korean page includes a part of ``path`` that changed (not just its prose)."""
    hook = sys.modules.get("hooks/page_cache.py")
    return hook is None or hook.included_changed(path)


def korean_watcher(site_root: Path, serve_url: str) -> int:
    """Build the Korean edition into ``site_root/ko``, and again after each change of its inputs."""
    from mkdocs.commands.build import build

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    _log_to_terminal("[ko] ")
    korean = _korean_edition()
    parent = os.getppid()

    def orphaned() -> None:  # the server ended without stopping us (killed): end too, mid-build
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=orphaned, daemon=True).start()
    roots = [ROOT / w for w in KOREAN_WATCH] + [DOCS]  # docs/: the pages snippets come from
    started = None
    try:
        while True:
            before = snapshot(roots)
            config = korean.korean_config(site_root / "ko", strict=False)
            config.site_url = serve_url
            if started is None:
                config.plugins.on_startup(command="serve", dirty=False)
                started = config
            log.info("Building the Korean edition...")
            began = time.monotonic()
            try:
                build(config, serve_url=serve_url, dirty=True)  # keep the site folder
            except Exception as error:  # keep watching: the next edit may fix it
                log.error("The Korean build failed: %s", error)
            else:
                log.info("Korean edition built in %.1f s", time.monotonic() - began)
                print(BUILT, flush=True)
            snippets = _snippet_files()
            while True:
                time.sleep(0.2)
                if os.getppid() != parent:
                    return 0
                after = snapshot(roots)
                edits = {p for p in changed(before, after) if korean_watches(p, snippets)}
                edits = {p for p in edits if p not in snippets or _included_changed(p)}
                if edits:
                    log.info("Detected changes in %s", ", ".join(sorted(rel(p) for p in edits)))
                    time.sleep(0.1)  # let an editor finish writing
                    break
                before = after
    finally:
        if started is not None:
            started.plugins.on_shutdown()


def keep_bytecode(environ: Any = os.environ) -> bool:
    """Compiled modules kept in ``.cache/pycache`` where bytecode is turned off (as ``make`` does).

    Where ``PYTHONDONTWRITEBYTECODE`` is set and ``PYTHONPYCACHEPREFIX`` is not, each process
    of the server (this one, the Korean build, the notebooks' kernels) compiled from source
    every module it imports. This sets the prefix for them (and for the modules this process
    has not imported yet); whether it did.

    Examples:
        >>> environ = {"PYTHONDONTWRITEBYTECODE": "1"}
        >>> prefix = sys.pycache_prefix, sys.dont_write_bytecode
        >>> keep_bytecode(environ), sorted(environ), environ["PYTHONPYCACHEPREFIX"].endswith("pycache")
        (True, ['PYTHONPYCACHEPREFIX'], True)
        >>> sys.pycache_prefix, sys.dont_write_bytecode = prefix
        >>> keep_bytecode({"PYTHONPYCACHEPREFIX": "/tmp/x", "PYTHONDONTWRITEBYTECODE": "1"})
        False
    """  # noqa: E501
    if environ.get("PYTHONPYCACHEPREFIX") or "PYTHONDONTWRITEBYTECODE" not in environ:
        return False
    del environ["PYTHONDONTWRITEBYTECODE"]
    environ["PYTHONPYCACHEPREFIX"] = str(ROOT / ".cache" / "pycache")
    sys.pycache_prefix = environ["PYTHONPYCACHEPREFIX"]
    sys.dont_write_bytecode = False
    return True


def serve(host: str, port: int, *, korean: bool = True, polling: bool = False) -> int:
    """Serve the English edition, and the Korean one under ``ko/``, until interrupted."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import _serve_url

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so that `finally` stops the watcher
    _log_to_terminal()
    os.environ[_korean_edition().APART] = "1"  # the Korean watcher builds it, not the hook
    site_dir = tempfile.mkdtemp(prefix="backprop-book-serve-")
    korean_root = Path(tempfile.mkdtemp(prefix="backprop-book-serve-ko-"))

    def get_config() -> Any:
        return load_config(
            config_file=str(ROOT / "mkdocs.yml"), site_dir=site_dir, dev_addr=f"{host}:{port}"
        )

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=False)
    mount_path = urlsplit(config.site_url or "/").path
    serve_url = _serve_url(host, port, mount_path)
    config.site_url = serve_url

    def builder(config: Any = None) -> None:
        edits = server.take_changes()
        if edits:
            log.info("Changed: %s", ", ".join(edits[:5]) + (" ..." if len(edits) > 5 else ""))
        log.info("Building the English edition...")
        began = time.monotonic()
        if config is None:
            config = get_config()
            config.site_url = serve_url
        build(config, serve_url=serve_url, dirty=True)  # keep the site folder
        log.info("English edition built in %.1f s", time.monotonic() - began)

    server = _server_class()(
        builder=builder,
        host=host,
        port=port,
        root=site_dir,
        mount_path=mount_path,
        korean_root=str(korean_root),
        polling=polling,
    )

    def error_page(code: int) -> bytes | None:
        page = Path(site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    child = None
    if korean:
        command = [sys.executable, __file__, "--korean-watcher", str(korean_root)]
        command += ["--serve-url", serve_url + "ko/"]
        child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)

        def relay() -> None:
            assert child is not None and child.stdout is not None
            for line in child.stdout:
                if line.strip() == BUILT:
                    server.korean_built()
                else:
                    sys.stdout.write(line)

        threading.Thread(target=relay, daemon=True).start()
    try:
        builder(config)
        for name in ENGLISH_WATCH:
            if (ROOT / name).exists():
                server.watch(str(ROOT / name))
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            if not english_ignores(Path(item)):
                server.watch(item)
        log.info("Korean edition: %sko/ (built by its own process)", serve_url)
        try:
            server.serve()
        except (KeyboardInterrupt, SystemExit):
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        if child is not None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        shutil.rmtree(site_dir, ignore_errors=True)
        shutil.rmtree(korean_root, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev-addr", default="127.0.0.1:8000", help="host:port to serve on")
    parser.add_argument("--english-only", action="store_true", help="skip the Korean edition")
    parser.add_argument(
        "--poll", action="store_true", help="scan the folders for changes (no inotify events)"
    )
    parser.add_argument("--korean-watcher", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--serve-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    keep_bytecode()
    if args.korean_watcher is not None:
        return korean_watcher(args.korean_watcher, args.serve_url)
    host, _, port = args.dev_addr.rpartition(":")
    return serve(host or "127.0.0.1", int(port), korean=not args.english_only, polling=args.poll)


if __name__ == "__main__":
    sys.exit(main())
