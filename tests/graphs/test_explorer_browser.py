"""The graph explorer in a real browser, on every built page that has one.

Its arithmetic (number formatting, each operation, the forward and backward passes) is checked
against Python in Node over hundreds of inputs (test_explorer_js.py). Here, in Chromium, the
widget as a reader meets it: its ES modules load from the built site, under the site's
``/backprop_book/`` prefix and in the Korean edition at ``ko/``; the numbers drawn in the figure
(its text and the full-precision data attributes) are the package's for a few inputs each,
so the wiring is right; the step-backward walk, keyboard only, dark theme contrast, a 360-px
phone, bad input, instant navigation, the static figure without JavaScript, no console errors
and no request off the machine. Screenshots go to ``test-artifacts/screenshots/explorer-*.png``.
"""

from __future__ import annotations

import math
import re

import pytest

from backprop_book.graphs.drawing import format_number
from backprop_book.graphs.explorer import KINDS, explorer_html
from tests.helpers.browser import offline_context, record_problems, serve, site_prefix

ON_PAGES = {"apple", "apple_orange", "sigmoid"}  # the graphs of the notes, in the chapters
# A few inputs per graph (the page's, zeros and negatives, decimals): the third is the one the
# step and bad-input tests use. The many more inputs of the arithmetic are in js_fixtures.
GRIDS = {
    "apple": [
        {"apple": 100, "count": 2, "tax": 1.1},
        {"apple": 0, "count": 3, "tax": 1.1},
        {"apple": -40, "count": 2.5, "tax": 0.08},
    ],
    "apple_orange": [
        {"apple": 100, "apple_count": 2, "orange": 150, "orange_count": 3, "tax": 1.1},
        {"apple": 0, "apple_count": 0, "orange": 0, "orange_count": 0, "tax": 0},
        {"apple": -1.5, "apple_count": 4, "orange": 2.25, "orange_count": -3, "tax": 1.2},
    ],
    "sigmoid": [{"x": x} for x in (1.0, 0.0, -2.5, 6.0)],
    "add_mul": [{"x": -2.0, "y": 5.0, "z": -4.0}, {"x": 0.5, "y": -0.25, "z": 0}],
    "fan_out": [{"x": 3.0, "y": 4.0, "z": 2.0}, {"x": -1.5, "y": 0, "z": 2.5}],
}
OVERFLOWS = {  # the last input makes a value overflow a float
    "apple": {"apple": 1e200, "count": 1e200},
    "apple_orange": {"orange": 1e300, "orange_count": 1e10},
    "sigmoid": {"x": -800.0},
}
BAD = ["", "   ", "abc", "1e400", "-1e400", "NaN", "Infinity", "1..2", "--3", "1,5", "0x10"]


def _explorer_pages(site_dir) -> dict[str, list[str]]:
    """Relative path of every built page that shows an explorer -> the kinds it shows."""
    found: dict[str, list[str]] = {}
    for index in sorted(site_dir.rglob("index.html")):
        rel = index.parent.relative_to(site_dir).as_posix()
        # Only real elements: the API page quotes the attribute inside code examples.
        kinds = re.findall(
            r'<[a-z]+[^<>]*\sdata-bp-explorer="([a-z_]+)"', index.read_text(encoding="utf-8")
        )
        if kinds:
            found["" if rel == "." else rel + "/"] = kinds
    return found


@pytest.fixture(scope="module")
def all_pages(site_dir) -> dict[str, list[str]]:
    return _explorer_pages(site_dir)


@pytest.fixture(scope="module")
def pages(all_pages) -> dict[str, str]:
    """kind -> the first page (in path order) that shows it; the tests below drive that one."""
    first: dict[str, str] = {}
    # English pages first: the texts the tests below read are the English ones.
    for path, kinds in sorted(all_pages.items(), key=lambda item: item[0].startswith("ko/")):
        for kind in kinds:
            first.setdefault(kind, path)
    assert set(first) >= ON_PAGES, f"explorers on the site: {all_pages}; expected {ON_PAGES}"
    return first


@pytest.mark.slow
def test_every_explorer_on_every_page_starts_with_the_package_numbers(all_pages, open_page):
    for path, kinds in all_pages.items():
        rec = open_page(path)
        rec.page.wait_for_function(
            "[...document.querySelectorAll('[data-bp-explorer]')]"
            ".every(e => e.dataset.bpReady === 'true')",
            timeout=10000,
        )
        widgets = rec.page.locator("[data-bp-explorer]")
        assert widgets.count() == len(kinds)
        for k, kind in enumerate(kinds):
            widget = widgets.nth(k)
            start = {
                f.get_attribute("data-input"): float(f.input_value())
                for f in widget.locator("input.bp-field-input").all()
            }
            _check_against_package(widget, kind, start)
            widget.locator("input.bp-field-input").first.fill("3")  # and it reacts
            _check_against_package(widget, kind, {**start, next(iter(start)): 3.0})
        assert not rec.console_errors, (path, rec.console_errors)
        assert not rec.outside_requests, (path, rec.outside_requests)


def _open(open_page, path, kind, **kw):
    rec = open_page(path, **kw)
    rec.page.wait_for_selector(f'[data-bp-explorer="{kind}"][data-bp-ready="true"]', timeout=10000)
    return rec, rec.page.locator(f'[data-bp-explorer="{kind}"]').first


def _drawn(widget) -> dict:
    """Everything the figure shows, read from the page."""
    return widget.evaluate(
        """root => ({
          edges: [...root.querySelectorAll('svg g.bp-edge')].map(g => ({
            edge: g.dataset.edge, from: g.dataset.from, to: g.dataset.to || null,
            input: g.dataset.input,
            value: Number(g.dataset.value), grad: Number(g.dataset.grad),
            forward: g.querySelector('text.bp-forward')?.textContent ?? null,
            backward: g.querySelector('text.bp-backward')?.textContent ?? null})),
          nodes: [...root.querySelectorAll('svg g.bp-node[data-node^="n"]')].map(g => ({
            id: g.dataset.node, value: Number(g.dataset.value), grad: Number(g.dataset.grad)})),
          label: root.querySelector('svg').getAttribute('aria-label')})"""
    )


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)


def _check_against_package(widget, kind: str, inputs: dict) -> None:
    out = KINDS[kind][0](**inputs)
    order = out.topo()
    ids = {f"n{i}": v for i, v in enumerate(order)}
    drawn = _drawn(widget)
    assert len(drawn["nodes"]) == len(order)
    for node in drawn["nodes"]:
        v = ids[node["id"]]
        assert _close(node["value"], v.data), (inputs, node, v)
        assert _close(node["grad"], v.grad), (inputs, node, v)
    edges = [e for e in drawn["edges"] if e["to"]]
    assert len(edges) == sum(len(v.inputs) for v in order)
    readers = {id(v): 0 for v in order}
    for v in order:
        for u in v.inputs:
            readers[id(u)] += 1
    for e in edges:
        s, t, i = ids[e["from"]], ids[e["to"]], int(e["input"])
        assert t.inputs[i] is s
        grad = t.local_grads[i] * t.grad
        assert _close(e["value"], s.data) and _close(e["grad"], grad), (inputs, e)
        if s.constant:
            continue
        assert e["backward"] == format_number(grad), (inputs, e)
        if readers[id(s)] == 1:  # a value read by several nodes has its value on the shared stub
            assert e["forward"] == format_number(s.data), (inputs, e)
    fans = {e["from"]: e for e in drawn["edges"] if (e["edge"] or "").startswith("fan-")}
    assert set(fans) == {f"n{k}" for k, v in enumerate(order) if readers[id(v)] > 1}
    for node_id, e in fans.items():
        v = ids[node_id]
        sends = [t.local_grads[i] * t.grad for t in order for i, u in enumerate(t.inputs) if u is v]
        total = " + ".join(map(format_number, sends)) + " = " + format_number(v.grad)
        assert e["forward"] == format_number(v.data) and e["backward"] == total, (inputs, e)
        assert _close(e["grad"], v.grad)
    (last,) = [e for e in drawn["edges"] if e["edge"] == "out"]
    assert last["forward"] == format_number(out.data) and last["backward"] == format_number(1.0)
    assert f"{out.name} = {format_number(out.data)}." in drawn["label"]
    if kind == "sigmoid":  # the chain's product of local gradients is y(1 − y)
        y, x_grad = out.data, out.named()["x"].grad
        chain = widget.locator(".bp-chain")
        assert _close(float(chain.get_attribute("data-grad")), x_grad)
        assert chain.inner_text().endswith("= " + format_number(x_grad))
        assert widget.locator(".bp-y1y").inner_text().endswith("= " + format_number(y * (1 - y)))
        locals_ = [v.local_grads[0] for v in order if v.op]
        shown = widget.locator(".bp-local-row td:last-child").all_inner_texts()
        assert shown == [format_number(g) for g in locals_]


def _set(widget, inputs: dict) -> None:
    for name, value in inputs.items():
        widget.locator(f'input.bp-field-input[data-input="{name}"]').fill(repr(value))


@pytest.mark.parametrize("kind", sorted(ON_PAGES))
def test_every_value_and_gradient_matches_the_package(kind, pages, open_page, screenshots_dir):
    rec, widget = _open(open_page, pages[kind], kind)
    _check_against_package(widget, kind, {i: v for i, v in GRIDS[kind][0].items()})
    for inputs in GRIDS[kind]:
        _set(widget, inputs)
        assert widget.locator(".bp-field-msg").all_inner_texts() == [""] * len(inputs)
        _check_against_package(widget, kind, inputs)
    if kind == "sigmoid":
        slider = widget.locator("input.bp-slider")
        _set(widget, {"x": 1.0})
        slider.focus()
        for _ in range(5):
            slider.press("ArrowLeft")  # native range keys: one step each
        x = float(slider.input_value())
        assert math.isclose(x, 1.0 - 5 * 0.1)
        assert widget.locator("input.bp-field-input").input_value() == slider.input_value()
        _check_against_package(widget, "sigmoid", {"x": x})
    _assert_contrast(widget)
    widget.screenshot(path=str(screenshots_dir / f"explorer-{kind}-light.png"))
    assert not rec.console_errors and not rec.outside_requests


@pytest.mark.parametrize("kind", sorted(ON_PAGES))
def test_step_backward_walks_every_node(kind, pages, open_page, screenshots_dir):
    rec, widget = _open(open_page, pages[kind], kind)
    inputs = GRIDS[kind][2]
    _set(widget, inputs)
    out = KINDS[kind][0](**inputs)
    order = out.topo()
    ops = [v for v in reversed(order) if v.op]
    button = widget.locator("button.bp-step-next")
    for k, t in enumerate(ops):
        button.click()
        active = widget.locator("svg .bp-step-active")
        assert active.count() == 1
        assert active.get_attribute("data-node") == f"n{order.index(t)}"
        readout = widget.locator(".bp-step-readout")
        assert f"Step {k + 1} of {len(ops)}" in readout.inner_text()
        assert f"upstream gradient {format_number(t.grad)}" in readout.inner_text()
        lines = readout.locator(".bp-step-line")
        sent = [(u, g) for u, g in zip(t.inputs, t.local_grads, strict=True) if not u.constant]
        assert lines.count() == len(sent)
        for line, (u, local) in zip(lines.all(), sent, strict=True):
            assert line.get_attribute("data-to") == f"n{order.index(u)}"
            assert _close(float(line.get_attribute("data-grad")), local * t.grad)
            text = line.inner_text()
            expected = f"{format_number(t.grad)} × local {format_number(local)}"
            assert expected in text and f"= {format_number(local * t.grad)} →" in text
        if k == 0:
            widget.screenshot(path=str(screenshots_dir / f"explorer-{kind}-step.png"))
    button.click()
    assert "Backward pass complete" in widget.locator(".bp-step-readout").inner_text()
    assert widget.locator("svg .bp-step-active").count() == 0
    widget.locator("button.bp-step-prev").click()
    assert (
        widget.locator("svg .bp-step-active").get_attribute("data-node")
        == f"n{order.index(ops[-1])}"
    )
    widget.locator("button.bp-step-reset").click()
    assert widget.locator("svg .bp-step-active").count() == 0
    assert "whole backward pass is shown" in widget.locator(".bp-step-readout").inner_text()
    assert not rec.console_errors


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_in_the_widgets(scheme, pages, open_page):
    """axe-core (bundled with axe-playwright-python) on the explorers, WCAG 2.x A and AA."""
    from axe_playwright_python.base import AXE_SCRIPT

    problems = []
    for path in sorted(set(pages.values())):
        rec = open_page(path, color_scheme=scheme)
        page = rec.page
        page.wait_for_function(
            "[...document.querySelectorAll('[data-bp-explorer]')]"
            ".every(e => e.dataset.bpReady === 'true')"
        )
        for widget in page.locator("[data-bp-explorer]").all():  # a step, an error message
            widget.locator("button.bp-step-next").click()
            widget.locator("input.bp-field-input").first.fill("oops")
        page.evaluate(AXE_SCRIPT)
        tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
        results = page.evaluate(
            "tags => axe.run({include: [...document.querySelectorAll('[data-bp-explorer]')]},"
            " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            tags,
        )
        for v in results["violations"]:
            for node in v["nodes"]:
                problems.append(f"/{path} {v['id']} ({node.get('impact')}): {node['target']}")
        assert not rec.console_errors
    assert not problems, "\n".join(problems)


def test_the_script_is_generic_over_the_spec(pages, open_page):
    """Graphs no chapter embeds yet (a named intermediate node, a value read by two nodes)."""
    rec = open_page(pages["apple"])
    page = rec.page
    page.wait_for_selector("[data-bp-ready=true]")
    for kind in ("add_mul", "fan_out"):
        page.evaluate(
            "html => { document.querySelector('article').insertAdjacentHTML('beforeend', html);"
            " window.bpExplorer.init(); }",
            explorer_html(kind),
        )
        widget = page.locator(f'[data-bp-explorer="{kind}"][data-bp-ready="true"]')
        for inputs in GRIDS[kind]:
            _set(widget, inputs)
            _check_against_package(widget, kind, inputs)
        widget.locator("button.bp-step-next").click()
        assert "Step 1 of" in widget.locator(".bp-step-readout").inner_text()
    assert not rec.console_errors


def test_the_korean_edition_speaks_korean(all_pages, open_page):
    korean = [path for path in all_pages if path.startswith("ko/")]
    if not korean:
        pytest.skip("no page of the Korean edition has an explorer")
    rec = open_page(korean[0])
    page = rec.page
    page.wait_for_selector("[data-bp-ready=true]")
    assert page.evaluate("document.documentElement.lang") == "ko"
    widget = page.locator("[data-bp-explorer]").first
    button = widget.locator("button.bp-step-next")
    assert button.inner_text() == "한 단계 역전파"
    button.click()
    assert "단계 중 1단계" in widget.locator(".bp-step-readout").inner_text()
    widget.locator("input.bp-field-input").first.fill("x")
    assert "숫자가 아닙니다" in widget.locator(".bp-field-msg").first.inner_text()
    assert not rec.console_errors


def test_without_javascript_the_static_figure_remains(pages, browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        for kind, path in sorted(pages.items()):
            page.goto(site_url + path, wait_until="load")
            widget = page.locator(f'[data-bp-explorer="{kind}"]').first
            assert widget.locator("svg.bp-graph").is_visible()
            assert widget.locator(".bp-explorer-panel, input, button").count() == 0
            out = KINDS[kind][0]()
            shown = widget.locator("svg g.bp-output-edge text.bp-forward").text_content()
            assert shown == format_number(out.data)
    finally:
        context.close()


def test_keyboard_only(pages, open_page, screenshots_dir):
    rec, widget = _open(open_page, pages["apple"], "apple")
    page = rec.page
    widget.locator(".bp-explorer-scroll").focus()  # the figure: the first stop in the widget

    def tab_until(selector: str, limit: int = 12) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_until('input[data-input="apple"]')
    page.keyboard.press("Control+A")
    page.keyboard.type("120")
    tab_until('input[data-input="count"]')
    page.keyboard.press("Control+A")
    page.keyboard.type("-3.5")
    _check_against_package(widget, "apple", {"apple": 120, "count": -3.5, "tax": 1.1})
    tab_until("button.bp-step-next")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "the focused button shows no focus ring"
    page.keyboard.press("Enter")
    active = widget.locator("svg .bp-step-active")
    assert active.get_attribute("data-node") == "n4"  # the output × node first
    page.keyboard.press(" ")
    assert active.get_attribute("data-node") == "n2"
    assert "Step 2 of 2" in widget.locator("[aria-live].bp-step-readout").inner_text()
    page.keyboard.press("ArrowLeft")
    assert active.get_attribute("data-node") == "n4"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert "Backward pass complete" in widget.locator(".bp-step-readout").inner_text()
    page.keyboard.press("Escape")
    assert widget.locator("svg .bp-step-active").count() == 0
    widget.screenshot(path=str(screenshots_dir / "explorer-keyboard.png"))
    assert not rec.console_errors


_CONTRAST = """root => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const bg = el => { for (let e = el; e; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c; }
    return rgb(getComputedStyle(document.body).backgroundColor); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05); };
  const items = [...root.querySelectorAll(
    'svg text, label, input.bp-field-input, button, .bp-step-readout p, .bp-field-msg, '
    + '.bp-local-table td')];
  return items.filter(e => e.textContent.trim() || e.value).map(e => {
    const cs = getComputedStyle(e);
    const fg = rgb(e.closest('svg') ? cs.fill : cs.color);
    return [e.tagName + '.' + (e.getAttribute('class') || ''), ratio(fg, bg(e))]; });
}"""


def _assert_contrast(widget) -> None:
    ratios = widget.evaluate(_CONTRAST)
    assert len(ratios) > 10, ratios
    low = [(what, round(r, 2)) for what, r in ratios if r < 4.5]
    assert not low, f"text below 4.5:1 contrast: {low}"


@pytest.mark.parametrize("kind", sorted(ON_PAGES))
def test_dark_theme_on_a_phone(kind, pages, open_page, screenshots_dir):
    rec, widget = _open(open_page, pages[kind], kind, color_scheme="dark", width=360, height=740)
    page = rec.page
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    _set(widget, GRIDS[kind][1])
    _check_against_package(widget, kind, GRIDS[kind][1])
    # An error message, so that its colour is measured too.
    widget.locator("input.bp-field-input").first.fill("abc")
    widget.locator("button.bp-step-next").click()
    _assert_contrast(widget)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways"
    boxes = widget.evaluate(
        "root => [...root.querySelectorAll('input, button, .bp-step-readout, figcaption')]"
        ".map(e => e.getBoundingClientRect()).map(r => [r.left, r.right])"
    )
    assert all(0 <= left and right <= 360 for left, right in boxes), boxes
    height = widget.evaluate(
        "root => root.querySelector('svg text.bp-forward').getBoundingClientRect().height"
    )
    assert height >= 9, f"figure text is {height:.1f} px tall on a phone"
    active = widget.locator("svg .bp-step-active").bounding_box()
    assert 0 <= active["x"] and active["x"] + active["width"] <= 360, "stepped node out of view"
    widget.screenshot(path=str(screenshots_dir / f"explorer-{kind}-dark-phone.png"))
    assert not rec.console_errors and not rec.outside_requests


@pytest.mark.parametrize("kind", sorted(ON_PAGES))
def test_bad_input_shows_a_message_and_keeps_the_last_good_graph(kind, pages, open_page):
    rec, widget = _open(open_page, pages[kind], kind)
    good = GRIDS[kind][2]
    _set(widget, good)
    name = next(iter(good))
    field = widget.locator(f'input.bp-field-input[data-input="{name}"]')
    msg = widget.locator(f"#{field.get_attribute('aria-describedby')}")
    for text in BAD:
        field.fill(text)
        assert msg.inner_text().strip(), f"no message for {text!r}"
        assert field.get_attribute("aria-invalid") == "true"
        _check_against_package(widget, kind, good)
    field.fill(repr(good[name]))
    assert msg.inner_text() == "" and field.get_attribute("aria-invalid") == "false"
    _check_against_package(widget, kind, good)
    # Numbers that overflow inside the graph: the package refuses them, and so does the page.
    huge = OVERFLOWS[kind]
    with pytest.raises(ValueError):
        KINDS[kind][0](**{**good, **huge})
    _set(widget, huge)
    last = widget.locator(f'input.bp-field-input[data-input="{list(huge)[-1]}"]')
    text = widget.locator(f"#{last.get_attribute('aria-describedby')}").inner_text()
    assert "last good graph" in text, text
    _check_against_package(widget, kind, {**good, **dict(list(huge.items())[:-1])})
    assert not rec.console_errors, rec.console_errors


def test_instant_navigation_initialises_once(pages, open_page, site_url):
    requests = []
    rec = open_page("")
    page = rec.page
    page.on("request", lambda r: requests.append(r.url))
    page.wait_for_function("typeof window.location$ !== 'undefined'")
    assert page.evaluate("typeof window.bpExplorer") == "undefined", "loaded on a page without one"
    for _ in range(2):  # there and back twice, through Material's instant navigation
        page.evaluate(f"location$.next(new URL({site_url + pages['apple']!r}))")
        page.wait_for_selector('[data-bp-explorer="apple"][data-bp-ready="true"]')
        widget = page.locator('[data-bp-explorer="apple"]')
        assert widget.locator(".bp-explorer-panel").count() == 1
        widget.locator("button.bp-step-next").click()  # one listener: one step per click
        assert "Step 1 of" in widget.locator(".bp-step-readout").inner_text()
        _set(widget, {"apple": 7})
        _check_against_package(widget, "apple", {"apple": 7, "count": 2, "tax": 1.1})
        page.evaluate(f"location$.next(new URL({site_url!r}))")
        page.wait_for_function("!document.querySelector('[data-bp-explorer]')")
    assert sum("graph-explorer.js" in u for u in requests) == 1, "the script is fetched once"
    assert not rec.console_errors and not rec.outside_requests


def test_the_modules_load_under_the_site_prefix_in_both_editions(
    all_pages, pages, browser, site_dir
):
    """As the host serves the book: at /backprop_book/, the Korean edition at /backprop_book/ko/."""
    korean = sorted(path for path in all_pages if path.startswith("ko/"))[:1]
    with serve(site_dir) as url:  # the prefix of site_url in mkdocs.yml
        prefix = site_prefix()
        assert url.endswith(prefix) and prefix != "/"
        for path in [pages["apple"], *korean]:
            context = offline_context(browser)
            try:
                page = context.new_page()
                errors: list[str] = []
                failed: list[str] = []
                record_problems(page, errors, failed)
                responses: list[str] = []
                page.on("response", lambda r, responses=responses: responses.append(r.url))
                page.goto(url + path, wait_until="load")
                page.wait_for_selector("[data-bp-explorer][data-bp-ready=true]", timeout=10000)
                modules = [u for u in responses if "/javascripts/explorer/" in u]
                names = sorted(u.rsplit("/", 1)[1] for u in modules)
                assert names == sorted(
                    p.name for p in (site_dir / "javascripts/explorer").glob("*.js")
                )
                edition = "ko/" if path.startswith("ko/") else ""
                assert all(u.startswith(f"{url}{edition}javascripts/") for u in modules), modules
                assert not errors and not failed and not context.outside, (errors, failed)
            finally:
                context.close()
