"""scripts/serve.py: which edition an edit rebuilds, and one address for both editions."""

from __future__ import annotations

import doctest
import socket
import time
import urllib.request

import pytest

from tests.helpers import DOCS, ROOT, load_hook, load_script


@pytest.fixture(scope="module")
def serve():
    return load_script("serve")


@pytest.mark.parametrize(
    ("path", "english"),
    [
        (DOCS / "layers" / "affine-softmax.md", True),
        (ROOT / "src" / "backprop_book" / "layers" / "affine.py", True),
        (ROOT / "mkdocs.yml", True),
        (DOCS / "ko" / "layers" / "affine-softmax.md", False),
        (ROOT / "mkdocs.ko.yml", False),
        (ROOT / "src" / "backprop_book" / "__pycache__" / "x.pyc", False),
    ],
)
def test_the_english_build_follows_only_its_own_inputs(serve, path, english):
    assert serve.english_ignores(path) is not english


def test_the_korean_build_follows_its_pages_their_snippets_and_the_code(serve):
    included = (DOCS / "layers" / "affine-softmax.md").resolve()
    snippets = {included}
    assert serve.korean_watches(DOCS / "ko" / "layers" / "affine-softmax.md", snippets)
    assert serve.korean_watches(included, snippets)
    assert serve.korean_watches(ROOT / "src" / "backprop_book" / "checks.py", snippets)
    assert serve.korean_watches(ROOT / "mkdocs.ko.yml", snippets)
    assert serve.korean_watches(DOCS / "notebooks" / "graphs-lab.ipynb", snippets)
    # An English page no Korean page includes is the English edition's alone.
    assert not serve.korean_watches(DOCS / "layers" / "simple-layers.md", snippets)


def test_a_snapshot_sees_added_modified_and_removed_files(serve, tmp_path):
    kept, edited, removed = (tmp_path / n for n in ("kept.md", "edited.md", "removed.md"))
    for path in (kept, edited, removed):
        path.write_text("one\n")
    before = serve.snapshot([tmp_path])
    edited.write_text("two, longer\n")
    removed.unlink()
    (tmp_path / "added.md").write_text("new\n")
    found = serve.changed(before, serve.snapshot([tmp_path]))
    assert found == {p.resolve() for p in (edited, removed, tmp_path / "added.md")}


def test_the_korean_hook_stands_aside_when_the_server_builds_korean(monkeypatch):
    hook = load_hook("korean_edition")
    monkeypatch.delenv("BACKPROP_BOOK_BUILDING_KOREAN", raising=False)
    monkeypatch.setenv(hook.APART, "1")
    hook.on_pre_build({"strict": True})
    assert hook._job is None


def test_one_address_serves_both_editions_and_a_korean_build_reloads(serve, tmp_path):
    english, korean = tmp_path / "en", tmp_path / "ko-root"
    (english).mkdir()
    (korean / "ko").mkdir(parents=True)
    (english / "index.html").write_text("<html lang=en><body>English</body></html>")
    (korean / "ko" / "index.html").write_text("<html lang=ko><body>한국어</body></html>")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = serve._server_class()(
        builder=lambda: None,
        host="127.0.0.1",
        port=port,
        root=str(english),
        mount_path="/book/",
        korean_root=str(korean),
    )
    server.server_bind()
    server.server_activate()
    server.serve_thread.start()
    try:
        base = f"http://127.0.0.1:{port}/book/"
        assert "English" in urllib.request.urlopen(base, timeout=10).read().decode()
        assert "한국어" in urllib.request.urlopen(base + "ko/", timeout=10).read().decode()
        epoch = server._visible_epoch
        server.korean_built()
        assert server._visible_epoch > epoch and server._wanted_epoch == server._visible_epoch
    finally:
        server.shutdown()


def _server(serve, tmp_path, **options):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = tmp_path / "site"
    root.mkdir(exist_ok=True)
    return serve._server_class()(
        builder=lambda: None,
        host="127.0.0.1",
        port=port,
        root=str(root),
        korean_root=str(root),
        **options,
    )


def test_the_server_hears_of_an_edit_from_the_system_and_not_of_a_read(serve, tmp_path):
    import watchdog.observers.polling

    docs = tmp_path / "docs"
    docs.mkdir()
    read, edited = docs / "read.md", docs / "edited.md"
    for path in (read, edited):
        path.write_text("# A page\n")
    server = _server(serve, tmp_path, polling=False)
    assert not isinstance(server.observer, watchdog.observers.polling.PollingObserver)
    server.watch_filtered(str(docs), lambda path: path.suffix == ".tmp")
    server.observer.start()
    try:
        read.read_text()  # a build reads every page: opened, closed without writing
        (docs / "draft.tmp").write_text("ignored")
        edited.write_text("# A page, edited\n")
        with server._rebuild_cond:  # wait for the event (the system delivers it, no scan)
            assert server._rebuild_cond.wait_for(lambda: edited.resolve() in server.changes, 30)
        time.sleep(0.2)  # any late event of the read would be in by now
        assert server.take_changes() == [str(edited.resolve())] and server.changes == set()
    finally:
        server.observer.stop()
        server.observer.join()


def test_poll_keeps_mkdocs_scan_of_the_folders(serve, tmp_path):
    import watchdog.observers.polling

    server = _server(serve, tmp_path, polling=True)
    assert isinstance(server.observer, watchdog.observers.polling.PollingObserver)


def test_the_scripts_examples_hold(serve):
    # keep_bytecode's example sets the prefix of a dict, never of this process's environment.
    before = dict(serve.os.environ)
    assert doctest.testmod(serve).failed == 0
    assert dict(serve.os.environ) == before


def test_the_korean_watcher_and_the_builder_run_with_compiled_modules_kept(serve, monkeypatch):
    environ = {"PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin"}
    monkeypatch.setattr(serve.sys, "pycache_prefix", serve.sys.pycache_prefix)
    monkeypatch.setattr(serve.sys, "dont_write_bytecode", serve.sys.dont_write_bytecode)
    assert serve.keep_bytecode(environ)
    assert environ == {"PATH": "/usr/bin", "PYTHONPYCACHEPREFIX": str(ROOT / ".cache" / "pycache")}
    assert serve.sys.pycache_prefix == environ["PYTHONPYCACHEPREFIX"]
    assert not serve.keep_bytecode(environ)  # make's own prefix (or this one) is left alone
