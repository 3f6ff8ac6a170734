"""Release gate: the package builds into a wheel and an sdist that install and import.

``python -m build`` makes both into a temporary folder (offline with ``--no-isolation`` when
hatchling is installed, else in build's own isolated environment); ``twine check`` passes;
``wheel_problems`` finds nothing (every module and every bundled data file of
``src/backprop_book`` is inside, and the metadata version is ``backprop_book.__version__``,
whose one home is ``src/backprop_book/__init__.py``); the wheel installs with
``pip --no-deps --no-index`` into a fresh venv (``--without-pip``; the test environment's pip
installs into it) that borrows numpy and matplotlib from the
test environment, and imports from there with its bundled digits. A doctored copy of the wheel
without its data file is caught. The release workflow's own smoke step (read from
``.github/workflows/release.yml``) runs in such a venv too: it passes for the tag
``v<__version__>`` and fails for any other tag.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
import yaml

import backprop_book
from tests.helpers import ROOT

PACKAGE = ROOT / "src" / "backprop_book"
REQUIRED = ["backprop_book/data/digits.npz", "backprop_book/py.typed"]

pytestmark = pytest.mark.slow


def expected_files(package: Path = PACKAGE) -> set[str]:
    """Paths a wheel must hold: every module, data file and marker of the source package."""
    files = set(REQUIRED)
    for path in package.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files.add(f"backprop_book/{path.relative_to(package).as_posix()}")
    return files


def wheel_problems(wheel_path: Path, version: str = backprop_book.__version__) -> list[str]:
    """What is wrong with a wheel: missing files, a wrong version, no metadata ([] if fine)."""
    problems = []
    with zipfile.ZipFile(wheel_path) as wheel:
        names = set(wheel.namelist())
        for missing in sorted(expected_files() - names):
            problems.append(f"{Path(wheel_path).name} lacks {missing}")
        metadata = [n for n in names if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        if len(metadata) != 1:
            return [*problems, f"{Path(wheel_path).name}: {len(metadata)} METADATA files"]
        meta = Parser().parsestr(wheel.read(metadata[0]).decode("utf-8"))
        if meta["Version"] != version:
            problems.append(f"metadata version {meta['Version']} != __version__ {version}")
        if meta["Name"].replace("_", "-").lower() != "backprop-book":
            problems.append(f"metadata name {meta['Name']!r}")
    return problems


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    offline = importlib.util.find_spec("hatchling") is not None
    command = [sys.executable, "-m", "build", "--outdir", str(out)]
    done = subprocess.run(
        [*command, "--no-isolation"] if offline else command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return out


def _one(dist: Path, pattern: str) -> Path:
    found = sorted(dist.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {dist}, found {found}"
    return found[0]


def test_build_makes_a_wheel_and_an_sdist_that_twine_accepts(dist):
    wheel = _one(dist, "backprop_book-*.whl")
    sdist = _one(dist, "backprop_book-*.tar.gz")
    assert backprop_book.__version__ in wheel.name and backprop_book.__version__ in sdist.name
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_wheel_holds_every_module_and_the_data(dist):
    assert wheel_problems(_one(dist, "backprop_book-*.whl")) == []


def test_the_sdist_holds_the_data_and_the_changelog(dist):
    import tarfile

    with tarfile.open(_one(dist, "backprop_book-*.tar.gz")) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    assert "src/backprop_book/data/digits.npz" in names
    assert {"README.md", "LICENSE", "CHANGELOG.md", "pyproject.toml"} <= names


def test_the_version_has_one_home():
    init = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    assert re.findall(r"^__version__ = \"([^\"]+)\"$", init, re.M) == [backprop_book.__version__]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject and "\nversion =" not in pyproject
    assert 'path = "src/backprop_book/__init__.py"' in pyproject


def install_in_fresh_venv(wheel: Path, venv: Path) -> Path:
    """Install ``wheel`` alone into a new venv at ``venv``; return that venv's python."""
    # No pip inside (ensurepip is slow): the test environment's pip installs into it.
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300
    )
    python = venv / "bin" / "python"
    # numpy and matplotlib come from the test environment, after the venv's own packages;
    # a .pth line is not a site dir, so the editable install of the work tree stays out.
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    borrowed = sysconfig.get_paths()["purelib"]
    Path(purelib, "borrowed_from_test_env.pth").write_text(borrowed + "\n", encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install"]
    install = subprocess.run(
        [*pip, "--no-deps", "--no-index", "--no-compile", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return python


@pytest.fixture(scope="module")
def installed(dist, tmp_path_factory) -> Path:
    """A fresh venv at ``<folder>/venv`` holding the built wheel alone; returns ``<folder>``.

    Made once for the two tests that only run its python (they never install into it).
    """
    folder = tmp_path_factory.mktemp("installed")
    install_in_fresh_venv(_one(dist, "backprop_book-*.whl"), folder / "venv")
    return folder


def test_the_wheel_installs_and_imports_in_a_fresh_venv(installed, tmp_path):
    venv = installed / "venv"
    python = venv / "bin" / "python"
    probe = (
        "import json, backprop_book; "
        "from importlib.resources import files; "
        "train, test = backprop_book.load_digits(); "
        "print(json.dumps({'file': backprop_book.__file__, 'version': backprop_book.__version__,"
        " 'data': files('backprop_book').joinpath('data/digits.npz').is_file(),"
        " 'n': len(train[0]) + len(test[0])}))"
    )
    done = subprocess.run(
        [str(python), "-c", probe],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(seen["file"]).is_relative_to(venv), seen  # the wheel's copy, not the work tree
    assert seen["version"] == backprop_book.__version__
    assert seen["data"] is True
    assert seen["n"] == 1797  # the size of the UCI test set the package bundles (its docstring)


def test_a_wheel_without_its_data_file_is_caught(dist, tmp_path):
    wheel = _one(dist, "backprop_book-*.whl")
    doctored = tmp_path / wheel.name
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(doctored, "w") as target:
        for item in source.infolist():
            if not item.filename.endswith("data/digits.npz"):
                target.writestr(item, source.read(item.filename))
    # Compared with the intact wheel's own problems (none, unless a module was added to
    # src/ after the build): the doctored copy has exactly one more.
    added = set(wheel_problems(doctored)) - set(wheel_problems(wheel))
    assert added == {f"{wheel.name} lacks backprop_book/data/digits.npz"}
    assert wheel_problems(wheel, version="9.9.9") == [
        f"metadata version {backprop_book.__version__} != __version__ 9.9.9"
    ]


def _release_smoke_step() -> str:
    """The shell of the release workflow's step that imports the installed wheel."""
    release = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    )
    steps = [
        step["run"]
        for job in release["jobs"].values()
        for step in job.get("steps", [])
        if "import backprop_book" in step.get("run", "")
    ]
    assert len(steps) == 1, "release.yml should have one step that imports the wheel"
    assert '"$RUNNER_TEMP/venv/bin/python"' in steps[0]
    return steps[0]


def test_the_release_workflow_smoke_step_passes_on_the_wheel_for_its_own_tag(installed, tmp_path):
    python = installed / "venv" / "bin" / "python"
    step = _release_smoke_step()

    def smoke(tag: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["bash", "-c", step],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            cwd=tmp_path,  # as in the workflow: no source tree to import from by mistake
            env={**os.environ, "RUNNER_TEMP": str(installed), "GITHUB_REF_NAME": tag},
        )

    assert python.is_file()
    done = smoke(f"v{backprop_book.__version__}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"backprop_book {backprop_book.__version__} from {installed / 'venv'}" in done.stdout
    assert "bundled digits: 1797" in done.stdout
    wrong = smoke("v9.9.9")
    assert wrong.returncode != 0 and "AssertionError: ('v9.9.9'" in wrong.stderr, wrong.stderr
