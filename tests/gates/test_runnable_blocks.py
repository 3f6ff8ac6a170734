"""The runnable blocks and exercises (graphs chapters, the sigmoid's graph, the graphs lab), in
Chromium, offline.

On every page with runnable blocks (``data-bp-run``, both editions), each block is run as a
reader would run it (Run, on the unedited code) and must print exactly what the build printed
for it on the page, and draw the figures the build drew (the same accessible name and text):
the browser runs the build's own ``backprop_book.graphs`` in Pyodide. That includes every code
cell of the graphs lab notebook, whose page the build marks runnable; its figures are
``display(SVG(...))`` there, which the build's kernel turned into images. An edited block prints
its new result and draws the figure it prints, and the blocks after it in its session follow
the edit; an error shows as a Python traceback in the output box, not on the console; each
exercise accepts the reference solution and rejects a wrong answer with its hint. No Pyodide
byte is fetched before the first Run, no request leaves 127.0.0.1 and the console stays clean.
Screenshots go to ``test-artifacts/screenshots/runner-*.png``. The Python runs in a Web Worker;
an endless loop, Stop and the time limit are ``test_runner_worker.py``'s.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# Each page with runnable blocks, and how many it has at least.
PAGES = {
    "graphs/computational-graphs/": 4,
    "graphs/chain-rule/": 4,
    "ko/graphs/computational-graphs/": 4,
    "ko/graphs/chain-rule/": 4,
    "layers/activation-layers/": 2,  # the sigmoid's graph: its figure and the walk through it
    "ko/layers/activation-layers/": 2,
    "notebooks/graphs-lab/": 10,  # every code cell of the lab
    "ko/notebooks/graphs-lab/": 10,
}
# The exercise on a page (``data-bp-exercise``), checked in the same visit as its blocks: a
# visit's first Run starts Pyodide, the costliest step of these tests.
EXERCISES = {
    "graphs/computational-graphs/": "mul_local",
    "graphs/chain-rule/": "bill_gradients",
    "ko/graphs/computational-graphs/": "mul_local",
    "ko/graphs/chain-rule/": "bill_gradients",
    "layers/activation-layers/": "sigmoid_local_grads",
    "ko/layers/activation-layers/": "sigmoid_local_grads",
}
EMPTY = ("(no output)", "(출력 없음)")  # runner.js's words for a run that printed nothing
PYODIDE = "/assets/pyodide/"
RUN_TIMEOUT_MS = 90_000  # the first Run loads about 13 MB of Pyodide on a shared 2-core machine

SOLUTIONS = {
    "mul_local": "def mul_local(x, y):\n    return y, x\n",
    "bill_gradients": (
        "def bill_gradients(apple, apple_count, orange, orange_count, tax):\n"
        "    return {'apple': tax * apple_count, 'apple_count': tax * apple,\n"
        "            'orange': tax * orange_count, 'orange_count': tax * orange,\n"
        "            'tax': apple * apple_count + orange * orange_count}\n"
    ),
    "sigmoid_local_grads": (
        "import math\n\n"
        "def sigmoid_local_grads(x):\n"
        "    b = math.exp(-x)\n"
        "    y = 1 / (1 + b)\n"
        "    return -1.0, b, 1.0, -y * y\n"
    ),
}
WRONG = {
    "mul_local": "def mul_local(x, y):\n    return x, y\n",  # not swapped
    "bill_gradients": (  # forgot the tax on the counts
        "def bill_gradients(apple, apple_count, orange, orange_count, tax):\n"
        "    return {'apple': tax * apple_count, 'apple_count': apple,\n"
        "            'orange': tax * orange_count, 'orange_count': orange,\n"
        "            'tax': apple * apple_count + orange * orange_count}\n"
    ),
    "sigmoid_local_grads": (  # exp of the graph's input x, not of its own input a = -x
        "import math\n\n"
        "def sigmoid_local_grads(x):\n"
        "    y = 1 / (1 + math.exp(-x))\n"
        "    return -1.0, math.exp(x), 1.0, -y * y\n"
    ),
}

# What a block shows, the build's output or the browser's: its text (the printed lines) and
# its figures, each as the SVG's accessible name and its text, whitespace collapsed. A notebook
# cell's figures are images of the SVG the kernel displayed (a data: URL), decoded here.
_FIGURE = "svg => [svg.getAttribute('aria-label'), svg.textContent.replace(/\\s+/g, ' ').trim()]"
BUILT = f"""b => {{
  const describe = {_FIGURE};
  const panel = b.querySelector('.bp-run__panel');
  const outside = (el) => !panel.contains(el);
  if (b.classList.contains('bp-run--notebook')) {{
    const svg = (img) => {{
      const bytes = Uint8Array.from(atob(img.src.split(',')[1]), (c) => c.charCodeAt(0));
      const text = new TextDecoder().decode(bytes);
      return new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    }};
    return {{
      text: [...b.querySelectorAll('.jp-OutputArea .jp-RenderedText pre')]
        .map((p) => p.textContent).join(''),
      figures: [...b.querySelectorAll('.jp-OutputArea .jp-RenderedSVG img')]
        .map((img) => describe(svg(img))),
    }};
  }}
  return {{
    text: [...b.querySelectorAll('.language-text code')].filter(outside)
      .map((c) => c.textContent).join(''),
    figures: [...b.querySelectorAll('svg[role="img"]')].filter(outside).map(describe),
  }};
}}"""
SHOWN = f"""b => {{
  const describe = {_FIGURE};
  const box = b.querySelector('.bp-run__output');
  return {{
    text: [...box.querySelectorAll('pre.bp-run__text')].map((p) => p.textContent).join(''),
    figures: [...box.querySelectorAll('.bp-run__figure svg')].map(describe),
  }};
}}"""


def _output(block, script: str) -> tuple[str, list]:
    """(text, figures) of ``block``, by ``BUILT`` or ``SHOWN``."""
    found = block.evaluate(script)
    text = found["text"].strip("\n")
    return ("" if text in EMPTY else text), [tuple(f) for f in found["figures"]]


def _pyodide_sent(site_url, since: int) -> list[str]:
    return [path for path, _, _ in site_url.sent[since:] if PYODIDE in path]


def _run(block, *, code: str | None = None) -> str:
    """Press Run (or Check) on ``block``, optionally after typing ``code``; return the output."""
    if code is not None:
        block.locator(".bp-run__editor").fill(code)
    block.locator(".bp-run__run").click()
    box = block.locator(".bp-run__output")
    try:
        box.page.wait_for_function(
            "el => !el.hasAttribute('aria-busy') "
            "&& el.querySelector('.bp-run__text, .bp-run__figure')",
            arg=box.element_handle(),
            timeout=RUN_TIMEOUT_MS,
        )
    except PlaywrightTimeoutError:  # say where the run stood (loading Python, running, ...)
        said = box.evaluate("el => [el.getAttribute('aria-busy'), el.textContent.trim()]")
        pytest.fail(f"no output after {RUN_TIMEOUT_MS / 1000:.0f} s: aria-busy={said[0]!r}, "
                    f"the box says {said[1][:300]!r}")  # fmt: skip
    return box.evaluate("el => [...el.querySelectorAll('pre')].map(p => p.textContent).join('')")


def _open(open_page, site_url, path: str):
    since = len(site_url.sent)
    record = open_page(path)
    page = record.page
    page.wait_for_selector(".bp-run__panel")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    return record, page, since


def _check_exercise(page, name: str, screenshot: Path) -> None:
    """The exercise ``name`` on ``page`` rejects its starter code and a wrong answer (showing its
    hint) and accepts the reference solution (hiding the hint again)."""
    exercise = page.locator(f'[data-bp-exercise="{name}"]')
    hint = exercise.locator(".bp-hint")
    assert not hint.is_visible()
    starter = _run(exercise)  # the starter code is wrong on purpose
    assert starter.startswith("✗"), starter
    wrong = _run(exercise, code=WRONG[name])
    assert wrong.startswith("✗"), wrong
    assert "expected" in wrong or "기대한" in wrong
    assert hint.is_visible()
    right = _run(exercise, code=SOLUTIONS[name])
    assert right.startswith("✓"), right
    assert not hint.is_visible()
    exercise.screenshot(path=str(screenshot))


@pytest.mark.slow
@pytest.mark.parametrize("path", PAGES)
def test_every_block_prints_what_the_build_printed(open_page, site_url, screenshots_dir, path):
    """Each block, run unedited, prints and draws what the build did; then the page's exercise
    (if it has one) rejects a wrong answer with its hint and accepts the right one."""
    record, page, since = _open(open_page, site_url, path)
    page.wait_for_load_state("networkidle")
    assert _pyodide_sent(site_url, since) == [], "Pyodide was fetched before Run"
    blocks = page.locator("[data-bp-run]")
    assert blocks.count() >= PAGES[path]
    panel = page.locator(".bp-run__panel").first
    assert panel.locator("label").text_content()
    assert panel.locator("textarea").get_attribute("id") == panel.locator("label").get_attribute(
        "for"
    )
    assert panel.locator(".bp-run__output").get_attribute("aria-live") == "polite"
    drawn = 0
    for i in range(blocks.count()):
        block = blocks.nth(i)
        built = _output(block, BUILT)
        assert built != ("", []) or "bp-run--notebook" in block.get_attribute("class"), (
            f"block {i + 1} of {path} shows no output of the build to compare with"
        )
        started = time.monotonic()
        _run(block)
        seconds = time.monotonic() - started
        assert _output(block, SHOWN) == built, f"block {i + 1} of {path}"
        drawn += len(built[1])
        assert seconds < 60
    if "graphs-lab" in path or "activation-layers" in path:
        assert drawn >= 1, "no figure was drawn in the browser"
    assert _pyodide_sent(site_url, since), "Run did not load Pyodide from this site"
    page.locator("[data-bp-run]").first.screenshot(
        path=str(screenshots_dir / f"runner-{path.strip('/').replace('/', '-')}.png")
    )
    if path in EXERCISES:
        name = EXERCISES[path]
        shot = screenshots_dir / f"runner-exercise-{name}-{path[:2]}.png"
        _check_exercise(page, name, shot)
    assert record.outside_requests == []
    assert record.console_errors == []
    assert record.failed_requests == []


def test_every_exercise_of_the_site_is_checked(site_dir):
    """Each exercise of the built site is one that a page visit above checks, with a solution
    and a wrong answer: a new exercise cannot go untested."""
    found = {
        (page.parent.relative_to(site_dir).as_posix() + "/", name)
        for page in site_dir.rglob("index.html")
        for name in re.findall(r'data-bp-exercise="([^"]+)"', page.read_text(encoding="utf-8"))
    }
    assert found == set(EXERCISES.items())
    assert set(EXERCISES) <= set(PAGES)
    assert set(EXERCISES.values()) == set(SOLUTIONS) == set(WRONG)


@pytest.mark.slow
def test_an_edited_block_gives_the_new_result_and_its_figure(open_page, site_url):
    record, page, _ = _open(open_page, site_url, "graphs/computational-graphs/")
    first = page.locator("[data-bp-run]").first
    code = first.locator(".bp-run__editor").input_value()
    got = _run(first, code=code.replace('Value(1.1, "tax"', 'Value(1.2, "tax"'))
    assert "price = 240 = (100 × 2) × 1.2" in got
    # Reset restores the book's code.
    first.locator(".bp-run__reset").click()
    assert first.locator(".bp-run__editor").input_value() == code
    # A figure the code prints is drawn, by the package's own drawing code.
    own = page.locator('[data-bp-run="ex-own"]')
    drawing = own.locator(".bp-run__editor").input_value() + (
        "\nfrom backprop_book import figure_html\n"
        'print(figure_html(f, "f = (x + y) × z", backward=False))\n'
    )
    _run(own, code=drawing)
    figure = own.locator(".bp-run__output .bp-run__figure svg")
    assert figure.count() == 1
    assert "−12" in figure.text_content()  # f = (−2 + 5) × (−4), with a true minus sign
    # An error is a traceback in the output box, never a console error.
    got = _run(first, code=code + "\nprint(1 / 0)\n")
    assert "Traceback (most recent call last)" in got
    assert re.search(r'File "<your code>", line \d+', got)
    assert got.rstrip().endswith("ZeroDivisionError: division by zero")
    got = _run(first, code="print(")
    assert "SyntaxError" in got
    assert record.outside_requests == []
    assert record.console_errors == []


@pytest.mark.slow
def test_the_sigmoid_figure_is_redrawn_for_a_new_x_and_the_walk_follows(open_page, site_url):
    from backprop_book import format_number, sigmoid_graph

    record, page, _ = _open(open_page, site_url, "layers/activation-layers/")
    figure, walk = page.locator('[data-bp-run="sigmoid-graph"]').all()
    code = figure.locator(".bp-run__editor").input_value()
    assert "x = 1.0\n" in code
    _run(figure, code=code.replace("x = 1.0\n", "x = -2.0\n"))
    drawn = figure.locator(".bp-run__output .bp-run__figure svg")
    assert drawn.count() == 1
    y = sigmoid_graph(-2.0)  # what the edited block computes, here in CPython
    slope = format_number(y.named()["x"].grad)
    assert f"x = {format_number(-2.0)}" in drawn.get_attribute("aria-label")
    assert f"y = {format_number(y.data)}" in drawn.get_attribute("aria-label")
    assert slope in figure.locator(".bp-run__output figcaption").text_content()
    # The walk, unedited, replays the edited figure block: it walks the graph at x = -2.
    got = _run(walk)
    assert f"∂y/∂x = {slope}" in got and "→  x" in got
    assert got != walk.evaluate("b => b.querySelector('.language-text code').textContent")
    assert record.outside_requests == []
    assert record.console_errors == []


@pytest.mark.slow
def test_an_edited_notebook_cell_and_the_cells_after_it_give_the_new_result(
    open_page, site_url, screenshots_dir
):
    record, page, _ = _open(open_page, site_url, "ko/notebooks/graphs-lab/")
    cells = page.locator(".bp-run--notebook")
    apples, drawing = cells.nth(1), cells.nth(2)  # price = (apple × count) × tax; its figure
    assert apples.locator(".bp-run__run").text_content() == "실행"
    code = apples.locator(".bp-run__editor").input_value()
    assert 'Value(1.1, "tax"' in code
    got = _run(apples, code=code.replace('Value(1.1, "tax"', 'Value(1.2, "tax"'))
    assert "price = 240" in got and "d price/d apple = 2.4" in got
    _run(drawing)  # unedited: draws the graph of the edited cell above it
    label = drawing.locator(".bp-run__output .bp-run__figure svg").get_attribute("aria-label")
    assert "tax = 1.2" in label and "price = 240" in label
    # What the build's kernel printed stays below the cell, as it was.
    assert "price = 220" in apples.locator(".jp-OutputArea").text_content()
    drawing.screenshot(path=str(screenshots_dir / "runner-notebook-ko.png"))
    assert record.outside_requests == []
    assert record.console_errors == []


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_blocks_fit_a_phone_and_work_by_keyboard(open_page, site_url, screenshots_dir, scheme):
    record = open_page("graphs/chain-rule/", color_scheme=scheme, width=360, height=780)
    page = record.page
    page.wait_for_selector(".bp-run__panel")
    block = page.locator("[data-bp-run]").first
    block.locator(".bp-run__editor").focus()
    page.keyboard.press("Tab")
    assert "bp-run__run" in page.evaluate("document.activeElement.className").split()
    page.keyboard.press("Enter")
    box = block.locator(".bp-run__output")
    page.wait_for_function(
        "el => !el.hasAttribute('aria-busy') && el.querySelector('.bp-run__text')",
        arg=box.element_handle(),
        timeout=RUN_TIMEOUT_MS,
    )
    assert "∂price/∂apple = 2.2" in box.text_content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone: {width} px"
    block.screenshot(path=str(screenshots_dir / f"runner-phone-{scheme}.png"))
    # Code that never ends: Ctrl+Enter runs it, Stop shows and fits, Escape stops it.
    editor = block.locator(".bp-run__editor")
    editor.fill("while True:\n    pass\n")
    editor.press("Control+Enter")
    page.wait_for_function(
        "el => el.textContent.includes('Running')", arg=box.element_handle(), timeout=10_000
    )
    assert block.locator(".bp-run__stop").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone with Stop shown: {width} px"
    editor.press("Escape")
    page.wait_for_function(
        "el => !el.hasAttribute('aria-busy') && el.textContent.includes('Stopped')",
        arg=box.element_handle(),
        timeout=10_000,
    )
    assert block.locator(".bp-run__stop").is_hidden()
    assert record.outside_requests == []
    assert record.console_errors == []


@pytest.mark.slow
def test_blocks_come_back_after_instant_navigation(open_page, site_url):
    record = open_page("graphs/computational-graphs/")
    page = record.page
    page.wait_for_selector(".bp-run__panel")
    page.locator('a[href$="chain-rule/"]').first.click()
    page.wait_for_url(re.compile(r"chain-rule/"))
    page.wait_for_function(
        "document.querySelectorAll('[data-bp-run]').length > 0 && "
        "[...document.querySelectorAll('[data-bp-run]')]"
        ".every(b => b.querySelector('.bp-run__panel'))"
    )
    got = _run(page.locator("[data-bp-run]").first)
    assert "∂price/∂tax" in got
    assert record.console_errors == []
