"""hooks/search_math.py: search results show each formula as text, not as its TeX source.

Material's search plugin indexes a page before KaTeX typesets it; the hook rewrites each
edition's ``search_index.json`` after the build, formula by formula, and leaves the rest alone.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers import load_hook

# Raw TeX of a formula, as the index held it before the hook: \( ... \) or \[ ... \].
RAW = re.compile(r"\\\(|\\\[")


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"\partial L/\partial a_j", "∂L/∂a_j"),
        (r"y = \sigma(x_1 w_1 + b)", "y = σ(x_1 w_1 + b)"),
        (r"\frac{\partial L}{\partial y_{nk}}", "∂L/∂y_nk"),
        (r"-\frac{t_{nk}}{N\, y_{nk}}", "-t_nk/(N y_nk)"),  # a compound part in parentheses
        (r"\tfrac{a + b}{2}", "(a + b)/2"),
        (r"\frac{1}{N}\sum_n \log y_n", "1/N∑_n log y_n"),  # log keeps its space
        (r"x \xrightarrow{\;\text{softmax}\;} y", "x →(softmax) y"),
        (r"\lfloor 7.5 \rfloor = 7", "⌊7.5 ⌋= 7"),
        (r"W^{(1)}_{ij}", "W^(1)_ij"),
        (r"\sqrt{2/n}", "√(2/n)"),
        (r"\text{col}^{\mathsf T}", "col^𝖳"),
    ],
)
def test_a_formula_becomes_its_text(tex, text):
    assert load_hook("search_math").math_text(tex) == text


@pytest.mark.parametrize("tex", [r"\frac{1}", r"\frac", r"\tfrac{", r"\xrightarrow", "{{{", "x^"])
def test_tex_that_does_not_parse_still_gives_text(tex):
    """KaTeX fails the build on such a formula; here it only must not stop the index."""
    text = load_hook("search_math").math_text(tex)
    assert isinstance(text, str) and "\\" not in text


def test_only_formulas_outside_inline_code_change_and_html_stays_escaped():
    hook = load_hook("search_math")
    fragment = (
        r"<p>When \(x &lt; 0\) the gradient is \(0\); display: \[ a &amp;= b \] "
        r"and the page writes <code>\(x\)</code> for inline math.</p>"
    )
    assert hook.plain_formulas(fragment) == (
        r"<p>When x &lt; 0 the gradient is 0; display: a = b "
        r"and the page writes <code>\(x\)</code> for inline math.</p>"
    )
    assert hook.plain_formulas("no math, 5 &lt; 6") == "no math, 5 &lt; 6"


def test_a_notebook_s_dollar_formulas_become_text_and_a_page_s_dollars_stay():
    hook = load_hook("search_math")
    cell = r"<p>the gradient $\partial f/\partial z = x + y$, and $$ \pm h $$</p>"
    assert hook.plain_formulas(cell, notebook=True) == "<p>the gradient ∂f/∂z = x + y, and ±h</p>"
    code = "<pre>price = 5 $ tax $ 2</pre>"  # a cell's code is left as written
    assert hook.plain_formulas(code, notebook=True) == code
    prose = "<p>it cost $5 and $6</p>"  # on a page, arithmatex took every formula already
    assert hook.plain_formulas(prose) == prose
    assert hook.plain_formulas("<p>$5 and $ 6</p>", notebook=True) == "<p>$5 and $ 6</p>"


def test_the_index_is_rewritten_in_material_s_format(tmp_path):
    hook = load_hook("search_math")
    index = {
        "config": {"lang": ["en", "ko"], "separator": "[\\s\\-]+"},
        "docs": [
            {"location": "a/", "title": r"Simplifying to \(y(1 - y)\)", "text": "<p>시그모이드"},
            {"location": "b/", "title": "B", "text": r"<p>\(\partial L\) and \(x^2\)</p>"},
            {"location": "notebooks/lab/#x", "title": "L", "text": r"<p>$\sigma(x)$ or $5</p>"},
            {"location": "c/", "title": "C", "text": r"<p>$\sigma(x)$ costs $5</p>"},
        ],
    }
    path = tmp_path / "search" / "search_index.json"
    path.parent.mkdir()
    path.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
    hook.on_post_build({"site_dir": str(tmp_path)})
    written = path.read_text(encoding="utf-8")
    data = json.loads(written)
    assert data["config"] == index["config"]
    assert [d["title"] for d in data["docs"]] == ["Simplifying to y(1 - y)", "B", "L", "C"]
    assert data["docs"][1]["text"] == "<p>∂L and x^2</p>"
    assert data["docs"][2]["text"] == "<p>σ(x) or $5</p>"  # a notebook's $ formula
    assert data["docs"][3]["text"] == index["docs"][3]["text"]  # a page's dollars
    assert written == json.dumps(data, separators=(",", ":"))  # compact, non-ASCII escaped
    assert "\\uc2dc" in written  # as Material writes Hangul
    hook.on_post_build({"site_dir": str(tmp_path / "nowhere")})  # no index: nothing to do


def test_the_built_search_indexes_hold_no_raw_tex(site_dir):
    """Both editions: no formula is left as TeX outside inline code (nor, in a lab, as ``$``
    TeX outside its code), and a title that had one reads as text."""
    titles = {"": "Simplifying to y(1 - y)", "ko/": "y(1 - y)로 정리하기"}
    for edition, title in titles.items():
        index = json.loads((site_dir / edition / "search" / "search_index.json").read_text("utf-8"))
        raw = [
            d["location"]
            for d in index["docs"]
            if RAW.search(re.sub(r"<code>.*?</code>", "", d["title"] + d["text"], flags=re.S))
        ]
        assert raw == [], raw[:5]
        dollars = [
            d["location"]
            for d in index["docs"]
            if d["location"].startswith("notebooks/")
            and re.search(r"\$\\|\$\w", re.sub(r"<pre>.*?</pre>", "", d["text"], flags=re.S))
        ]
        assert dollars == [], dollars[:5]
        assert title in [d["title"] for d in index["docs"]]
