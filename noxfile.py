"""The package's unit tests and doctests on every Python it claims: ``make matrix``.

Each session is a fresh virtual environment (made by uv) synced from ``requirements.lock``,
which is resolved for Python 3.10 and newer, with the package installed in editable mode. The
built-site tests are left out (``-m "not site"``): they need the built book, whose toolchain
(Material 9.8) runs on Python 3.11 and newer, and ``make test`` runs them.

Interpreters are found on ``PATH``; pyenv's are added to it when pyenv is installed, and uv is
never allowed to download one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nox

# Must match the classifiers and requires-python in pyproject.toml (tests/tooling/test_release.py checks).
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]

nox.options.default_venv_backend = "uv"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["unit"]
os.environ["UV_PYTHON_DOWNLOADS"] = "never"


def _pyenv_bins() -> list[str]:
    """The ``bin`` folders of the CPython 3 interpreters pyenv has installed."""
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return []
    root = Path(subprocess.run([pyenv, "root"], capture_output=True, text=True).stdout.strip())
    return [str(p / "bin") for p in sorted((root / "versions").glob("3.*")) if (p / "bin").is_dir()]


os.environ["PATH"] = os.pathsep.join([*_pyenv_bins(), os.environ["PATH"]])


# --seed: pip in each environment, as in a venv made by python -m venv (the release test uses it)
@nox.session(python=PYTHONS, venv_params=["--seed"])
def unit(session: nox.Session) -> None:
    """Unit tests and doctests, on both cores (``nox -s unit-3.10 -- -k sigmoid`` to narrow)."""
    session.install("-r", "requirements.lock")
    session.install("--no-deps", "-e", ".")
    session.run("python", "-c", "import sys, numpy; print(sys.version, 'numpy', numpy.__version__)")
    session.run("pytest", "-m", "not site", "-q", "-n", "auto", *session.posargs)
