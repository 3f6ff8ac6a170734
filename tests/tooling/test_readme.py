"""The README's tour runs as written (its ``>>>`` lines are doctests)."""

import doctest
import re

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


def test_the_module_table_names_every_module_of_each_part():
    """The README's table of parts lists each part's modules: a new module is added to it."""
    text = README.read_text(encoding="utf-8")
    package = ROOT / "src" / "backprop_book"
    for part in sorted(p.name for p in package.iterdir() if (p / "__init__.py").is_file()):
        row = next((line for line in text.splitlines() if f"| `{part}`: " in line), "")
        assert row, f"the README's table has no row for {part}"
        listed = set(re.findall(r"`(\w+)`", row.split(f"`{part}`: ", 1)[1]))
        modules = {p.stem for p in (package / part).glob("*.py") if not p.stem.startswith("_")}
        assert listed == modules, (
            f"{part}: README lists {sorted(listed)}, the package has {sorted(modules)}"
        )
