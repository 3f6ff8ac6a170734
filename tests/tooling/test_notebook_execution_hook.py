"""hooks/notebook_execution.py: one output block per stream, a cache that follows the package."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.helpers import ROOT, load_hook


def _hook():
    return load_hook("notebook_execution")


def _config(cache_dir: Path):
    jupyter = SimpleNamespace(config={"cache": True, "cache_dir": str(cache_dir)})
    return SimpleNamespace(plugins={"mkdocs-jupyter": jupyter}), jupyter


def test_the_hash_changes_with_any_byte_of_the_inputs(tmp_path, monkeypatch):
    hook = _hook()
    monkeypatch.setattr(hook, "ROOT", tmp_path)
    package = tmp_path / "pkg"
    (package / "data").mkdir(parents=True)
    (package / "a.py").write_text("x = 1\n", encoding="utf-8")
    (package / "data" / "d.npz").write_bytes(b"\x00\x01")
    lock = tmp_path / "requirements.lock"
    lock.write_text("numpy==2.0.0\n", encoding="utf-8")
    first = hook.inputs_hash([package, lock])
    assert first == hook.inputs_hash([package, lock]) and len(first) == 16
    (package / "data" / "d.npz").write_bytes(b"\x00\x02")
    second = hook.inputs_hash([package, lock])
    lock.write_text("numpy==2.0.1\n", encoding="utf-8")
    third = hook.inputs_hash([package, lock])
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "a.pyc").write_bytes(b"compiled")  # not an input
    assert len({first, second, third, hook.inputs_hash([package, lock])}) == 3


def test_the_cache_moves_to_a_folder_of_the_package_state(tmp_path, monkeypatch):
    monkeypatch.delenv("BACKPROP_BOOK_NOTEBOOK_CACHE", raising=False)
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "")  # restored after the test
    hook = _hook()
    base = tmp_path / "mkdocs-jupyter"
    (base / "0123456789abcdef").mkdir(parents=True)  # an older state of the package
    (base / "stale.json").write_text("{}", encoding="utf-8")  # the plugin's own flat layout
    config, jupyter = _config(base)
    hook.on_config(config)
    key = hook.inputs_hash()
    assert jupyter.config == {"cache": True, "cache_dir": str(base / key)}
    assert list(base.iterdir()) == []  # the plugin makes the folder when it writes


def test_the_nbconvert_settings_only_move_the_stream_merge_after_execution():
    from nbconvert import HTMLExporter

    settings = json.loads((ROOT / "hooks/jupyter/jupyter_nbconvert_config.json").read_text())
    ours = settings["HTMLExporter"]["default_preprocessors"]
    nbconvert_defaults = list(HTMLExporter().default_preprocessors)
    merge, execute = (
        f"nbconvert.preprocessors.{n}Preprocessor" for n in ("CoalesceStreams", "Execute")
    )
    assert sorted(ours) == sorted(nbconvert_defaults), "nbconvert's list changed: update ours"
    assert ours.index(merge) == ours.index(execute) + 1
    assert [p for p in ours if p != merge] == [p for p in nbconvert_defaults if p != merge]
    assert settings["CoalesceStreamsPreprocessor"] == {"enabled": True}


@pytest.mark.slow  # two kernels start (about 10 s)
def test_a_cell_printing_over_time_gives_one_output_block(tmp_path, monkeypatch):
    import nbformat
    from mkdocs_jupyter.nbconvert2 import nb2html

    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "/elsewhere")
    monkeypatch.setenv("BACKPROP_BOOK_NOTEBOOK_CACHE", "off")
    hook = _hook()
    hook.on_config(_config(tmp_path)[0])
    hook.on_config(_config(tmp_path)[0])  # a second build does not add the folder again
    paths = os.environ["JUPYTER_CONFIG_PATH"].split(os.pathsep)
    assert paths == [str(hook.JUPYTER_CONFIG), "/elsewhere"]
    code = "import time\nfor i in range(3):\n    print('line', i, flush=True)\n    time.sleep(0.4)"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    path = tmp_path / "lab.ipynb"
    nbformat.write(notebook, path)
    merged = nb2html(str(path), execute=True, allow_errors=False)
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "/elsewhere")  # without the settings
    split = nb2html(str(path), execute=True, allow_errors=False)
    assert merged.count("<pre>line ") == 1 and "<pre>line 0\nline 1\nline 2\n</pre>" in merged
    assert split.count("<pre>line ") == 3  # the kernel sent the printout in three messages


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKPROP_BOOK_NOTEBOOK_CACHE", "off")
    config, jupyter = _config(tmp_path / "mkdocs-jupyter")
    _hook().on_config(config)
    assert jupyter.config["cache"] is False


def test_both_editions_use_the_hook():
    for name in ("mkdocs.yml", "mkdocs.ko.yml"):
        assert "- hooks/notebook_execution.py" in (ROOT / name).read_text(encoding="utf-8"), name
