"""The API reference documents every module of the package, on its part's page, in both editions.

``docs/reference/<part>.md`` has one ``::: backprop_book.<part>.<module>`` line per module of
``src/backprop_book/<part>/`` (a module can also be listed object by object, as
``backprop_book.training.two_layer_net`` is, to show the source of one class only);
``docs/reference/tools.md`` has the modules beside the parts (``checks``, ``cli``). A Korean
reference page does not list them again: it includes its English twin's ``api`` section, so
both editions show the same generated API. The strict build already fails on a ``:::`` line
that names nothing; this test fails on a module that no line names, such as a module just split
out of another one.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers import DOCS, ROOT

PACKAGE = ROOT / "src" / "backprop_book"
REFERENCE = DOCS / "reference"
PARTS = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
IDENTIFIER = re.compile(r"^::: (backprop_book[\w.]*)$", re.M)


def documented(part: str) -> set[str]:
    """The identifiers of the ``:::`` lines of a part's reference pages.

    A part is on ``docs/reference/<part>.md``, and a large one also on pages named
    ``<part>-<topic>.md`` (``training-data.md``).
    """
    pages = [REFERENCE / f"{part}.md", *sorted(REFERENCE.glob(f"{part}-*.md"))]
    return {i for page in pages for i in IDENTIFIER.findall(page.read_text(encoding="utf-8"))}


def modules(folder) -> list[str]:
    """The dotted names of the public modules in a folder of the package."""
    dotted = folder.relative_to(PACKAGE.parent).as_posix().replace("/", ".")
    names = sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_"))
    return [f"{dotted}.{name}" for name in names]


def test_the_package_has_the_books_parts():
    assert PARTS == ["deeper", "graphs", "layers", "models", "training"]


@pytest.mark.parametrize("part", [*PARTS, "tools"])
def test_every_module_is_on_its_reference_page(part):
    folder = PACKAGE / part if part != "tools" else PACKAGE
    listed = documented(part)
    missing = [
        m for m in modules(folder) if not any(i == m or i.startswith(m + ".") for i in listed)
    ]
    assert not missing, f"docs/reference/{part}*.md have no ::: line for {missing}"


def test_each_korean_reference_page_includes_the_english_api():
    pages = sorted(p.name for p in REFERENCE.glob("*.md"))
    assert sorted(p.name for p in (DOCS / "ko" / "reference").glob("*.md")) == pages
    for name in pages:
        english = (REFERENCE / name).read_text(encoding="utf-8")
        korean = (DOCS / "ko" / "reference" / name).read_text(encoding="utf-8")
        assert "<!-- --8<-- [start:api] -->" in english, name
        assert f'--8<-- "docs/reference/{name}:api"' in korean, name
        assert not IDENTIFIER.search(korean), f"ko/reference/{name}: include the English api"
