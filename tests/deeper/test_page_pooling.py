"""The max-pooling page: the routed gradients, overlap and padding, Flatten, the checks."""

import re

import pytest

PAGES = ["deeper/pooling/", "ko/deeper/pooling/"]


@pytest.fixture(params=PAGES)
def text(request, page_text):
    return page_text(request.param)


def test_each_gradient_goes_to_its_winner(text):
    x = [[1, 3, 0, 2], [4, 2, 1, 5], [0, 1, 6, 0], [2, 3, 0, 1]]
    dout = {(0, 0): 10, (0, 1): 20, (1, 0): 30, (1, 1): 40}
    for (i, j), g in dout.items():
        cells = [(2 * i + p, 2 * j + q) for p in range(2) for q in range(2)]
        r, s = max(cells, key=lambda c: x[c[0]][c[1]])  # no ties in this image
        assert f"({i}, {j}) -> ({r}, {s}) dout {g} dx {g}" in text
    assert "arg_max [2 3 3 0]" in text  # winners' places, row by row in each window


def test_overlap_and_padding(text):
    # the centre 9 wins all four windows and collects 1 + 2 + 3 + 4
    assert re.search(r"\[\s*0\.\s+10\.\s+0\.\]", text)
    # -1..-4 with -inf padding: nine windows, every gradient reaches the image
    assert "sum 9.0" in text


def test_flatten(text):
    assert "out (1, 1, 2, 2) -> (1, 4) [[4. 5. 3. 6.]]" in text
    assert "back (1, 1, 2, 2)" in text


def test_gradient_checks(text):
    errors = [float(v) for v in re.findall(r"P=\d x: (\S+)", text)]
    errors.append(float(re.search(r"Flatten x \(2, 3, 2, 2\) x: (\d\S*)", text).group(1)))
    assert len(errors) == 5
    assert max(errors) < 1e-7


def test_exercises(text):
    # a three-way tie: backward picks the first; the central difference gives h / 2h to each
    assert re.search(r"backward\s*\[\[1\.\s+0\.\]\s*\[0\.\s+0\.\]\]", text)
    assert re.search(r"numerical\s*\[\[0\.5\s+0\.\s*\]\s*\[0\.5\s+0\.5\]\]", text)
    # zero padding wins for negative inputs; the layer's -inf padding never does
    section = text[text.index("zero padding") :]
    assert re.search(r"\[\[\s*0\.\s+0\.\s+0\.\]", section)
    assert re.search(r"layer\s*\[\[-1\.\s+-1\.\s+-2\.\]", section)


@pytest.mark.parametrize("page", PAGES)
def test_figure_is_drawn_from_the_arrays(page, page_html):
    html = page_html(page)
    svg = re.search(r"<svg\b[^>]*role=\"img\".*?</svg>", html, re.S).group(0)
    assert svg.count("fill-opacity") == 16 + 4 + 4 + 16  # the cells of x, out, dout, dx
    assert svg.count('font-weight="bold"') == 4 + 4 + 4  # winners in x, out, winners in dx
    label = re.search(r'aria-label="([^"]+)"', svg).group(1)
    assert ("최대 풀링" in label) == page.startswith("ko/")
