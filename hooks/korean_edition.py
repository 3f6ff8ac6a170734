"""MkDocs hook: build the Korean edition (``mkdocs.ko.yml``) into ``<site_dir>/ko``.

The book has one MkDocs configuration per language (mkdocs-static-i18n breaks the notebook
pages of mkdocs-jupyter). ``mkdocs.yml`` builds the English pages and, through this hook,
``mkdocs.ko.yml`` builds the Korean pages from ``docs/ko`` into the ``ko`` folder of the same
site. So ``mkdocs build`` (``make docs``) and ``mkdocs serve`` (``make serve``, which builds
into a temporary folder and watches ``docs/``, ``docs/ko`` included) cover both editions.

The Korean build runs with the English build's strictness; a warning in it fails the build.
``mkdocs.ko.yml`` does not list this hook, and an environment flag stops a nested start anyway.

mkdocs-jupyter deletes every cached notebook that its own build did not use, so the Korean
build gets its own cache folder; sharing one, each edition would evict the other's cache and
every build would execute every notebook again.

Two settings that mkdocs.ko.yml cannot override without repeating the whole plugin and
extension lists of mkdocs.yml (INHERIT replaces lists) are set here: search indexes English and
Korean (lunr's Korean stop words; Hangul words are kept whole and found by prefix, so 역전파
finds 역전파는), and headings get Hangul anchors (#이-책을-읽는-방법, not #_6).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from pymdownx.slugs import slugify

ROOT = Path(__file__).resolve().parent.parent
KOREAN_CONFIG = ROOT / "mkdocs.ko.yml"
_RUNNING = "BACKPROP_BOOK_BUILDING_KOREAN"

log = logging.getLogger("mkdocs.hooks.korean_edition")


def on_post_build(config, **kwargs):
    if os.environ.get(_RUNNING):
        return
    site_dir = Path(config["site_dir"]) / "ko"
    log.info("Building the Korean edition (%s) into %s", KOREAN_CONFIG.name, site_dir)
    os.environ[_RUNNING] = "1"
    try:
        korean = load_config(
            config_file=str(KOREAN_CONFIG), site_dir=str(site_dir), strict=config["strict"]
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
        korean.plugins.on_startup(command="build", dirty=False)
        try:
            build(korean)
        finally:
            korean.plugins.on_shutdown()
    finally:
        os.environ.pop(_RUNNING, None)
