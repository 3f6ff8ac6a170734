"""The checks of the runnable exercises (graphs chapters, the sigmoid's graph), in the browser.

``runner.js`` runs the reader's code (``bp_runner.run``), then ``check(name, lang)``: the
function the reader wrote is compared, at a few points, with the book's reference (what the
package's ``Value`` records and ``backward`` computes) and with a numerical gradient (a central
difference). ``tests/graphs/test_runner_checks.py`` runs these checks in CPython on the
reference solutions and on wrong answers.
"""

from __future__ import annotations

import math

import bp_runner

from backprop_book import Value, apple_orange_graph, sigmoid_graph

H = 1e-4  # the central difference's step: its error is O(H²) for these smooth functions
TOLERANCE = 1e-6  # relative: the difference of these products is exact to about 1e-9

TEXT = {
    "en": {
        "missing": "Define a function named {name} (it is not defined).",
        "raised": "{name}{args} raised {error}.",
        "wrong": "{name}{args} gives {got}; expected {want}.",
        "numerical": "the numerical gradient (central difference) is {numerical}",
        "passed": "Right: {name} agrees with the book's Value and with the numerical gradient "
        "at {count} points.",
    },
    "ko": {
        "missing": "{name}이라는 함수를 정의하세요(아직 정의되지 않았습니다).",
        "raised": "{name}{args}에서 {error} 예외가 났습니다.",
        "wrong": "{name}{args}의 결과는 {got}인데, 기대한 값은 {want}입니다.",
        "numerical": "수치 미분(중심 차분)으로는 {numerical}",
        "passed": "정답입니다. {name}의 값이 {count}개의 점에서 책의 Value, 수치 미분과 "
        "일치합니다.",
    },
}


def _close(a: object, b: float) -> bool:
    return isinstance(a, (int, float)) and abs(a - b) <= TOLERANCE * max(1.0, abs(b))


def _rounded(values: object) -> object:
    if isinstance(values, dict):
        return {k: _rounded(v) for k, v in values.items()}
    if isinstance(values, (list, tuple)):
        return tuple(_rounded(v) for v in values)
    return round(values, 6) if isinstance(values, float) else values


def _mul_local_cases():
    """``mul_local(x, y)`` is (∂z/∂x, ∂z/∂y) for z = x × y."""
    for x, y in ((3.0, 5.0), (-2.0, 4.0), (0.5, -1.5)):
        z = Value(x, "x") * Value(y, "y")
        reference = tuple(z.local_grads)
        numerical = (((x + H) * y - (x - H) * y) / (2 * H), (x * (y + H) - x * (y - H)) / (2 * H))
        yield (x, y), reference, numerical


BILL = ("apple", "apple_count", "orange", "orange_count", "tax")


def _bill_cases():
    """``bill_gradients(...)`` is the dict of ∂price/∂input for the apples-and-oranges bill."""
    for inputs in ((100.0, 2.0, 150.0, 3.0, 1.1), (120.0, 4.0, 90.0, 1.0, 1.2)):
        price = apple_orange_graph(*inputs)
        reference = {name: price.named()[name].grad for name in BILL}
        numerical = {}
        for i, name in enumerate(BILL):
            up, down = list(inputs), list(inputs)
            up[i] += H
            down[i] -= H
            numerical[name] = (
                apple_orange_graph(*up, backward=False).data
                - apple_orange_graph(*down, backward=False).data
            ) / (2 * H)
        yield inputs, reference, numerical


def _sigmoid_cases():
    """``sigmoid_local_grads(x)`` is (da/dx, db/da, dc/db, dy/dc) along x → a → b → c → y.

    The sigmoid's chain a = −x, b = exp(a), c = b + 1, y = 1/c: each node's local gradient as
    the book's ``sigmoid_graph`` records it, and each node's own central difference.
    """
    for x in (1.0, -2.0, 0.5):
        y = sigmoid_graph(x, backward=False)
        chain = []  # the nodes from y back to x, following each node's first input
        node = y
        while node.inputs:
            chain.append(node)
            node = node.inputs[0]
        reference = tuple(n.local_grads[0] for n in reversed(chain))
        a = -x
        b = math.exp(a)
        c = b + 1
        numerical = (
            ((-(x + H)) - (-(x - H))) / (2 * H),
            (math.exp(a + H) - math.exp(a - H)) / (2 * H),
            ((b + H + 1) - (b - H + 1)) / (2 * H),
            (1 / (c + H) - 1 / (c - H)) / (2 * H),
        )
        yield (x,), reference, numerical


EXERCISES = {
    "mul_local": _mul_local_cases,
    "bill_gradients": _bill_cases,
    "sigmoid_local_grads": _sigmoid_cases,
}


def check(name: str, lang: str = "en", namespace: dict | None = None) -> tuple[bool, str]:
    """Check the reader's function ``name``; return (passed, what to tell the reader)."""
    text = TEXT["ko" if lang.startswith("ko") else "en"]
    namespace = bp_runner.last_namespace if namespace is None else namespace
    function = namespace.get(name)
    if not callable(function):
        return False, text["missing"].format(name=name)
    count = 0
    for args, reference, numerical in EXERCISES[name]():
        shown = "(" + ", ".join(f"{a:g}" for a in args) + ")"
        try:
            got = function(*args)
        except Exception as exc:  # the reader's code: report, never crash the page
            return False, text["raised"].format(name=name, args=shown, error=repr(exc))
        if isinstance(reference, dict):
            ok = isinstance(got, dict) and all(_close(got.get(k), v) for k, v in reference.items())
        else:
            ok = isinstance(got, (tuple, list)) and len(got) == len(reference)
            ok = ok and all(_close(g, r) for g, r in zip(got, reference, strict=True))
        if not ok:
            message = text["wrong"].format(
                name=name, args=shown, got=_rounded(got), want=_rounded(reference)
            )
            numbers = text["numerical"].format(numerical=_rounded(numerical))
            return False, f"{message}\n({numbers})"
        count += 1
    return True, text["passed"].format(name=name, count=count)
