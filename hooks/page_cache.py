"""MkDocs hook: in ``mkdocs serve`` only, keep a page's HTML while its inputs stay the same.

On every rebuild MkDocs converts every page's Markdown again: the snippets, the executed
blocks, the API pages' docstrings. In serve mode this hook keeps what converting a page
produced (its HTML, table of contents, title, anchors and the cross-reference targets it
registered with autorefs), in memory and on disk (``.cache/serve-pages/``, so that the next
``make serve`` starts without converting the pages again), and reuses it when none of these
changed since:

- the page's Markdown (after the other hooks' ``on_page_markdown``),
- the parts of files its snippet lines (``--8<--``) include (a section, or the whole file),
  and what those parts include in turn,
- the list of pages (a new or removed page changes every page's links),
- the package and the build's own code: ``src/``, ``examples/``, ``requirements.lock``,
  ``hooks/``, ``overrides/``, ``scripts/serve.py``, ``mkdocs.yml`` and ``mkdocs.ko.yml``,
- what the build runs on and with (:func:`environment`): the Python version, every installed
  distribution and its version, the served address, ``COLUMNS``, and whether the block cache
  of ``hooks/exec_cache.py`` is on.

All of that is hashed into each entry's key, and an entry read from disk is used only when the
key stored inside it is the key asked for, so an entry of an earlier state of any of these
files is never served. The folder holds one state of the inputs per edition: entries of other
states are removed when a build starts. With ``BACKPROP_BOOK_EXEC_CACHE=off`` (run every block)
no page is taken from the disk, only from this process's memory.

So a prose edit converts that one page again (and, in the Korean edition, the pages whose
snippets come from it). The notebook pages are not cached here: mkdocs-jupyter caches them
itself (``hooks/notebook_execution.py``).

A page taken from the cache is also not written again when its HTML file from the previous
build is still there, no page's title changed (the navigation on every page shows them) and
it is what the previous build showed (one read from the disk under another key, an edit
undone, is written): it is only handed to the search index. ``scripts/serve.py`` builds with
MkDocs' ``dirty`` flag so that the site folder is kept between builds (this hook still reads
every page, so the navigation, links and search stay whole); a plain ``mkdocs serve`` cleans
the folder on each build, and then every page is written.

``mkdocs build`` never uses it: the hook turns itself on only when MkDocs starts with the
``serve`` command. ``BACKPROP_BOOK_PAGE_CACHE=off`` turns it off in serve mode too;
``BACKPROP_BOOK_PAGE_CACHE_DIR`` puts it in another folder.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import Any

try:
    import _hashing
    import _serve_shortcuts
except ModuleNotFoundError:  # loaded by importlib (the tests), not by MkDocs: add its folder
    sys.path.append(str(Path(__file__).resolve().parent))
    import _hashing
    import _serve_shortcuts
# The parts of the cache, one idea each; their names are this hook's too (the tests use them).
from _page_keys import EXEC_SWITCH, environment, generation, page_key, switched_off
from _page_store import read_entry, write_entry
from _snippet_sections import sections_digest, snippet_sections
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
INPUTS = [
    ROOT / "src",
    ROOT / "examples",
    ROOT / "requirements.lock",
    ROOT / "hooks",
    ROOT / "mkdocs.yml",
    ROOT / "mkdocs.ko.yml",
    ROOT / "overrides",
    ROOT / "scripts" / "serve.py",
]
SWITCH = "BACKPROP_BOOK_PAGE_CACHE"
CACHE = Path(os.environ.get("BACKPROP_BOOK_PAGE_CACHE_DIR", ROOT / ".cache" / "serve-pages"))

log = logging.getLogger("mkdocs.hooks.page_cache")

_active = False
_generation = ""  # hash of INPUTS, the environment and the page list, for the current build
_folder: Path | None = None  # this edition's folder on disk for the current generation
_environment = ""  # environment(), once per process (what is installed cannot change under it)
_cache: dict[str, dict[str, Any]] = {}  # page path -> {"key": ..., what render produced}
_stats = {"hits": 0, "renders": 0, "written": 0, "from_disk": 0}
# Pages converted in this build, or read from the disk under another key than the last build's:
# their HTML must be written.
_converted: set[str] = set()
_notebooks: dict[str, str] = {}  # notebook path -> hash of its bytes at the last build
_titles = {"last": "", "now": ""}  # every page's title, at the last build and in this one
# What the snippet lines of each page of the last build include: file -> (sections, their hash).
# The Korean watcher of scripts/serve.py reads it, to rebuild only when an included part changed.
dependencies: dict[str, dict[Path, tuple[set[str], str]]] = {}


def included_changed(path: Path) -> bool:
    """Whether a page of the last build would include something else from ``path`` now."""
    path = Path(path).resolve()
    for included in dependencies.values():
        if path in included:
            sections, digest = included[path]
            if not path.is_file() or sections_digest(path, sections) != digest:
                return True
    return False


def edition_folder(config: Any, root: Path = CACHE) -> Path:
    """The folder of one edition's entries: named after its ``docs_dir`` (``docs``, ``docs-ko``).

    Examples:
        >>> edition_folder({"docs_dir": str(ROOT / "docs" / "ko")}, Path("c")).as_posix()
        'c/docs-ko'
        >>> edition_folder({"docs_dir": "/elsewhere/docs"}, Path("c")).name.startswith("docs-")
        True
    """
    docs = Path(config["docs_dir"]).resolve()
    if docs.is_relative_to(ROOT):
        return root / docs.relative_to(ROOT).as_posix().replace("/", "-")
    return root / f"{docs.name}-{hashlib.sha256(str(docs).encode()).hexdigest()[:12]}"


def on_startup(command: str, dirty: bool = False, **kwargs: Any) -> None:
    global _active, _environment
    _active = command == "serve" and not switched_off(SWITCH)
    if _active:
        _install()
        _serve_shortcuts.install(CACHE / "templates")
        if not _environment:
            _environment = environment()
        log.info("Serve mode: a page is converted again only when its inputs change")


def on_shutdown(**kwargs: Any) -> None:
    if _active:
        _serve_shortcuts.uninstall()


def _install() -> None:
    """Read every page even in a dirty build; write only the pages that changed."""
    from mkdocs.commands import build

    if getattr(build._build_page, "page_cache", False):
        return
    populate, write = build._populate_page, build._build_page

    def populate_page(page: Any, config: Any, files: Any, dirty: bool = False) -> None:
        populate(page, config, files, False)

    def build_page(
        page: Any,
        config: Any,
        doc_files: Any,
        nav: Any,
        env: Any,
        dirty: bool = False,
        excluded: bool = False,
    ) -> None:
        if not _active or _must_write(page, doc_files):
            _stats["written"] += 1
            return write(page, config, doc_files, nav, env, False, excluded=excluded)
        page.active = True  # what _build_page does around the context, for the search index
        try:
            context = build.get_context(nav, doc_files, config, page)
            config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        finally:
            page.active = False

    build_page.page_cache = True  # type: ignore[attr-defined]
    build._populate_page, build._build_page = populate_page, build_page


def _must_write(page: Any, doc_files: Any) -> bool:
    if not _titles["now"]:
        _titles["now"] = hashlib.sha256(
            "\n".join(f"{f.src_uri}\0{f.page.title}" for f in doc_files if f.page).encode()
        ).hexdigest()
    name = page.file.abs_src_path
    if page.file.src_uri.endswith(".ipynb"):
        digest = hashlib.sha256(Path(name).read_bytes()).hexdigest()
        if _notebooks.get(name) != digest:
            _notebooks[name] = digest
            return True
    elif name in _converted:
        return True
    return _titles["now"] != _titles["last"] or not os.path.isfile(page.file.abs_dest_path)


def on_nav(nav: Any, config: Any, files: Any, **kwargs: Any) -> Any:
    # Not on_files: only after it does MkDocs mark the files that exclude_docs leaves out (the
    # Korean notebooks that hooks/korean_notebooks.py writes into docs/ko are pages of the
    # English build until then, and they appear during the first serve of a fresh clone).
    global _generation, _folder
    if _active:
        pages = [f.src_uri for f in files.documentation_pages()]
        _generation = generation(_hashing.tree_hash(INPUTS, ROOT), _environment, config, pages)
        edition = edition_folder(config)
        _folder = None if switched_off(EXEC_SWITCH) else edition / _generation[:32]
        if _folder is not None and edition.is_dir():
            for old in edition.iterdir():
                if old.is_dir() and old.name != _folder.name:
                    shutil.rmtree(old, ignore_errors=True)
        _serve_shortcuts.load_search(edition / "search.json", _environment)
        _stats.update(hits=0, renders=0, written=0, from_disk=0)
        _converted.clear()
        _titles["last"], _titles["now"] = _titles["now"], ""
    return nav


@event_priority(-100)  # after mkdocs-jupyter, which replaces the notebooks' render
def on_pre_page(page: Any, config: Any, files: Any, **kwargs: Any) -> Any:
    if _active and not page.file.src_uri.endswith(".ipynb"):
        page.render = _cached(page, page.render, config)
    return page


def _cached(page: Any, render: Any, config: Any) -> Any:
    def cached_render(config: Any, files: Any) -> None:
        name = page.file.abs_src_path
        sections = snippet_sections(page.markdown)
        included = {p: (found, sections_digest(p, found)) for p, found in sections.items()}
        dependencies[name] = included
        key = page_key(_generation, name, page.markdown, {p: d for p, (_, d) in included.items()})
        entry = _cache.get(name)
        if entry is None or entry["key"] != key:
            entry = read_entry(_folder, key)
            if entry is not None:  # not what the last build showed (an edit undone): write it
                _stats["from_disk"] += 1
                _cache[name] = entry
                _converted.add(name)
        autorefs = config.plugins.get("autorefs")
        if entry is not None and entry["key"] == key:
            _stats["hits"] += 1
            _restore(page, entry, files, autorefs)
            return
        calls: list[tuple[str, tuple, dict]] = []
        undo = _record(autorefs, page, calls)
        try:
            render(config, files)
        finally:
            undo()
        _stats["renders"] += 1
        _converted.add(name)
        _cache[name] = entry = {
            "key": key,
            "content": page.content,
            "toc": page.toc,
            "title": getattr(page, "_title_from_render", None),
            "anchors": page.present_anchor_ids,
            "links": {
                f.src_uri: dict(v)
                for f, v in (getattr(page, "links_to_anchors", None) or {}).items()
            },
            "autorefs": calls,
        }
        write_entry(_folder, entry)

    return cached_render


def _record(autorefs: Any, page: Any, calls: list[tuple[str, tuple, dict]]) -> Any:
    """Record the anchors and URLs that rendering registers with autorefs, to replay them."""
    if autorefs is None:
        return lambda: None
    originals = {name: getattr(autorefs, name) for name in ("register_anchor", "register_url")}

    def recorder(name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            stored = tuple("\0page" if a is page else a for a in args)
            calls.append((name, stored, dict(kwargs)))
            return originals[name](*args, **kwargs)

        return call

    for name in originals:
        setattr(autorefs, name, recorder(name))

    def undo() -> None:
        for name in originals:
            delattr(autorefs, name)

    return undo


def _restore(page: Any, entry: dict[str, Any], files: Any, autorefs: Any) -> None:
    page.content = entry["content"]
    page.toc = entry["toc"]
    page._title_from_render = entry["title"]
    page.present_anchor_ids = entry["anchors"]
    links = {}
    for src_uri, anchors in entry["links"].items():
        target = files.get_file_from_path(src_uri)
        if target is not None:
            links[target] = anchors
    page.links_to_anchors = links
    if autorefs is not None:
        for name, args, kwargs in entry["autorefs"]:
            args = tuple(page if a == "\0page" else a for a in args)
            getattr(autorefs, name)(*args, **kwargs)


def on_post_build(config: Any, **kwargs: Any) -> None:
    if _active:
        log.info(
            "Pages: %(renders)d converted, %(hits)d from the cache (%(from_disk)d read from "
            "disk), %(written)d written; search entries: %(search_parsed)d parsed, "
            "%(search_hits)d reused",
            {**_stats, **_serve_shortcuts.stats},
        )
        if _serve_shortcuts.stats["search_parsed"]:
            _serve_shortcuts.save_search(edition_folder(config) / "search.json", _environment)
        _serve_shortcuts.stats.update(search_hits=0, search_parsed=0)
