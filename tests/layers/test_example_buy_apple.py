"""examples/buy_apple.py prints the seed's numbers: 220; 2.2, 110, 200 (derived by hand below)."""

import pytest

from tests.helpers import run_example


def _values(out: str) -> dict[str, float]:
    return {
        line.split(":")[0]: float(line.split(":")[1])
        for line in out.splitlines()
        if line.startswith(("price", "d"))
    }


def test_buy_apple_output():
    out = run_example("buy_apple.py")
    values = _values(out)
    assert out.splitlines()[:4] == ["price: 220", "dApple: 2.2", "dApple_num: 110", "dTax: 200"]
    # by hand: price = 100 * 2 * 1.1; dprice/dapple = 2 * 1.1; dprice/dnum = 100 * 1.1; dtax = 200
    assert values == {
        "price": pytest.approx(100 * 2 * 1.1),
        "dApple": pytest.approx(2 * 1.1),
        "dApple_num": pytest.approx(100 * 1.1),
        "dTax": pytest.approx(100 * 2),
    }
    assert "exact floats: 220.00000000000003 2.2 110.00000000000001 200" in out
