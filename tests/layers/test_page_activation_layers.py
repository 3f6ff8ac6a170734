"""The activation-layers page: the sigmoid graph's numbers and the checks, computed at build."""

import math
import re

PAGE = "layers/activation-layers/"


def _number(text: str, label: str) -> float:
    match = re.search(re.escape(label) + r"\s*(-?[0-9.]+(?:e[-+]?\d+)?)", text)
    assert match, label
    return float(match.group(1))


def test_sigmoid_graph_step_by_step(page_text):
    text = page_text(PAGE)
    y = 1 / (1 + math.exp(-1.0))  # sigmoid(1), by hand
    assert _number(text, "forward ×(-1):") == -1.0
    assert _number(text, "forward exp:") == round(math.exp(-1), 6)
    assert _number(text, "forward 1/x:") == round(y, 6)
    assert _number(text, "backward 1/x:") == round(-(y**2), 6)  # local gradient -y²
    assert _number(text, "backward exp:") == round(-(y**2) * math.exp(-1), 6)
    assert _number(text, "backward ×(-1):") == round(y * (1 - y), 6)
    assert _number(text, "y² exp(-x) =") == _number(text, "y(1 - y) =") == round(y * (1 - y), 6)
    assert _number(text, "largest difference, output:") < 1e-12
    assert _number(text, "largest difference, gradient:") < 1e-12


def test_numerical_checks(page_text):
    text = page_text(PAGE)
    rows = re.findall(r"\) Sigmoid (\S+) Relu (\S+)", text)
    assert len(rows) == 3
    assert all(float(a) < 1e-7 and float(b) < 1e-7 for a, b in rows)


def test_exercises(page_text):
    text = page_text(PAGE)
    assert "largest y(1 - y): 0.250000 at x = 0.0000" in text
    assert f"after ten layers at most: {0.25**10:.3e}" in text
    assert "layer: [0.] central difference: [0.5]" in text
    assert _number(text, "relative error:") < 1e-7  # tanh' = 1 - y²


def test_figure(page_html):
    html = page_html(PAGE)
    assert '<figure class="bp-figure">' in html and "<svg" in html
    assert "Sigmoid and ReLU with the derivatives" in html


def test_sigmoid_figure_uses_the_derivations_names(page_html):
    import html as html_lib

    for edition in ("", "ko/"):
        html = page_html(edition + PAGE)
        figure = html[html.index('<figure class="bp-figure">') :]
        figure = figure[: figure.index("</figure>")]
        # a, b, c drawn above the nodes that compute them, as the derivation names them
        names = re.findall(r'class="bp-name bp-name-op"[^>]*>([^<]*)<', figure)
        assert names == ["a", "b", "c"]
        caption = html_lib.unescape(re.search(r"<figcaption>(.*?)</figcaption>", figure).group(1))
        assert "x → ×(−1) → a → exp → b → +1 → c → 1/x → y" in caption
        assert "a = −x, b = exp(a), c = 1 + b" in caption and "y = 1/c" in caption
    assert "의 계산 그래프" in page_html("ko/" + PAGE)  # the Korean figure's accessible name


# --- the sigmoid's graph, runnable in the browser ------------------------------------------


def _runnable_blocks(html: str, session: str) -> list[str]:
    """The HTML of each runnable block (``data-bp-run="session"``) of a page, in order."""
    blocks = []
    for start in re.finditer(f'<div class="bp-run" data-bp-run="{session}">', html):
        depth = 0
        for tag in re.finditer(r"<div\b|</div>", html[start.start() :]):
            depth += 1 if tag.group() == "<div" else -1
            if depth == 0:
                blocks.append(html[start.start() : start.start() + tag.end()])
                break
    return blocks


def test_the_graph_walk_prints_each_node_and_reaches_y_times_one_minus_y(page_text):
    from backprop_book import format_number, sigmoid_graph

    y = sigmoid_graph(1.0)  # the figure's graph, computed here by the same engine
    node, steps = y, []
    while node.inputs:
        steps.append((node.op, node.grad, node.local_grads[0]))
        node = node.inputs[0]
    for edition in ("", "ko/"):
        text = page_text(edition + PAGE)
        for (op, upstream, local), to in zip(steps, ["c", "b", "a", "x"], strict=True):
            line = (f"{op}: {format_number(upstream)} × {format_number(local)} "
                    f"= {format_number(upstream * local)} → {to}")  # fmt: skip
            assert line in text, (edition, line)
        slope = format_number(y.data * (1 - y.data))
        assert f"∂y/∂x = {format_number(node.grad)} y(1 − y) = {slope}" in text
    assert abs(node.grad - math.e / (1 + math.e) ** 2) < 1e-12  # sigmoid'(1), by hand


def test_the_graph_blocks_are_runnable_and_the_numpy_check_is_not(page_html):
    from tests.helpers import html_to_text

    for edition in ("", "ko/"):
        html = page_html(edition + PAGE)
        blocks = _runnable_blocks(html, "sigmoid-graph")
        assert len(blocks) == 2, edition  # the figure and the walk
        figure, walk = blocks
        assert '<figure class="bp-figure">' in figure
        figure, walk = html_to_text(figure), html_to_text(walk)  # the code, highlighted
        assert "sigmoid_graph" in figure and "local_grads" in walk
        assert all("numpy" not in block for block in (figure, walk))  # graph engine only
        # The layer check imports numpy: no Run button, and the page says where it runs.
        check = html[html.index("MulConstLayer(") :]
        assert "bp-run" not in check[: check.index("</div>")]
        assert 'href="../../notebooks/layers-lab/"' in html
        assert 'href="../../getting-started/"' in html


def test_the_local_gradients_exercise(page_text, page_html):
    for edition in ("", "ko/"):
        html = page_html(edition + PAGE)
        assert 'data-bp-exercise="sigmoid_local_grads"' in html
        text = page_text(edition + PAGE)
        a = -1.0
        b, y = math.exp(a), 1 / (1 + math.exp(a))  # at x = 1, by hand
        assert f"da/dx, db/da, dc/db, dy/dc = −1, {b:.4g}, 1, −{y * y:.4g}" in text
        assert f"product = {y * (1 - y):.4f} ∂y/∂x = {y * (1 - y):.4f}" in text


def _page_section(section: str) -> str:
    """The code of the snippet section ``section`` of the English page's Markdown, dedented."""
    from tests.helpers import ROOT

    text = (ROOT / "docs" / "layers" / "activation-layers.md").read_text("utf-8")
    body = text.split(f"[start:{section}] -->", 1)[1].split(f"[end:{section}]", 1)[0]
    lines = body.split("```", 2)[1].splitlines()[1:]
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return "\n".join(line[indent:] for line in lines) + "\n"


def test_the_browser_check_passes_the_solution_and_fails_wrong_answers():
    """docs/javascripts/runner/checks.py, in CPython, on the page's own starter and solution."""
    import importlib
    import sys

    from tests.helpers import ROOT

    runner = str(ROOT / "docs" / "javascripts" / "runner")
    sys.path.insert(0, runner)
    try:
        bp_runner, checks = importlib.import_module("bp_runner"), importlib.import_module("checks")
        bp_runner.run([], _page_section("al-ex-locals-2"))
        passed, message = checks.check("sigmoid_local_grads", "en")
        assert passed and "at 3 points" in message, message
        exp_of_x = (  # the exp of the wrong input: x instead of a = -x
            "import math\n\ndef sigmoid_local_grads(x):\n    y = 1 / (1 + math.exp(-x))\n"
            "    return -1.0, math.exp(x), 1.0, -y * y\n"
        )
        for code in (_page_section("al-ex-locals"), exp_of_x):
            bp_runner.run([], code)
            for lang, word in (("en", "expected"), ("ko", "기대한")):
                passed, message = checks.check("sigmoid_local_grads", lang)
                assert not passed and word in message, message
        for _, reference, numerical in checks.EXERCISES["sigmoid_local_grads"]():
            for r, n in zip(reference, numerical, strict=True):
                # a central difference with h = 1e-4: error O(h²) ≈ 1e-8 × |f'''|, under 1e-6
                assert abs(r - n) <= 1e-6 * max(1.0, abs(r))
    finally:
        sys.path.remove(runner)
        sys.modules.pop("bp_runner", None)
        sys.modules.pop("checks", None)
