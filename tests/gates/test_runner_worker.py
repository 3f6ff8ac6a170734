"""The runnable blocks' Python runs in a Web Worker: an endless loop never freezes the page.

In Chromium, offline: a block running ``while True: pass`` leaves the page answering, scrolling
and taking keystrokes; its Stop button (keyboard operable, in the page's language) ends the run
with a message in the output box, and the next Run starts a fresh worker (nothing the stopped
code left in Python survives) that replays the session's earlier blocks and prints what the
build printed. An exercise whose code never ends is stopped by the time limit, and the next
Check grades the right answer; code left running by a page the reader navigated away from is
stopped. No worker exists before the first Run.
"""

from __future__ import annotations

import time

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.gates.test_runnable_blocks import RUN_TIMEOUT_MS, SOLUTIONS, _open, _run
from tests.helpers.axe import AXE_TAGS, SEVERE, switch_theme

# What the runner says, in each edition (runner.js's TEXT): the reader-facing words under test.
WORDS = {
    "en": {"stop": "Stop", "stopped": "Stopped", "running": "Running…"},
    "ko": {"stop": "중지", "stopped": "중지했습니다", "running": "실행 중…"},
}
ENDLESS = "import sys\nsys.bp_left_behind = 1\nwhile True:\n    pass\n"
NEVER_ENDS = "def mul_local(x, y):\n    while True:\n        pass\n"
LIMIT_S = 20  # runner.js's LIMIT_S, what readers get
TEST_LIMIT_S = 3  # the limit the time-limit test sets: the mechanism, without the long wait
NO_TRANSITIONS = "* { transition: none !important; animation: none !important; }"
# A page whose thread is free answers a round trip in milliseconds; a thread blocked by Python
# would not answer at all until the loop ended (never). One second leaves room for a loaded
# 2-core machine while still telling the two apart.
ANSWER_S = 1.0


def _wait_for_text(box, words: str) -> None:
    """Wait until ``box`` says ``words`` (Python runs); fail at once if the page stops answering.

    Polled from here, one bounded question at a time: a page whose thread is blocked by Python
    would never run an in-page wait's own timer.
    """
    deadline = time.monotonic() + RUN_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        try:
            if words in box.text_content(timeout=ANSWER_S * 5000):
                return
        except PlaywrightTimeoutError:
            pytest.fail("the page stopped answering while Python ran")
        time.sleep(0.2)
    pytest.fail(f"the output box never said {words!r}")


def _axe_on(block) -> list[tuple[str, str]]:
    """axe's serious and critical findings on one runnable block (WCAG A/AA rules)."""
    page = block.page
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = block.evaluate("(el, options) => axe.run(el, options)", options)
    return [
        (violation["id"], " > ".join(map(str, node["target"])))
        for violation in results["violations"]
        for node in violation["nodes"]
        if (node.get("impact") or violation.get("impact")) in SEVERE
    ]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_an_endless_loop_leaves_the_page_responsive_and_stop_ends_it(
    open_page, site_url, screenshots_dir, lang
):
    words = WORDS[lang]
    path = "graphs/chain-rule/" if lang == "en" else "ko/graphs/chain-rule/"
    record, page, _ = _open(open_page, site_url, path)
    workers = []
    page.on("worker", lambda worker: workers.append(worker))
    blocks = page.locator('[data-bp-run="chain"]')
    assert blocks.count() >= 3
    block = blocks.nth(2)  # replays the two blocks before it in the session
    built = block.evaluate("b => b.querySelector('.language-text code').textContent")
    stop = block.locator(".bp-run__stop")
    assert stop.is_hidden()
    assert workers == [], "a worker was started before Run"

    block.locator(".bp-run__editor").fill(ENDLESS)
    block.locator(".bp-run__run").click()
    box = block.locator(".bp-run__output")
    _wait_for_text(box, words["running"])
    assert len(workers) == 1
    assert stop.is_visible() and stop.text_content() == words["stop"]
    assert block.locator(".bp-run__run").is_disabled()

    # The page answers, scrolls and takes keystrokes while the loop runs.
    started = time.monotonic()
    waited = page.evaluate(
        "new Promise(r => { const t = performance.now(); "
        "setTimeout(() => r(performance.now() - t), 50); })"
    )
    assert time.monotonic() - started < ANSWER_S
    assert waited < ANSWER_S * 1000
    before = page.evaluate("window.scrollY")
    page.mouse.move(400, 400)
    page.mouse.wheel(0, 800)
    page.wait_for_function(f"window.scrollY > {before}", timeout=ANSWER_S * 1000)
    other = blocks.nth(0).locator(".bp-run__editor")
    kept = other.input_value()
    other.press("Control+End")
    other.press_sequentially("  # typed")
    assert other.input_value() == kept + "  # typed"
    other.fill(kept)  # the block that this one replays keeps the book's code
    # The running block, its Stop button shown, is accessible in both themes (transitions off,
    # as the site tour's axe runs do: a colour caught halfway through one is no colour at all).
    page.add_style_tag(content=NO_TRANSITIONS)
    assert _axe_on(block) == []
    switch_theme(page, "dark")
    assert _axe_on(block) == []

    # Stop, by keyboard: the message is in the live region, in the page's language.
    assert box.get_attribute("aria-live") == "polite"
    stop.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "([el, stopped]) => !el.hasAttribute('aria-busy') && el.textContent.includes(stopped)",
        arg=[box.element_handle(), words["stopped"]],
        timeout=5000,
    )
    assert stop.is_hidden()
    assert block.locator(".bp-run__run").is_enabled()
    assert "bp-run__run" in page.evaluate("document.activeElement.className").split()
    block.screenshot(path=str(screenshots_dir / f"runner-stopped-{lang}.png"))

    # The next Run starts a fresh worker: the book's code prints what the build printed...
    block.locator(".bp-run__reset").click()
    got = _run(block)
    assert got.rstrip("\n") == built.rstrip("\n")
    assert len(workers) == 2
    # ...and nothing the stopped code set in Python is left.
    got = _run(block, code='import sys\nprint(getattr(sys, "bp_left_behind", "fresh"))')
    assert got.strip() == "fresh"
    assert record.outside_requests == []
    assert record.console_errors == []


def test_the_shipped_time_limit_is_the_generous_one(open_page, site_url):
    """Readers get runner.js's LIMIT_S: the module says so, and no page asks for another."""
    record, page, _ = _open(open_page, site_url, "graphs/computational-graphs/")
    assert page.evaluate("document.documentElement.dataset.bpRunLimit") is None
    src = page.evaluate(
        "() => [...document.scripts].map(s => s.src).find(s => s.includes('runner-loader'))"
    )
    assert src, "the page does not load runner-loader.js"
    shipped = page.evaluate(
        "src => import(new URL('runner/runner.js', src).href).then(m => m.LIMIT_S)", src
    )
    assert shipped == LIMIT_S
    assert record.console_errors == []


@pytest.mark.slow
def test_the_time_limit_stops_an_exercise_that_never_ends(open_page, site_url):
    """The mechanism, with a short limit (``data-bp-run-limit``, which only tests set)."""
    record, page, _ = _open(open_page, site_url, "graphs/computational-graphs/")
    page.evaluate(f"document.documentElement.dataset.bpRunLimit = '{TEST_LIMIT_S}'")
    exercise = page.locator('[data-bp-exercise="mul_local"]')
    exercise.locator(".bp-run__editor").fill(NEVER_ENDS)
    exercise.locator(".bp-run__run").click()
    box = exercise.locator(".bp-run__output")
    _wait_for_text(box, "Running…")  # Python has loaded and runs the check
    started = time.monotonic()
    page.wait_for_function(
        "el => !el.hasAttribute('aria-busy')",
        arg=box.element_handle(),
        timeout=(TEST_LIMIT_S + 30) * 1000,
    )
    seconds = time.monotonic() - started
    got = box.text_content()
    assert got.startswith(f"Stopped after {TEST_LIMIT_S} s"), got
    # The limit counts from Python's start, which "Running…" follows by up to one poll (0.2 s).
    assert TEST_LIMIT_S - 1 <= seconds < TEST_LIMIT_S + 30
    assert exercise.locator(".bp-run__stop").is_hidden()
    right = _run(exercise, code=SOLUTIONS["mul_local"])
    assert right.startswith("✓"), right
    assert record.outside_requests == []
    assert record.console_errors == []


@pytest.mark.slow
def test_code_left_running_by_a_block_that_left_the_page_is_stopped(open_page, site_url):
    record, page, _ = _open(open_page, site_url, "graphs/computational-graphs/")
    first = page.locator('[data-bp-run="apples"]').first
    first.locator(".bp-run__editor").fill(ENDLESS)
    first.locator(".bp-run__run").click()
    _wait_for_text(first.locator(".bp-run__output"), "Running…")
    # What Material's instant navigation does: the old content leaves, document$ emits.
    # (The test server's links load pages in full, so the step is done here by hand.)
    page.evaluate(
        "() => { document.querySelector('[data-bp-run]').remove(); document$.next(document); }"
    )
    # The loop left behind is stopped: this Run is not queued behind it (it would end in the
    # time limit's message instead of the book's output).
    other = page.locator('[data-bp-run="ex-tax"]')
    built = other.evaluate("b => b.querySelector('.language-text code').textContent")
    got = _run(other)
    assert got.rstrip("\n") == built.rstrip("\n")
    assert record.console_errors == []
