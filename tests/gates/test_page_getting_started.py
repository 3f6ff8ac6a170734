"""The home page and Getting started show output of executed code."""

import re

import backprop_book


def test_getting_started_shows_the_installed_package(page_text):
    text = page_text("getting-started/")
    assert f"backprop-book {backprop_book.__version__}" in text
    assert re.search(r"needs Python\s+>=3\.10", text)
    assert "price = 220" in text
    for word in ("pip install", "conda install", "ipykernel", "make serve", "make test"):
        assert word in text, word


def test_home_page_computes_the_apple_price(page_text):
    text = page_text("")
    assert "price = (100 x 2) x 1.1 = 220" in text


def test_home_page_shows_the_apple_graph_drawn_from_the_computation(page_html):
    html = page_html("")
    svg = html[html.index("<svg") : html.index("</svg>")]
    for number in ("100", "220", "2.2", "110", "200"):
        assert f">{number}<" in svg, number
