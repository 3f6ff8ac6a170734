"""The runnable blocks and exercises of the graphs chapters, in Chromium, offline.

On every page with runnable blocks (``data-bp-run``, both editions), each block is run as a
reader would run it (Run, on the unedited code) and must print exactly what the build printed
for it on the page: the browser runs the build's own ``backprop_book.graphs`` in Pyodide. An
edited block prints its new result and draws the figure it prints; an error shows as a Python
traceback in the output box, not on the console; each exercise accepts the reference solution
and rejects a wrong answer with its hint. No Pyodide byte is fetched before the first Run, no
request leaves 127.0.0.1 and the console stays clean. Screenshots go to
``test-artifacts/screenshots/runner-*.png``. The Python runs in a Web Worker; an endless loop,
Stop and the time limit are ``test_runner_worker.py``'s.
"""

from __future__ import annotations

import re
import time

import pytest

PAGES = [
    "graphs/computational-graphs/",
    "graphs/chain-rule/",
    "ko/graphs/computational-graphs/",
    "ko/graphs/chain-rule/",
]
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
}
WRONG = {
    "mul_local": "def mul_local(x, y):\n    return x, y\n",  # not swapped
    "bill_gradients": (  # forgot the tax on the counts
        "def bill_gradients(apple, apple_count, orange, orange_count, tax):\n"
        "    return {'apple': tax * apple_count, 'apple_count': apple,\n"
        "            'orange': tax * orange_count, 'orange_count': orange,\n"
        "            'tax': apple * apple_count + orange * orange_count}\n"
    ),
}


def _pyodide_sent(site_url, since: int) -> list[str]:
    return [path for path, _, _ in site_url.sent[since:] if PYODIDE in path]


def _run(block, *, code: str | None = None) -> str:
    """Press Run (or Check) on ``block``, optionally after typing ``code``; return the output."""
    if code is not None:
        block.locator(".bp-run__editor").fill(code)
    block.locator(".bp-run__run").click()
    box = block.locator(".bp-run__output")
    box.page.wait_for_function(
        "el => !el.hasAttribute('aria-busy') && el.querySelector('.bp-run__text, .bp-run__figure')",
        arg=box.element_handle(),
        timeout=RUN_TIMEOUT_MS,
    )
    return box.evaluate("el => [...el.querySelectorAll('pre')].map(p => p.textContent).join('')")


def _open(open_page, site_url, path: str):
    since = len(site_url.sent)
    record = open_page(path)
    page = record.page
    page.wait_for_selector(".bp-run__panel")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    return record, page, since


@pytest.mark.slow
@pytest.mark.parametrize("path", PAGES)
def test_every_block_prints_what_the_build_printed(open_page, site_url, screenshots_dir, path):
    record, page, since = _open(open_page, site_url, path)
    page.wait_for_load_state("networkidle")
    assert _pyodide_sent(site_url, since) == [], "Pyodide was fetched before Run"
    blocks = page.locator("[data-bp-run]")
    assert blocks.count() >= 4
    panel = page.locator(".bp-run__panel").first
    assert panel.locator("label").text_content()
    assert panel.locator("textarea").get_attribute("id") == panel.locator("label").get_attribute(
        "for"
    )
    assert panel.locator(".bp-run__output").get_attribute("aria-live") == "polite"
    for i in range(blocks.count()):
        block = blocks.nth(i)
        built = block.evaluate("b => b.querySelector('.language-text code').textContent")
        started = time.monotonic()
        got = _run(block)
        seconds = time.monotonic() - started
        assert got.rstrip("\n") == built.rstrip("\n"), f"block {i + 1} of {path}"
        assert seconds < 60
    assert _pyodide_sent(site_url, since), "Run did not load Pyodide from this site"
    page.locator("[data-bp-run]").first.screenshot(
        path=str(screenshots_dir / f"runner-{path.strip('/').replace('/', '-')}.png")
    )
    assert record.outside_requests == []
    assert record.console_errors == []
    assert record.failed_requests == []


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
@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("graphs/computational-graphs/", "mul_local"),
        ("graphs/chain-rule/", "bill_gradients"),
        ("ko/graphs/computational-graphs/", "mul_local"),
        ("ko/graphs/chain-rule/", "bill_gradients"),
    ],
)
def test_the_exercise_accepts_a_right_answer_and_rejects_a_wrong_one(
    open_page, site_url, screenshots_dir, path, name
):
    record, page, _ = _open(open_page, site_url, path)
    exercise = page.locator(f'[data-bp-exercise="{name}"]')
    hint = exercise.locator(".bp-hint")
    assert not hint.is_visible()
    starter = _run(exercise)  # the starter code is wrong on purpose
    assert starter.startswith("✗")
    wrong = _run(exercise, code=WRONG[name])
    assert wrong.startswith("✗"), wrong
    assert "expected" in wrong or "기대한" in wrong
    assert hint.is_visible()
    right = _run(exercise, code=SOLUTIONS[name])
    assert right.startswith("✓"), right
    assert not hint.is_visible()
    exercise.screenshot(path=str(screenshots_dir / f"runner-exercise-{name}-{path[:2]}.png"))
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
