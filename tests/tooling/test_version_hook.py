"""hooks/version.py: the version and commit the docs show, one commit for both editions."""

from __future__ import annotations

import re

import backprop_book
from tests.helpers import load_hook


def _hook():
    return load_hook("version")


def _config():
    return {"extra": {"social": [{"link": "https://github.com/backprop-book/backprop_book"}]}}


def test_the_version_is_the_packages(tmp_path):
    assert _hook().package_version() == backprop_book.__version__
    init = tmp_path / "__init__.py"
    init.write_text('"""Doc."""\n\n__version__ = "9.8.7"\n', encoding="utf-8")
    assert _hook().package_version(init) == "9.8.7"


def test_outer_build_sets_the_commit_for_the_nested_one_and_clears_it(monkeypatch):
    monkeypatch.delenv("BACKPROP_BOOK_BUILD_COMMIT", raising=False)
    outer, nested = _hook(), _hook()
    config = outer.on_config(_config())
    sha = config["extra"]["book_build"]["commit_url"].rsplit("/", 1)[1]
    assert re.fullmatch(r"[0-9a-f]{40}", sha)
    assert config["extra"]["book_build"]["commit"] == sha[:7]
    monkeypatch.setattr(nested, "git_commit", lambda root=None: "f" * 40)  # a later commit
    assert nested.on_config(_config())["extra"]["book_build"]["commit"] == sha[:7]
    nested.on_post_build(_config())
    assert outer.os.environ["BACKPROP_BOOK_BUILD_COMMIT"] == sha  # the nested build keeps it
    outer.on_post_build(_config())
    assert "BACKPROP_BOOK_BUILD_COMMIT" not in outer.os.environ


def test_outside_git_there_is_no_commit(monkeypatch, tmp_path):
    monkeypatch.delenv("BACKPROP_BOOK_BUILD_COMMIT", raising=False)
    hook = _hook()
    assert hook.git_commit(tmp_path) is None
    monkeypatch.setattr(hook, "git_commit", lambda root=None: None)
    build = hook.on_config(_config())["extra"]["book_build"]
    assert build == {"version": backprop_book.__version__, "commit": None, "commit_url": None}
