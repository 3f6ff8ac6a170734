"""examples/gradient_check.py: every parameter's relative error is printed and below 1e-7."""

from tests.helpers import run_example


def test_gradient_check_output():
    out = run_example("gradient_check.py")
    lines = out.splitlines()
    kink = float(lines[0].split(":")[1].split()[0])
    assert kink > 1e-4  # no hidden input within one step of ReLU's kink
    rows = {line.split()[0]: line.split() for line in lines if line[:2] in ("W1", "b1", "W2", "b2")}
    assert list(rows) == ["W1", "b1", "W2", "b2"]
    assert [row[1] for row in rows.values()] == ["64x10", "10", "10x10", "10"]
    for key, row in rows.items():
        mean_abs, rel = float(row[2]), float(row[3])
        assert mean_abs < 1e-8, key
        assert rel < 1e-7, key
    worst = float(lines[-1].split(":")[1])
    assert worst == max(float(row[3]) for row in rows.values())
