"""The serve-only caches (hooks/exec_cache.py, hooks/page_cache.py): what hits, what runs again,
what a later serve reads back from the disk and what it refuses, and that ``mkdocs build``
never uses them."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers import ROOT, load_hook


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """hooks/exec_cache.py switched on as in serve mode, in front of a recording runner."""
    hook = load_hook("exec_cache")
    ran: list[tuple[str, str | None]] = []

    def runner(code, returncode=None, session=None, id=None, **extra):
        ran.append((code, session))
        return f"out of {code}\n"

    monkeypatch.setattr(hook, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(hook, "_original", runner)
    monkeypatch.setattr(hook, "_inputs", "package-v1")
    hook.ran = ran
    return hook


def _page(hook, blocks, page="docs/page.md"):
    """Run ``blocks`` (code, session) as one page's render does; the outputs, in order."""
    hook._page = page
    hook._history.clear()
    hook._pending.clear()
    return [hook.cached_run(code, session=session) for code, session in blocks]


PAGE = [("a = 1", "s"), ("b = a + 1", "s"), ("print(b)", "s"), ("print(2)", None)]


def test_an_unchanged_page_runs_no_block_the_second_time(cache):
    first = _page(cache, PAGE)
    assert len(cache.ran) == 4
    cache.ran.clear()
    assert _page(cache, PAGE) == first and cache.ran == []


def test_a_changed_block_runs_with_its_sessions_earlier_blocks_first(cache):
    _page(cache, PAGE)
    cache.ran.clear()
    edited = [PAGE[0], ("b = a + 2", "s"), PAGE[2], PAGE[3]]
    outputs = _page(cache, edited)
    # a = 1 runs again (its output from the cache) so that b = a + 2 sees a; print(b) follows
    # the edited block, so it runs too; the block outside the session is a hit.
    assert [code for code, _ in cache.ran] == ["a = 1", "b = a + 2", "print(b)"]
    assert outputs[1] == "out of b = a + 2\n" and outputs[3] == "out of print(2)\n"
    assert {session for _, session in cache.ran} == {"docs/page.md#s"}


def test_an_edited_earlier_block_of_the_session_invalidates_the_later_ones(cache):
    _page(cache, PAGE)
    cache.ran.clear()
    _page(cache, [("a = 5", "s"), *PAGE[1:]])
    assert [code for code, _ in cache.ran] == ["a = 5", "b = a + 1", "print(b)"]


def test_a_change_of_the_package_runs_every_block_again(cache, monkeypatch):
    _page(cache, PAGE)
    cache.ran.clear()
    monkeypatch.setattr(cache, "_inputs", "package-v2")
    _page(cache, PAGE)
    assert len(cache.ran) == 4


def test_the_same_block_on_another_page_is_another_entry(cache):
    _page(cache, PAGE)
    cache.ran.clear()
    _page(cache, PAGE, page="docs/ko/page.md")
    assert len(cache.ran) == 4


def test_a_failing_block_is_not_cached(cache, monkeypatch):
    def failing(code, **kwargs):
        cache.ran.append((code, kwargs.get("session")))
        raise RuntimeError("block failed")

    monkeypatch.setattr(cache, "_original", failing)
    for _ in range(2):
        with pytest.raises(RuntimeError):
            _page(cache, [("1 / 0", None)])
    assert len(cache.ran) == 2


def test_the_key_of_the_package_follows_its_source(tmp_path, monkeypatch):
    hook = load_hook("exec_cache")
    monkeypatch.setattr(hook, "ROOT", tmp_path)
    (tmp_path / "src").mkdir()
    module = tmp_path / "src" / "layer.py"
    module.write_text("W = 1\n")
    before = hook.inputs_hash([tmp_path / "src"])
    assert hook.inputs_hash([tmp_path / "src"]) == before
    module.write_text("W = 2\n")
    assert hook.inputs_hash([tmp_path / "src"]) != before


def test_the_build_command_leaves_markdown_exec_alone():
    from markdown_exec._internal.formatters import python

    hook, runner = load_hook("exec_cache"), python._run_python
    hook.on_startup(command="build", dirty=False)
    assert not hook._active and python._run_python is runner
    pages = load_hook("page_cache")
    pages.on_startup(command="build", dirty=False)
    assert not pages._active


def _project(tmp_path: Path) -> Path:
    """A one-page project with markdown-exec and both cache hooks; its block counts its runs."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        textwrap.dedent(
            """\
            # Page

            ```python exec="on"
            from pathlib import Path
            runs = Path("runs.txt")
            runs.write_text(runs.read_text() + "x" if runs.exists() else "x")
            print(len(runs.read_text()))
            ```
            """
        )
    )
    (tmp_path / "mkdocs.yml").write_text(
        textwrap.dedent(
            f"""\
            site_name: t
            markdown_extensions: [pymdownx.superfences]
            plugins: [search, markdown-exec]
            hooks: [{ROOT / "hooks" / "exec_cache.py"}, {ROOT / "hooks" / "page_cache.py"}]
            """
        )
    )
    return tmp_path


def _cache_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a build whose two caches live in ``tmp_path``, not in ``.cache``."""
    return {
        **os.environ,
        "BACKPROP_BOOK_EXEC_CACHE_DIR": str(tmp_path / "cache"),
        "BACKPROP_BOOK_PAGE_CACHE_DIR": str(tmp_path / "pages"),
    }


# One serve-mode build in a new process (a restart of make serve), both caches' inputs pointed
# at the project's own src/: the test changes "the package", and an edit of the repository's
# own src/ by someone else while it runs changes nothing here.
BUILD_IN_A_NEW_PROCESS = """
import json, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config("mkdocs.yml", site_dir="site")
hooks = {n.rsplit("/", 1)[-1]: m for n, m in list(sys.modules.items()) if n.endswith(".py")}
pages = hooks["page_cache.py"]
for hook in (pages, hooks["exec_cache.py"]):
    hook.INPUTS[:] = [Path("src").resolve()]
config.plugins.on_startup(command="serve", dirty=False)
build(config, serve_url="http://127.0.0.1:1/", dirty=True)
html = Path("site/index.html").read_text()
print(json.dumps({**pages._stats, "runs": len(Path("runs.txt").read_text()),
                  "shown": "An added sentence." in html}))
"""


def _serve_once(
    project: Path, tmp_path: Path, script: str = BUILD_IN_A_NEW_PROCESS, **env: str
) -> dict:
    """Run ``script`` (serve-mode builds) in a new process; the JSON its last line prints."""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=project,
        env={**_cache_env(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.slow  # five small builds, each in a new process
def test_a_restarted_serve_reads_pages_from_disk_and_never_a_stale_one(tmp_path):
    project = _project(tmp_path)
    # A hook that puts the files of docs/ko back in on_files, undecided, as mkdocs-jupyter does
    # with the notebooks (the Korean ones too); exclude_docs leaves them out after on_files.
    (project / "add_ko.py").write_text(
        "import os\n"
        "from mkdocs.structure.files import File\n"
        "def on_files(files, config):\n"
        "    for name in sorted(os.listdir(os.path.join(config.docs_dir, 'ko'))):\n"
        "        uri = 'ko/' + name\n"
        "        if files.get_file_from_path(uri) is not None:\n"
        "            files.remove(files.get_file_from_path(uri))\n"
        "        files.append(File(uri, config.docs_dir, config.site_dir, True))\n"
        "    return files\n"
    )
    config = project / "mkdocs.yml"
    text = config.read_text().replace("hooks: [", f"hooks: [{project / 'add_ko.py'}, ")
    config.write_text(text + "exclude_docs: |\n  ko/\n")
    (project / "docs" / "ko").mkdir()
    (project / "src").mkdir()
    (project / "src" / "layer.py").write_text("W = 1\n")
    page = project / "docs" / "index.md"
    original = page.read_text()
    first = _serve_once(project, tmp_path)
    assert (first["renders"], first["from_disk"], first["runs"]) == (1, 0, 1)
    # A restart: the page comes from the disk, converted by no one, its block run by no one;
    # a file that exclude_docs leaves out (as the Korean notebooks are) changes nothing.
    (project / "docs" / "ko" / "lab.md").write_text("# Excluded\n")
    again = _serve_once(project, tmp_path)
    assert (again["renders"], again["hits"], again["from_disk"], again["runs"]) == (0, 1, 1, 1)
    # A prose edit made while the server was stopped: its entry is not the page's any more.
    page.write_text(original + "\nAn added sentence.\n")
    edited = _serve_once(project, tmp_path)
    assert (edited["renders"], edited["from_disk"], edited["shown"]) == (1, 0, True)
    # The package changed: every entry of the earlier state is stale, none is read.
    page.write_text(original)
    (project / "src" / "layer.py").write_text("W = 2\n")
    changed = _serve_once(project, tmp_path)
    assert (changed["renders"], changed["from_disk"], changed["shown"]) == (1, 0, False)
    assert (edited["runs"], changed["runs"]) == (1, 2)  # the prose ran nothing, the package did
    editions = [p for p in (tmp_path / "pages").iterdir() if p.name.startswith("docs")]
    assert len(editions) == 1 and len([p for p in editions[0].iterdir() if p.is_dir()]) == 1
    # With the block cache off (every block must run), no page is taken from the disk.
    off = _serve_once(project, tmp_path, BACKPROP_BOOK_EXEC_CACHE="off")
    assert (off["renders"], off["from_disk"], off["runs"]) == (1, 0, 3)


def test_an_entry_on_disk_is_used_only_under_the_key_it_holds(tmp_path):
    hook = load_hook("page_cache")
    entry = {"key": "k1", "content": "<p>A</p>", "toc": [], "anchors": set()}
    hook.write_entry(tmp_path, entry)
    assert hook.read_entry(tmp_path, "k1") == entry
    assert hook.read_entry(tmp_path, "k2") is None and hook.read_entry(None, "k1") is None
    # A file under the right name that holds another key (renamed, or written by older code)
    # is refused, and so is a file cut short.
    (tmp_path / "k3.pickle").write_bytes(pickle.dumps({**entry, "key": "k1"}))
    assert hook.read_entry(tmp_path, "k3") is None
    (tmp_path / "k4.pickle").write_bytes(pickle.dumps({**entry, "key": "k4"})[:20])
    assert hook.read_entry(tmp_path, "k4") is None
    # A folder that cannot be written (here a file stands where it should be) stores nothing,
    # raises nothing, and leaves no half-written file: serve goes on from memory.
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    hook.write_entry(blocked / "pages", entry)
    assert hook.read_entry(blocked / "pages", "k1") is None
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "blocked",
        "k1.pickle",
        "k3.pickle",
        "k4.pickle",
    ]


def test_the_generation_follows_the_package_the_environment_the_address_and_the_pages(
    monkeypatch,
):
    hook = load_hook("page_cache")
    config = {"docs_dir": str(ROOT / "docs"), "site_url": "http://127.0.0.1:8000/book/"}
    base = hook.generation("src-v1", "python-a", config, ["a.md", "b.md"])
    assert hook.generation("src-v1", "python-a", config, ["b.md", "a.md"]) == base
    assert hook.generation("src-v2", "python-a", config, ["a.md", "b.md"]) != base
    assert hook.generation("src-v1", "python-b", config, ["a.md", "b.md"]) != base
    assert hook.generation("src-v1", "python-a", config, ["a.md"]) != base
    moved = {**config, "site_url": "http://127.0.0.1:8001/book/"}
    assert hook.generation("src-v1", "python-a", moved, ["a.md", "b.md"]) != base
    korean = {**config, "docs_dir": str(ROOT / "docs" / "ko")}
    assert hook.generation("src-v1", "python-a", korean, ["a.md", "b.md"]) != base
    assert hook.edition_folder(korean) != hook.edition_folder(config)
    monkeypatch.setenv("BACKPROP_BOOK_EXEC_CACHE", "off")
    assert hook.generation("src-v1", "python-a", config, ["a.md", "b.md"]) != base


def test_the_inputs_of_a_page_include_the_build_code_and_this_server(tmp_path):
    hook = load_hook("page_cache")
    for path in ("src", "examples", "hooks", "overrides", "mkdocs.yml", "mkdocs.ko.yml"):
        assert ROOT / path in hook.INPUTS
    assert ROOT / "scripts" / "serve.py" in hook.INPUTS
    assert ROOT / "requirements.lock" in hook.INPUTS


BUILD_TWICE = """
import sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
written = []
page = Path("docs/index.md")
original = page.read_text()
for n in range(4):
    if n == 2:  # a prose edit
        page.write_text(original + "\\nAn added sentence.\\n")
    if n == 3:  # the edit undone: the first build's entry (on disk) is shown, and written
        page.write_text(original)
    config = load_config("mkdocs.yml", site_dir="site")
    if n == 0:
        config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url="http://127.0.0.1:1/", dirty=True)
    written.append(Path("site/index.html").stat().st_mtime_ns)
    print("indexed" if "Page" in Path("site/search/search_index.json").read_text() else "lost")
    shown = "An added sentence." in Path("site/index.html").read_text()
print(written[1] == written[0], written[2] != written[1], written[3] != written[2], shown)
"""


@pytest.mark.slow  # four small builds in a subprocess
def test_serve_mode_runs_an_unchanged_block_once_and_writes_an_unchanged_page_once(tmp_path):
    project = _project(tmp_path)
    env = _cache_env(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", BUILD_TWICE],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    # Four builds, the third after a prose edit, the fourth after undoing it: the block ran
    # once (the edit is prose), the page was written by the first, third and fourth builds
    # (the fourth took the first one's entry from the disk), the search index kept it, and
    # the served page no longer shows the sentence.
    assert (project / "runs.txt").read_text() == "x" and (tmp_path / "cache").is_dir()
    assert done.stdout.split() == ["indexed"] * 4 + ["True", "True", "True", "False"]


@pytest.mark.slow  # two small builds on the command line
def test_mkdocs_build_on_the_command_line_runs_every_block(tmp_path):
    project = _project(tmp_path)
    env = _cache_env(tmp_path)
    mkdocs = Path(sys.executable).with_name("mkdocs")
    for _ in range(2):
        done = subprocess.run(
            [str(mkdocs), "build", "-q"], cwd=project, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    assert (project / "runs.txt").read_text() == "xx" and not (tmp_path / "cache").exists()
    assert not (tmp_path / "pages").exists()


def test_snippets_are_followed_into_the_sections_they_include(tmp_path):
    hook = load_hook("page_cache")
    (tmp_path / "en.md").write_text(
        'Prose.\n--8<-- [start:a]\n--8<-- "code.py"\n--8<-- [end:a]\n--8<-- "other.py"\n'
    )
    (tmp_path / "code.py").write_text("x = 1\n")
    (tmp_path / "other.py").write_text("y = 2\n")
    found = hook.snippet_sections('Text.\n\n--8<-- "en.md:a"\n', base=tmp_path)
    # other.py is included by en.md, but outside the section the page takes.
    assert found == {(tmp_path / "en.md").resolve(): {"a"}, (tmp_path / "code.py").resolve(): {""}}


def test_only_an_edit_inside_an_included_section_counts(tmp_path, monkeypatch):
    hook = load_hook("page_cache")
    english = tmp_path / "en.md"
    english.write_text("Prose.\n<!-- --8<-- [start:a] -->\nshared\n<!-- --8<-- [end:a] -->\n")
    found = hook.snippet_sections('--8<-- "en.md:a"\n', base=tmp_path)
    digest = hook.sections_digest(english.resolve(), found[english.resolve()])
    monkeypatch.setattr(hook, "dependencies", {"ko/page.md": {english.resolve(): ({"a"}, digest)}})
    english.write_text(english.read_text().replace("Prose.", "Prose, edited."))
    assert not hook.included_changed(english)
    english.write_text(english.read_text().replace("shared", "shared, edited"))
    assert hook.included_changed(english)


def test_a_page_key_changes_with_its_markdown_and_what_it_includes(tmp_path):
    hook = load_hook("page_cache")
    snippet = (tmp_path / "en.md").resolve()
    key = hook.page_key("g", "ko/page.md", "Text.", {snippet: "d1"})
    assert hook.page_key("g", "ko/page.md", "Text.", {snippet: "d1"}) == key
    assert hook.page_key("g", "ko/page.md", "Text, edited.", {snippet: "d1"}) != key
    assert hook.page_key("g2", "ko/page.md", "Text.", {snippet: "d1"}) != key
    assert hook.page_key("g", "ko/page.md", "Text.", {snippet: "d2"}) != key


def test_the_three_caches_name_a_state_of_their_inputs_with_one_hash(tmp_path, monkeypatch):
    blocks, notebooks = load_hook("exec_cache"), load_hook("notebook_execution")
    for hook in (blocks, notebooks):
        monkeypatch.setattr(hook, "ROOT", tmp_path)
    (tmp_path / "src" / "__pycache__").mkdir(parents=True)
    (tmp_path / "src" / "layer.py").write_text("W = 1\n")
    inputs = [tmp_path / "src", tmp_path / "requirements.lock"]  # the lock file is missing
    before = blocks.inputs_hash(inputs)
    assert notebooks.inputs_hash(inputs) == before and len(before) == 16
    (tmp_path / "src" / "__pycache__" / "layer.pyc").write_bytes(b"compiled")  # not an input
    assert blocks.inputs_hash(inputs) == before
    (tmp_path / "requirements.lock").write_text("numpy==2.0.0\n")
    assert blocks.inputs_hash(inputs) != before
    assert notebooks.inputs_hash(inputs) == blocks.inputs_hash(inputs)


@pytest.mark.parametrize("helper", ["_hashing", "_serve_shortcuts"])
def test_the_helpers_examples_hold(helper):
    import doctest

    assert doctest.testmod(load_hook(helper)).failed == 0


@pytest.fixture
def shortcuts():
    """hooks/_serve_shortcuts.py installed as in serve mode, and taken away after the test."""
    hook = load_hook("_serve_shortcuts")
    hook.install()
    yield hook
    hook.uninstall()


def _search_page(content: str):
    from types import SimpleNamespace

    return SimpleNamespace(url="layers/", title="Layers", meta={}, toc=[], content=content)


def test_a_pages_search_entries_are_parsed_again_only_when_its_html_changes(shortcuts):
    from material.plugins.search.plugin import SearchIndex

    def index(content: str) -> list[dict]:
        built = SearchIndex()
        built.add_entry_from_context(_search_page(content))
        return built.entries

    first = index('<h1 id="a">Layers</h1><p>Forward and backward.</p>')
    again = index('<h1 id="a">Layers</h1><p>Forward and backward.</p>')
    assert again == first and shortcuts.stats == {"search_hits": 1, "search_parsed": 1}
    edited = index('<h1 id="a">Layers</h1><p>Forward, then backward.</p>')
    assert shortcuts.stats["search_parsed"] == 2
    assert "then" in edited[0]["text"] and "then" not in first[0]["text"]


def test_a_markdown_file_is_read_by_jupytext_again_only_when_it_changes(
    shortcuts, tmp_path, monkeypatch
):
    from types import SimpleNamespace

    import mkdocs_jupyter.plugin as jupyter

    reads: list[str] = []
    read = jupyter.jupytext.read
    monkeypatch.setattr(jupyter.jupytext, "read", lambda path: reads.append(path) or read(path))
    plugin = jupyter.Plugin()
    plugin.load_config({"include": ["*.md"]})
    page = tmp_path / "page.md"
    page.write_text("# A page\n")
    file = SimpleNamespace(abs_src_path=str(page))
    assert [plugin.should_include(file) for _ in range(3)] == [False] * 3 and len(reads) == 1
    kernel = "  kernelspec:\n    display_name: Python 3\n    language: python\n    name: python3\n"
    page.write_text(f"---\njupyter:\n{kernel}---\n\n# A notebook\n")
    assert plugin.should_include(file) and len(reads) == 2


def test_search_entries_saved_by_one_serve_are_reused_by_the_next_under_the_same_environment(
    shortcuts, tmp_path
):
    from material.plugins.search.plugin import SearchIndex

    page = _search_page('<h1 id="a">Layers</h1><p>Forward and backward.</p>')
    SearchIndex().add_entry_from_context(page)
    saved = tmp_path / "search.json"
    shortcuts.save_search(saved, "environment-1")
    for environment, parsed in [("environment-2", 1), ("environment-1", 0)]:
        shortcuts.uninstall()  # a new process: nothing in memory
        shortcuts.install()
        shortcuts.stats.update(search_hits=0, search_parsed=0)
        shortcuts.load_search(saved, environment)
        SearchIndex().add_entry_from_context(page)
        assert shortcuts.stats["search_parsed"] == parsed
    # Another search setting (here: the language) is another key: the page is parsed again.
    SearchIndex(lang=["en", "ko"]).add_entry_from_context(page)
    assert shortcuts.stats["search_parsed"] == 1


def _count_compiles(monkeypatch) -> list[str]:
    """The names of the templates Jinja compiles from now on, in order (a list that grows)."""
    import jinja2

    compiled: list[str] = []
    compile_ = jinja2.Environment.compile

    def counting(env, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return compile_(env, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return compiled


def test_a_template_compiled_by_one_serve_is_loaded_by_the_next(shortcuts, monkeypatch, tmp_path):
    import jinja2

    compiled = _count_compiles(monkeypatch)
    templates = {"page.html": "x = {{ x }}"}

    def render() -> str:  # each time a new cache object, as a new process makes
        cache = shortcuts._bytecode_cache(tmp_path / "templates")
        env = jinja2.Environment(loader=jinja2.DictLoader(templates), bytecode_cache=cache)
        return env.get_template("page.html").render(x=1)

    assert [render(), render()] == ["x = 1", "x = 1"] and compiled == ["page.html"]
    templates["page.html"] = "x is {{ x }}"
    assert render() == "x is 1" and compiled == ["page.html"] * 2


def test_a_template_is_compiled_again_only_when_its_source_changes(shortcuts, monkeypatch):
    import jinja2

    compiled = _count_compiles(monkeypatch)
    cache, templates = shortcuts._bytecode_cache(), {"page.html": "x = {{ x }}"}

    def render() -> str:
        env = jinja2.Environment(loader=jinja2.DictLoader(templates), bytecode_cache=cache)
        return env.get_template("page.html").render(x=1)

    assert [render(), render()] == ["x = 1", "x = 1"] and compiled == ["page.html"]
    templates["page.html"] = "x is {{ x }}"
    assert render() == "x is 1" and compiled == ["page.html"] * 2


def test_the_build_command_installs_no_shortcut():
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.theme import Theme
    from mkdocs_jupyter.plugin import Plugin

    pages = load_hook("page_cache")
    pages.on_startup(command="build", dirty=False)
    for function in (SearchIndex.add_entry_from_context, Theme.get_env, Plugin.should_include):
        assert not hasattr(function, "serve_shortcut")


def test_the_theme_files_are_the_same_and_the_installed_theme_is_listed_once(
    shortcuts, tmp_path, monkeypatch
):
    import jinja2
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Page\n")
    (tmp_path / "overrides" / "assets").mkdir(parents=True)
    (tmp_path / "overrides" / "assets" / "own.js").write_text("// own\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: material\n  custom_dir: overrides\n"
    )
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    env = config.theme.get_env()
    listed: list[str] = []
    list_templates = jinja2.FileSystemLoader.list_templates

    def counting(loader):
        listed.extend(loader.searchpath)
        return list_templates(loader)

    def theme_files(add) -> list[str]:
        files = Files([])
        add(files, env, config)
        return sorted(f.src_uri for f in files)

    original = shortcuts._installed["theme files"][2]
    expected = theme_files(original)
    monkeypatch.setattr(jinja2.FileSystemLoader, "list_templates", counting)
    assert theme_files(Files.add_files_from_theme) == expected and "assets/own.js" in expected
    (tmp_path / "overrides" / "assets" / "added.js").write_text("// added\n")
    assert "assets/added.js" in theme_files(Files.add_files_from_theme)
    installed = [p for p in listed if shortcuts.installed(p)]
    overrides = [p for p in listed if not shortcuts.installed(p)]
    assert len(installed) == len(set(installed)) >= 1 and len(overrides) == 2
