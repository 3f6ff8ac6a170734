"""hooks/edition_share.py: in one build, the two editions run each shared block once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from markdown_exec._internal.formatters import python

from tests.helpers import load_hook


@pytest.fixture
def share(tmp_path, monkeypatch):
    """The hook, on, with this build's folder made by this process."""
    import mkdocs.commands.build as build
    from nbconvert.preprocessors import ExecutePreprocessor

    originals = (python._run_python, ExecutePreprocessor.preprocess, build._populate_page)
    hook = load_hook("edition_share")
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "owner").write_text(str(os.getpid()))
    monkeypatch.setenv(hook.SHARE, str(folder))
    hook.on_startup(command="build")
    hook.on_pre_build(config={})
    assert hook._folder == folder
    saved = dict(hook._originals)
    yield hook
    hook._originals.update(saved)  # the tests put stand-ins there
    hook.on_shutdown()
    assert (python._run_python, ExecutePreprocessor.preprocess, build._populate_page) == originals


class _Runs:
    """A stand-in for markdown-exec's runner: records the code it runs."""

    def __init__(self, fail: bool = False) -> None:
        self.ran: list[tuple[str, str | None]] = []
        self.fail = fail

    def __call__(self, code: str, returncode=None, session=None, id=None, **extra) -> str:
        self.ran.append((code, session))
        if self.fail:
            raise RuntimeError("the block failed")
        return f"output of {code}"


def _other_edition(hook) -> None:
    """Forget what this process ran, as the other process of the build would."""
    hook._history.clear()
    hook._pending.clear()
    python._sessions_counter.clear()


def test_a_block_run_in_one_edition_is_taken_by_the_other(share):
    runs = share._originals["run"] = _Runs()
    share._page = "training/page.md"
    assert share.shared_run("a = 1", session="s") == "output of a = 1"
    _other_edition(share)
    assert share.shared_run("a = 1", session="s") == "output of a = 1"
    assert runs.ran == [("a = 1", "s")]
    assert share._stats["taken"] == 1 and share._stats["run"] == 1


def test_a_block_with_other_code_or_history_or_page_runs_again(share):
    runs = share._originals["run"] = _Runs()
    share._page = "training/page.md"
    share.shared_run("a = 1", session="s")
    share.shared_run("print(a)", session="s")
    _other_edition(share)
    share.shared_run("a = 2", session="s")  # other code
    share.shared_run("print(a)", session="s")  # same code, other history
    share._page = "training/other.md"
    share.shared_run("a = 1")  # other page
    assert [code for code, _ in runs.ran] == ["a = 1", "print(a)", "a = 2", "print(a)", "a = 1"]


def test_taken_blocks_run_first_when_a_later_block_of_their_session_runs(share):
    runs = share._originals["run"] = _Runs()
    share._page = "training/page.md"
    share.shared_run("a = 1", session="s")
    _other_edition(share)
    runs.ran.clear()
    share.shared_run("a = 1", session="s")  # taken: not run
    assert runs.ran == []
    share.shared_run("b = a + 1", session="s")  # must run: its session's state first
    assert runs.ran == [("a = 1", "s"), ("b = a + 1", "s")]


def test_a_failed_block_is_not_shared(share):
    share._originals["run"] = _Runs(fail=True)
    share._page = "training/page.md"
    with pytest.raises(RuntimeError, match="the block failed"):
        share.shared_run("1 / 0")
    runs = share._originals["run"] = _Runs()
    _other_edition(share)
    assert share.shared_run("1 / 0") == "output of 1 / 0"  # run again here, its own error
    assert runs.ran == [("1 / 0", None)]


def _page(uri: str):
    return SimpleNamespace(file=SimpleNamespace(src_uri=uri))


def _sleeper():
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])


def test_a_page_the_other_process_converts_is_put_off_and_waited_for(share):
    populated = []
    share._originals["populate"] = lambda page, config, files, dirty: populated.append(
        page.file.src_uri
    )
    other = _sleeper()
    try:
        path = share._claim_path("layers/busy.md")
        path.write_text(str(other.pid))  # claimed by a live process that is not done
        share.shared_populate(_page("layers/busy.md"), {}, None)
        share.shared_populate(_page("layers/free.md"), {}, None)
        assert populated == ["layers/free.md"] and share._stats["pages put off"] == 1
        assert share._claim_path("layers/free.md").read_text() == str(os.getpid())
        runs = share._originals["run"] = _Runs()
        share._page = "layers/busy.md"
        key = share._key("block", "layers/busy.md", "", [], "x = 1", [])

        def finish() -> None:  # the other process ends its block, then the page
            time.sleep(0.3)
            share._write(key, "from the other process")
            path.with_suffix(".done").touch()

        thread = threading.Thread(target=finish)
        thread.start()
        start = time.perf_counter()
        assert share._read(key, "layers/busy.md") == "from the other process"
        assert time.perf_counter() - start >= 0.25  # it waited
        thread.join()
        share.on_env(None, {}, None)
        assert populated == ["layers/free.md", "layers/busy.md"] and runs.ran == []
    finally:
        other.kill()
        other.wait()


def test_a_page_claimed_by_a_process_that_ended_is_not_waited_for(share):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    share._claim_path("layers/x.md").write_text(ended.stdout.strip())
    assert not share._busy("layers/x.md")
    assert share._read("0" * 64, "layers/x.md") is None


def test_it_stays_off_without_this_builds_folder(tmp_path, monkeypatch):
    hook = load_hook("edition_share")
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "owner").write_text("1")  # another process's folder (init is nobody's parent here)
    monkeypatch.setenv(hook.SHARE, str(folder))
    hook.on_startup(command="build")
    hook.on_pre_build(config={})
    assert hook._folder is None
    (folder / "owner").write_text(str(os.getpid()))
    hook.on_startup(command="serve")
    hook.on_pre_build(config={})
    assert hook._folder is None and python._run_python is not hook.shared_run
    monkeypatch.delenv(hook.SHARE)
    hook.on_startup(command="build")
    hook.on_pre_build(config={})
    assert hook._folder is None


def test_the_english_build_makes_a_new_folder_and_removes_it(monkeypatch):
    hook = load_hook("korean_edition")
    monkeypatch.delenv(hook.SHARE, raising=False)
    hook._start_sharing()
    folder = Path(os.environ[hook.SHARE])
    assert (folder / "owner").read_text() == str(os.getpid())
    assert sorted(p.name for p in folder.iterdir()) == ["owner"]  # nothing from earlier
    hook._stop_sharing()
    assert not folder.exists() and hook.SHARE not in os.environ
    monkeypatch.setenv(hook.SHARE, "off")
    hook._start_sharing()
    assert hook._share is None and os.environ[hook.SHARE] == "off"
