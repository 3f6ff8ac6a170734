"""examples/buy_apple_orange.py prints 715; 2.2, 110, 3.3, 165, 650 (derived by hand below)."""

import pytest

from tests.helpers import run_example


def test_buy_apple_orange_output():
    out = run_example("buy_apple_orange.py")
    values = {k: float(v) for k, v in (line.split(":") for line in out.splitlines())}
    tax = 1.1
    assert values == {
        "price": pytest.approx((100 * 2 + 150 * 3) * tax),  # 715
        "dApple": pytest.approx(2 * tax),  # 2.2
        "dApple_num": pytest.approx(100 * tax),  # 110
        "dOrange": pytest.approx(3 * tax),  # 3.3
        "dOrange_num": pytest.approx(150 * tax),  # 165
        "dTax": pytest.approx(100 * 2 + 150 * 3),  # 650
    }
    assert out.split() == (
        "price: 715 dApple: 2.2 dApple_num: 110 dOrange: 3.3 dOrange_num: 165 dTax: 650".split()
    )
