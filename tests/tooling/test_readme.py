"""The README's tour runs as written (its ``>>>`` lines are doctests)."""

import doctest

from tests.helpers import ROOT

README = ROOT / "README.md"


def test_readme_tour_runs():
    result = doctest.testfile(str(README), module_relative=False, verbose=False)
    assert result.attempted >= 5, "the README tour lost its examples"
    assert result.failed == 0


def test_readme_shows_the_two_commands_and_pip_install():
    text = README.read_text(encoding="utf-8")
    first_screen = "\n".join(text.splitlines()[:25])
    for command in ("make serve", "make test", "pip install"):
        assert command in first_screen, command
