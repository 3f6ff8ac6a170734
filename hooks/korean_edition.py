"""MkDocs hook: build the Korean edition (``mkdocs.ko.yml``) into ``<site_dir>/ko``.

The book has one MkDocs configuration per language (mkdocs-static-i18n breaks the notebook
pages of mkdocs-jupyter). ``mkdocs.yml`` builds the English pages and, through this hook,
``mkdocs.ko.yml`` builds the Korean pages from ``docs/ko`` into the ``ko`` folder of the same
site. So ``mkdocs build`` (``make docs``) and ``mkdocs serve`` (``make serve``, which builds
into a temporary folder and watches ``docs/``, ``docs/ko`` included) cover both editions.

The Korean edition is built in a second process, started when the English build starts
(``on_pre_build``) and awaited when it ends (``on_post_build``): on two cores the two editions
build side by side. It writes into a temporary folder, moved to ``<site_dir>/ko`` at the end,
because the English build cleans its site folder after ``on_pre_build``. It runs with the
English build's strictness and log level; its log goes to the same terminal, and a warning or
error in it fails the whole build. ``mkdocs.ko.yml`` does not list this hook, and an
environment flag stops a nested start anyway.

mkdocs-jupyter deletes every cached notebook that its own build did not use, so the Korean
build gets its own cache folder; sharing one, each edition would evict the other's cache and
every build would execute every notebook again.

In ``scripts/serve.py`` (``make serve``) the Korean edition is not built here: the server runs it
as its own watcher process, which rebuilds it only when its own inputs change (see that
script); it sets ``BACKPROP_BOOK_KOREAN_APART`` so this hook stands aside, and it builds with
``korean_config`` below, so both ways make the same Korean site.

Two settings that mkdocs.ko.yml cannot override without repeating the whole plugin and
extension lists of mkdocs.yml (INHERIT replaces lists) are set here: search indexes English and
Korean (lunr's Korean stop words; Hangul words are kept whole and found by prefix, so 역전파
finds 역전파는), and headings get Hangul anchors (#이-책을-읽는-방법, not #_6).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
KOREAN_CONFIG = ROOT / "mkdocs.ko.yml"
_RUNNING = "BACKPROP_BOOK_BUILDING_KOREAN"
APART = "BACKPROP_BOOK_KOREAN_APART"  # set by scripts/serve.py, which builds the Korean edition
SHARE = "BACKPROP_BOOK_EDITION_SHARE"  # this build's folder for hooks/edition_share.py

log = logging.getLogger("mkdocs.hooks.korean_edition")
_job: tuple[subprocess.Popen, Path] | None = None  # the Korean build under way, and its folder
_share: Path | None = None  # the folder both editions share in this build (edition_share.py)


def on_pre_build(config, **kwargs):
    global _job
    if os.environ.get(_RUNNING) or os.environ.get(APART):
        return
    _stop()  # a build left over from an earlier rebuild of `mkdocs serve`
    out = Path(tempfile.mkdtemp(prefix="backprop-book-ko-"))
    level = logging.getLogger("mkdocs").getEffectiveLevel()
    command = [sys.executable, __file__, str(out), "--log-level", str(level)]
    if config["strict"]:
        command.append("--strict")
    log.info("Building the Korean edition (%s) alongside, in a second process", KOREAN_CONFIG.name)
    _start_sharing()
    _keep_bytecode()
    _job = (subprocess.Popen(command, cwd=ROOT, env={**os.environ, _RUNNING: "1"}), out)


def _keep_bytecode() -> None:
    """Compiled modules kept in ``.cache/pycache``, not compiled again by every build.

    ``make`` sets ``PYTHONPYCACHEPREFIX`` to that folder itself. Where
    ``PYTHONDONTWRITEBYTECODE`` is set instead (to keep ``__pycache__`` folders out of a tree),
    each of the build's processes (the two editions, each notebook's kernel) compiled
    the 1,000-odd modules it imports (mkdocs, nbconvert, numpy, matplotlib, …) from source, some
    10 s of CPU each. With ``PYTHONPYCACHEPREFIX`` they go to one git-ignored folder instead
    (Python checks each against its source file): for the Korean build, the kernels, and the
    modules this process has not imported yet.
    """
    if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is None:
        return
    prefix = str(ROOT / ".cache" / "pycache")
    os.environ.setdefault("PYTHONPYCACHEPREFIX", prefix)
    sys.pycache_prefix = os.environ["PYTHONPYCACHEPREFIX"]
    sys.dont_write_bytecode = False


def _start_sharing() -> None:
    """A new empty folder for the outputs the two editions of this build share."""
    global _share
    if os.environ.get(SHARE, "").lower() in {"off", "0", "no", "false"}:
        return
    _share = Path(tempfile.mkdtemp(prefix="backprop-book-share-"))
    (_share / "owner").write_text(str(os.getpid()))  # the Korean build is a child of this one
    os.environ[SHARE] = str(_share)


def _stop_sharing() -> None:
    global _share
    if _share is not None:
        shutil.rmtree(_share, ignore_errors=True)
        os.environ.pop(SHARE, None)
        _share = None


def on_post_build(config, **kwargs):
    global _job
    if _job is None:
        return
    process, out = _job
    _job = None
    returncode = process.wait()
    _stop_sharing()
    if returncode != 0:
        shutil.rmtree(out, ignore_errors=True)
        raise PluginError(f"the Korean edition ({KOREAN_CONFIG.name}) failed: see its log above")
    site_dir = Path(config["site_dir"]) / "ko"
    shutil.rmtree(site_dir, ignore_errors=True)
    shutil.move(out, site_dir)
    log.info("The Korean edition is in %s", site_dir)


def on_build_error(error, **kwargs):
    _stop()


def on_shutdown(**kwargs):
    _stop()


def _stop() -> None:
    global _job
    if _job is not None:
        process, out = _job
        _job = None
        process.kill()
        process.wait()
        shutil.rmtree(out, ignore_errors=True)
    _stop_sharing()


def korean_config(site_dir: Path, *, strict: bool, **options):
    """Load ``mkdocs.ko.yml`` for a build into ``site_dir``, with the settings set here."""
    from mkdocs.config import load_config
    from pymdownx.slugs import slugify

    os.environ[_RUNNING] = "1"
    korean = load_config(
        config_file=str(KOREAN_CONFIG), site_dir=str(site_dir), strict=strict, **options
    )
    jupyter = korean.plugins.get("mkdocs-jupyter")
    if jupyter is not None:
        cache = Path(jupyter.config["cache_dir"])
        jupyter.config["cache_dir"] = str(cache.with_name(cache.name + "-ko"))
    search = korean.plugins.get("material/search")
    if search is not None and not search.config.lang:
        search.config.lang = ["en", "ko"]
        search.config.pipeline = ["stopWordFilter"]
    korean.mdx_configs.setdefault("toc", {})["slugify"] = slugify(case="lower")
    return korean


def build_korean(site_dir: Path, *, strict: bool) -> None:
    """Build ``mkdocs.ko.yml`` into ``site_dir`` (in this process)."""
    from mkdocs.commands.build import build

    korean = korean_config(site_dir, strict=strict)
    korean.plugins.on_startup(command="build", dirty=False)
    try:
        build(korean)
    finally:
        korean.plugins.on_shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Korean edition into a folder.")
    parser.add_argument("site_dir", type=Path)
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--log-level", type=int, default=logging.INFO)
    args = parser.parse_args(argv)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  [ko] %(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(args.log_level)
    mkdocs_log.propagate = False
    from mkdocs.exceptions import MkDocsException

    try:
        build_korean(args.site_dir, strict=args.strict)
    except MkDocsException as error:
        print(f"ERROR   -  [ko] {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
