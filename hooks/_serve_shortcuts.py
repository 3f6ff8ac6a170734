"""Serve-only shortcuts for the work a rebuild repeats on pages that did not change (a helper).

Profiled on a rebuild of the English edition after no change (every page from
``hooks/page_cache.py``'s cache, no block run), most of the time went to three things that do
not depend on which page changed:

- the search index: Material's search plugin parses every page's HTML again to cut it into
  sections (about two thirds of the rebuild);
- the notebooks' detection: mkdocs-jupyter asks, for every Markdown page, twice a build,
  whether it is a Jupytext notebook, by parsing it with Jupytext;
- the theme's templates: a new Jinja environment per build compiles every template again.

Profiled again after a prose edit (one page converted), a fourth thing that does not depend on
the page came first: MkDocs lists the theme's files on every build (Material's folder holds
some 14,500, its icons mostly, each matched against a dozen patterns): about a fifth of that
rebuild.

:func:`install` (called by ``hooks/page_cache.py`` in serve mode only, so ``mkdocs build``
never uses it) keeps each result for as long as its inputs stay the same: a page's search
entries while its URL, title, metadata, table of contents and HTML (and the search plugin's
settings) are the same; a file's "is it a notebook" while its path, size and modification
time are the same; a template's compiled code while its source is the same (Jinja's own
bytecode cache, in memory and, given a folder, on disk); the files of an installed theme's
folder (one under ``sys.prefix``, which a running server cannot see change: an upgrade of a
package needs a restart anyway, its modules are already imported) once per process, and
which of them pass MkDocs' patterns while the patterns are the same. A theme folder of the
repository (``overrides/``) is listed on every build.

Two of them outlive the process, so that the next ``make serve`` starts warm: the compiled
templates (Jinja checks each against its template's source, and the key holds the template's
name and file, the environment's extensions and Jinja's version; Jinja's bytecode holds the
Python version) and the search entries (:func:`save_search`, :func:`load_search`: one file
per edition, read back only when it was written under the same environment, and each entry
still used only when its page's key is the same).
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

search_entries: dict[str, tuple[str, list[dict[str, Any]]]] = {}  # page URL -> (key, entries)
_search_loaded: set[str] = set()  # the files load_search has read in this process
notebook_answers: dict[tuple[Any, ...], bool] = {}  # (path, size, mtime, patterns) -> answer
theme_listings: dict[tuple[str, bool], list[str]] = {}  # installed theme folder -> its files
theme_filtered: dict[tuple[str, str], bool] = {}  # (patterns, file) -> whether MkDocs keeps it
stats = {"search_hits": 0, "search_parsed": 0}
_installed: dict[str, Any] = {}  # what install replaced, by name (to undo it)


def _toc(items: Any) -> list[Any]:
    return [[i.id, i.url, i.title, _toc(i.children)] for i in items]


def search_key(page: Any) -> str:
    """What a page's search entries are made of: its URL, title, metadata, TOC and HTML.

    Examples:
        >>> from types import SimpleNamespace as Page
        >>> page = Page(url="a/", title="A", meta={}, toc=[], content="<h1>A</h1>")
        >>> key = search_key(page)
        >>> key == search_key(Page(**vars(page))), key == search_key(Page(**{**vars(page), "content": "<h1>B</h1>"}))
        (True, False)
    """  # noqa: E501
    parts = [page.url, str(page.title), page.meta, _toc(page.toc or []), page.content or ""]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _add_entry_from_context(original: Any) -> Any:
    def add_entry_from_context(index: Any, page: Any) -> None:
        settings = json.dumps(getattr(index, "config", {}), sort_keys=True, default=str)
        key = hashlib.sha256(f"{search_key(page)}\0{settings}".encode()).hexdigest()
        known = search_entries.get(page.url)
        if known is not None and known[0] == key:
            stats["search_hits"] += 1
            index.entries.extend(copy.deepcopy(known[1]))
            return
        start = len(index.entries)
        original(index, page)
        stats["search_parsed"] += 1
        search_entries[page.url] = (key, copy.deepcopy(index.entries[start:]))

    return add_entry_from_context


def _should_include(original: Any) -> Any:
    def should_include(plugin: Any, file: Any) -> bool:
        path = file.abs_src_path
        if path is None or not str(path).endswith(".md"):
            return original(plugin, file)
        try:
            stat = os.stat(path)
        except OSError:
            return original(plugin, file)
        patterns = json.dumps([plugin.config["include"], plugin.config["ignore"]], default=str)
        key = (str(path), stat.st_size, stat.st_mtime_ns, patterns)
        if key not in notebook_answers:
            notebook_answers[key] = original(plugin, file)
        return notebook_answers[key]

    return should_include


def installed(folder: Any) -> bool:
    """Whether ``folder`` belongs to the installed packages (under ``sys.prefix``).

    Examples:
        >>> installed(Path(sys.prefix) / "lib"), installed(Path(__file__).parent)
        (True, False)
    """
    path = Path(folder).resolve()
    prefixes = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}
    return any(path.is_relative_to(prefix) for prefix in prefixes)


def _listing(folder: str, followlinks: bool) -> list[str]:
    import jinja2

    if not installed(folder):
        return jinja2.FileSystemLoader(folder, followlinks=followlinks).list_templates()
    key = (str(folder), followlinks)
    if key not in theme_listings:
        theme_listings[key] = jinja2.FileSystemLoader(
            folder, followlinks=followlinks
        ).list_templates()
    return theme_listings[key]


def _add_files_from_theme(original: Any) -> Any:
    def add_files_from_theme(files: Any, env: Any, config: Any) -> None:
        import jinja2
        from mkdocs import utils

        loader = env.loader
        if type(loader) is not jinja2.FileSystemLoader:
            return original(files, env, config)
        patterns = json.dumps(
            [list(config.theme.static_templates), sorted(utils.markdown_extensions)]
        )

        def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
            if filter_func is None or extensions is not None:
                return jinja2.Environment.list_templates(env, extensions, filter_func)
            names: set[str] = set()
            for folder in loader.searchpath:
                names.update(_listing(folder, loader.followlinks))
            kept = []
            for name in sorted(names):
                key = (patterns, name)
                if key not in theme_filtered:
                    theme_filtered[key] = bool(filter_func(name))
                if theme_filtered[key]:
                    kept.append(name)
            return kept

        env.list_templates = list_templates
        try:
            original(files, env, config)
        finally:
            del env.list_templates

    return add_files_from_theme


def _get_env(original: Any, cache: Any) -> Any:
    def get_env(theme: Any) -> Any:
        env = original(theme)
        env.bytecode_cache = cache
        return env

    return get_env


def _bytecode_cache(folder: Any = None) -> Any:
    import jinja2

    class MemoryBytecodeCache(jinja2.BytecodeCache):
        """Compiled templates in memory (and in ``folder``), keyed by name, file, source, the
        environment's extensions and Jinja's version."""

        def __init__(self) -> None:
            self.code: dict[str, bytes] = {}
            self.disk = jinja2.FileSystemBytecodeCache(str(folder)) if folder else None

        def get_bucket(self, environment: Any, name: str, filename: Any, source: str) -> Any:
            extensions = ",".join(sorted(environment.extensions))
            named = f"{name}\0{extensions}\0{jinja2.__version__}"
            return super().get_bucket(environment, named, filename, source)

        def load_bytecode(self, bucket: Any) -> None:
            if bucket.key in self.code:
                bucket.bytecode_from_string(self.code[bucket.key])
            elif self.disk is not None:
                self.disk.load_bytecode(bucket)  # Jinja drops it if its source or Python differ

        def dump_bytecode(self, bucket: Any) -> None:
            self.code[bucket.key] = bucket.bytecode_to_string()
            if self.disk is not None:
                try:
                    self.disk.dump_bytecode(bucket)
                except OSError:  # a read-only or full disk: memory only
                    pass

    if folder:
        os.makedirs(folder, exist_ok=True)
    return MemoryBytecodeCache()


def save_search(path: Any, environment: str) -> None:
    """Write every page's search entries to ``path``, marked with ``environment``.

    Examples:
        >>> import tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "search.json")
        >>> search_entries["a/"] = ("key-a", [{"location": "a/", "text": "A"}])
        >>> save_search(path, "python 3"); search_entries.clear()
        >>> load_search(path, "python 4"); search_entries
        {}
        >>> _search_loaded.clear(); load_search(path, "python 3"); search_entries["a/"][0]
        'key-a'
        >>> search_entries.clear(); _search_loaded.clear()
    """
    data = json.dumps({"environment": environment, "entries": search_entries})
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError:  # a full disk, a read-only folder: the entries stay in memory only
        with contextlib.suppress(OSError):
            os.remove(temporary)


def load_search(path: Any, environment: str) -> None:
    """Read the entries :func:`save_search` wrote to ``path`` (once a process), if they were
    written under the same ``environment``; entries of this process win."""
    if str(path) in _search_loaded:
        return
    _search_loaded.add(str(path))
    try:
        with open(path, encoding="utf-8") as file:
            data = json.load(file)
    except (OSError, ValueError):
        return
    if not isinstance(data, dict) or data.get("environment") != environment:
        return
    for url, (key, entries) in data.get("entries", {}).items():
        search_entries.setdefault(url, (key, entries))


def install(template_folder: Any = None) -> None:
    """Put the four shortcuts in place (once per process); :func:`uninstall` takes them away.

    ``template_folder``: where compiled templates are kept between processes too.

    Examples:
        >>> install(); from mkdocs.theme import Theme; hasattr(Theme.get_env, "serve_shortcut")
        True
        >>> uninstall(); hasattr(Theme.get_env, "serve_shortcut")
        False
    """
    if _installed:
        return
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.files import Files
    from mkdocs.theme import Theme
    from mkdocs_jupyter.plugin import Plugin

    replaced = {
        "search": (SearchIndex, "add_entry_from_context", _add_entry_from_context),
        "notebooks": (Plugin, "should_include", _should_include),
        "templates": (Theme, "get_env", lambda f: _get_env(f, _bytecode_cache(template_folder))),
        "theme files": (Files, "add_files_from_theme", _add_files_from_theme),
    }
    for name, (owner, attribute, wrap) in replaced.items():
        original = getattr(owner, attribute)
        shortcut = wrap(original)
        shortcut.serve_shortcut = True
        setattr(owner, attribute, shortcut)
        _installed[name] = (owner, attribute, original)


def uninstall() -> None:
    """Give the search plugin, mkdocs-jupyter, the theme and MkDocs their own functions back."""
    for owner, attribute, original in _installed.values():
        setattr(owner, attribute, original)
    _installed.clear()
    search_entries.clear()
    _search_loaded.clear()
    notebook_answers.clear()
    theme_listings.clear()
    theme_filtered.clear()
