"""The package imports quietly and quickly, and says its version."""

import subprocess
import sys

import backprop_book


def test_version_is_a_string():
    assert backprop_book.__version__.count(".") == 2


def test_import_prints_nothing():
    done = subprocess.run(
        [sys.executable, "-c", "import backprop_book"], capture_output=True, text=True, check=True
    )
    assert done.stdout == "" and done.stderr == ""


def test_all_names_exist():
    for name in backprop_book.__all__:
        assert hasattr(backprop_book, name), name


def test_import_is_light():
    """matplotlib and tqdm load only when a plot or a progress bar is asked for."""
    code = "import sys, backprop_book; print('matplotlib' in sys.modules, 'tqdm' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
