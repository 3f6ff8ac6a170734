"""hooks/korean_edition.py: the Korean edition is built alongside and lands in <site>/ko."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from tests.helpers import load_hook


def _hook():
    return load_hook("korean_edition")


class _Finished:
    """A stand-in for the build process, already ended with ``returncode``."""

    def __init__(self, returncode: int) -> None:
        self.returncode = returncode
        self.killed = False

    def wait(self) -> int:
        return self.returncode

    def kill(self) -> None:
        self.killed = True


def _built(tmp_path: Path) -> Path:
    out = tmp_path / "korean-build"
    out.mkdir()
    (out / "index.html").write_text("<html lang=ko>", encoding="utf-8")
    return out


def test_a_finished_build_replaces_the_korean_folder(tmp_path):
    hook, site = _hook(), tmp_path / "site"
    (site / "ko").mkdir(parents=True)
    (site / "ko" / "old.html").write_text("from an earlier build", encoding="utf-8")
    hook._job = (_Finished(0), _built(tmp_path))
    hook.on_post_build({"site_dir": str(site)})
    assert sorted(p.name for p in (site / "ko").iterdir()) == ["index.html"]
    assert not (tmp_path / "korean-build").exists() and hook._job is None


def test_a_failed_korean_build_fails_the_build(tmp_path):
    hook, site = _hook(), tmp_path / "site"
    hook._job = (_Finished(1), _built(tmp_path))
    with pytest.raises(PluginError, match=r"Korean edition \(mkdocs.ko.yml\) failed"):
        hook.on_post_build({"site_dir": str(site)})
    assert not (tmp_path / "korean-build").exists() and not (site / "ko").exists()


def test_an_english_build_error_stops_the_korean_build(tmp_path):
    hook, process = _hook(), _Finished(0)
    hook._job = (process, _built(tmp_path))
    hook.on_build_error(error=RuntimeError("English page failed"))
    assert process.killed and hook._job is None and not (tmp_path / "korean-build").exists()


def test_the_korean_build_does_not_start_itself(monkeypatch):
    hook = _hook()
    monkeypatch.setenv("BACKPROP_BOOK_BUILDING_KOREAN", "1")
    hook.on_pre_build({"strict": True})
    assert hook._job is None


def test_bytecode_goes_to_the_cache_folder_when_make_turns_it_off(monkeypatch):
    import sys

    hook = _hook()
    monkeypatch.setattr(sys, "pycache_prefix", None)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.delenv("PYTHONPYCACHEPREFIX", raising=False)
    hook._keep_bytecode()
    prefix = str(hook.ROOT / ".cache" / "pycache")
    assert "PYTHONDONTWRITEBYTECODE" not in os.environ
    assert os.environ["PYTHONPYCACHEPREFIX"] == sys.pycache_prefix == prefix
    assert sys.dont_write_bytecode is False


def test_bytecode_settings_are_left_alone_otherwise(monkeypatch):
    import sys

    hook = _hook()
    monkeypatch.setattr(sys, "pycache_prefix", None)
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    monkeypatch.delenv("PYTHONPYCACHEPREFIX", raising=False)
    hook._keep_bytecode()
    assert sys.pycache_prefix is None and "PYTHONPYCACHEPREFIX" not in os.environ
