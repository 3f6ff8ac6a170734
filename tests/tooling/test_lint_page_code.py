"""scripts/lint_page_code.py: ruff on the pages' Python, with findings placed on page lines."""

from __future__ import annotations

import doctest
import importlib.metadata
from pathlib import Path

import markdown
import pytest

from tests.helpers import ROOT, load_script

DOCS = ROOT / "docs"


lint = load_script("lint_page_code")


def _findings(tmp_path: Path, text: str) -> list[str]:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    return [f"{f.line}:{f.column}: {f.code}" for f in lint.lint_pages([page])]


def test_the_doctests():
    assert doctest.testmod(lint).failed == 0


def test_an_unused_import_is_found_on_its_page_line(tmp_path):
    text = (
        "# A page\n"
        "\n"
        '```python exec="on" result="text"\n'
        "import os\n"
        "\n"
        "print(1)\n"
        "```\n"
        "\n"
        '??? example "Indented, in an admonition"\n'
        "\n"
        '    ```python exec="on"\n'
        "    import sys\n"
        "    ```\n"
    )
    assert _findings(tmp_path, text) == ["4:8: F401", "12:12: F401"]
    [finding] = [f for f in lint.lint_pages([tmp_path / "page.md"]) if f.line == 4]
    assert str(finding) == f"{tmp_path / 'page.md'}:4:8: F401 `os` imported but unused"


def test_a_session_shares_names_and_keeps_its_blocks_import_groups(tmp_path):
    text = (
        '```python exec="on" session="a"\n'
        "import numpy as np\n"
        "\n"
        "x = np.zeros(3)\n"
        "```\n"
        "\n"
        '```python exec="on" session="a"\n'
        "import math\n"
        "\n"
        "print(x, math.pi)\n"  # x comes from the block above
        "```\n"
        "\n"
        '```python exec="on" session="b"\n'
        "print(x)\n"  # another session: x is not defined there
        "```\n"
        "\n"
        '```python exec="on"\n'
        "print(x)\n"  # no session: a namespace of its own
        "```\n"
    )
    assert _findings(tmp_path, text) == ["14:7: F821", "18:7: F821"]


def test_a_name_imported_in_a_session_and_never_used_is_unused(tmp_path):
    text = (
        '```python exec="on" session="a"\n'
        "import math\n"
        "```\n"
        '```python exec="on" session="a"\n'
        "print(1)\n"
        "```\n"
    )
    assert _findings(tmp_path, text) == ["2:8: F401"]


def test_embedded_code_is_context_not_a_finding_of_the_page(tmp_path):
    source = tmp_path / "source.md"
    long_line = "y = " + " + ".join(["x"] * 40)
    source.write_text(
        f'```python exec="on"\n# --8<-- [start:part]\nimport math\n\nx = 1\n{long_line}\n'
        "# --8<-- [end:part]\n```\n",
        encoding="utf-8",
    )
    text = (
        '```{.python notest title="src/backprop_book/graphs/value.py"}\n'  # an embed only: skipped
        '--8<-- "src/backprop_book/graphs/value.py:record"\n'
        "```\n"
        "\n"
        '```python exec="on" session="s"\n'
        f'--8<-- "{source}:part"\n'  # its long line and `math` are the source file's business
        "```\n"
        "\n"
        '```python exec="on" session="s"\n'
        "print(x, y)\n"  # x and y come from the embedded section
        "import os\n"
        "```\n"
    )
    assert _findings(tmp_path, text) == ["11:8: F401"]
    assert sorted(f.code for f in lint.lint_pages([source])) == ["E501", "F401"]


def test_block_snippets_are_refused_rather_than_misread(tmp_path):
    page = tmp_path / "page.md"
    page.write_text('```python exec="on"\n--8<--\nexamples/buy_apple.py\n--8<--\n```\n')
    with pytest.raises(lint.SnippetError, match="block snippets"):
        lint.lint_pages([page])


@pytest.mark.parametrize("page", sorted(DOCS.rglob("*.md")), ids=lambda p: str(p.relative_to(DOCS)))
def test_snippets_expand_as_in_the_build(page, monkeypatch):
    # The script follows pymdown-extensions 13, the lock's version wherever the book is built
    # (Python 3.11.5 and newer); the 3.10 unit-test session has 12.3, which builds no site.
    if int(importlib.metadata.version("pymdown-extensions").split(".")[0]) < 13:
        pytest.skip("the book is built with pymdown-extensions 13")
    monkeypatch.chdir(ROOT)  # base_path: ["."] in mkdocs.yml
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={
            "pymdownx.snippets": {
                "base_path": ["."],
                "check_paths": True,
                "dedent_subsections": True,
            }
        },
    )
    lines = page.read_text(encoding="utf-8").split("\n")
    assert [line.text for line in lint.expand(page)] == md.preprocessors["snippet"].run(lines)


@pytest.mark.parametrize("page", sorted(DOCS.rglob("*.md")), ids=lambda p: str(p.relative_to(DOCS)))
def test_the_pages_code_passes(page):
    findings = lint.lint_pages([page])
    assert not findings, "\n".join(map(str, findings))
