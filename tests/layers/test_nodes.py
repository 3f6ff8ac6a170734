"""Tests for backprop_book.layers.nodes: the seed's apple numbers, local gradients.

Expected numbers are derived by hand from the chain rule (no call into the code under test).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backprop_book.layers import Sigmoid
from backprop_book.layers.gradient_check import check_layer
from backprop_book.layers.nodes import (
    AddConstLayer,
    AddLayer,
    ExpLayer,
    MulConstLayer,
    MulLayer,
    ReciprocalLayer,
)


def test_apples_forward_and_backward():
    apple, apple_num, tax = 100, 2, 1.1
    mul_apple, mul_tax = MulLayer(), MulLayer()
    apple_price = mul_apple.forward(apple, apple_num)
    price = mul_tax.forward(apple_price, tax)
    dapple_price, dtax = mul_tax.backward(1)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    # By hand: price = 100*2*1.1; d/d(apple) = count*tax; d/d(count) = apple*tax; d/d(tax) = 100*2.
    assert price == pytest.approx(220)
    assert dapple == pytest.approx(2 * 1.1) == pytest.approx(2.2)
    assert dapple_num == pytest.approx(100 * 1.1) == pytest.approx(110)
    assert dtax == pytest.approx(100 * 2) == pytest.approx(200)


def test_apples_and_oranges_forward_and_backward():
    apple, apple_num, orange, orange_num, tax = 100, 2, 150, 3, 1.1
    mul_apple, mul_orange, add, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    apple_price = mul_apple.forward(apple, apple_num)
    orange_price = mul_orange.forward(orange, orange_num)
    all_price = add.forward(apple_price, orange_price)
    price = mul_tax.forward(all_price, tax)
    dall_price, dtax = mul_tax.backward(1)
    dapple_price, dorange_price = add.backward(dall_price)
    dorange, dorange_num = mul_orange.backward(dorange_price)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    assert price == pytest.approx((200 + 450) * 1.1) == pytest.approx(715)
    assert dapple == pytest.approx(2.2)  # apple_num * tax
    assert dapple_num == pytest.approx(110)  # apple * tax
    assert dorange == pytest.approx(3.3)  # orange_num * tax
    assert dorange_num == pytest.approx(165)  # orange * tax
    assert dtax == pytest.approx(650)  # 100*2 + 150*3


finite = st.floats(-5, 5, allow_nan=False).filter(lambda v: v == 0 or abs(v) >= 1e-3)
shapes = st.sampled_from([(), (1,), (3,), (2, 3), (1, 2, 2)])


@settings(max_examples=25, deadline=None)
@given(data=st.data(), shape=shapes)
def test_two_input_nodes_gradients(data, shape):
    x = data.draw(arrays(np.float64, shape, elements=finite))
    y = data.draw(arrays(np.float64, shape, elements=finite))
    for node in (MulLayer(), AddLayer()):
        errors = check_layer(node, x, y)
        assert set(errors) == {"x", "y"}
        assert max(errors.values()) < 1e-7


@settings(max_examples=25, deadline=None)
@given(data=st.data(), shape=shapes, c=st.floats(-3, 3, allow_nan=False))
def test_one_input_nodes_gradients(data, shape, c):
    x = data.draw(arrays(np.float64, shape, elements=st.floats(0.5, 4)))  # h²/x² < 1e-7
    sign = data.draw(st.sampled_from([-1.0, 1.0]))
    for node in (MulConstLayer(c), AddConstLayer(c), ExpLayer(), ReciprocalLayer()):
        assert check_layer(node, sign * x)["x"] < 1e-7


def test_local_gradients_by_hand():
    rec = ReciprocalLayer()
    assert rec.forward(4.0) == 0.25
    assert rec.backward(2.0) == pytest.approx(2.0 * -(1 / 16))  # -1/x^2 = -y^2
    exp = ExpLayer()
    assert exp.forward(1.0) == pytest.approx(np.e)
    assert exp.backward(3.0) == pytest.approx(3.0 * np.e)
    assert MulConstLayer(-1).forward(2.5) == -2.5
    assert AddConstLayer(1).forward(2.5) == 3.5


def test_broadcast_gradients_are_summed_back():
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    y = np.array([10.0, 20.0, 30.0])
    mul = MulLayer()
    mul.forward(x, y)
    dx, dy = mul.backward(np.ones((2, 3)))
    np.testing.assert_array_equal(dx, np.broadcast_to(y, (2, 3)))
    np.testing.assert_array_equal(dy, [5.0, 7.0, 9.0])
    add = AddLayer()
    add.forward(x, 1.0)
    dx, dy = add.backward(np.ones((2, 3)))
    assert dx.shape == (2, 3) and float(dy) == 6.0
    assert check_layer(MulLayer(), x, y)["y"] < 1e-7


def test_sigmoid_graph_chain_equals_sigmoid_layer():
    x = np.linspace(-4, 4, 9)
    dout = np.linspace(0.5, 1.5, 9)
    nodes = [MulConstLayer(-1), ExpLayer(), AddConstLayer(1), ReciprocalLayer()]
    out = x
    for node in nodes:
        out = node.forward(out)
    grad = dout
    for node in reversed(nodes):
        grad = node.backward(grad)
    layer = Sigmoid()
    np.testing.assert_allclose(out, layer.forward(x), rtol=1e-14)
    np.testing.assert_allclose(grad, layer.backward(dout), rtol=1e-12)
    y = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(grad, dout * y * (1 - y), rtol=1e-12)


def test_nodes_do_not_modify_dout_or_inputs():
    x, y, dout = np.array([1.0, 2.0]), np.array([3.0, 4.0]), np.array([1.0, 1.0])
    for node, args in [(MulLayer(), (x, y)), (AddLayer(), (x, y))]:
        node.forward(*args)
        dx, dy = node.backward(dout)
        dx += 100
        dy += 100
    np.testing.assert_array_equal(dout, [1.0, 1.0])
    np.testing.assert_array_equal(x, [1.0, 2.0])
    np.testing.assert_array_equal(y, [3.0, 4.0])


@pytest.mark.parametrize(
    "node",
    [MulLayer(), AddLayer(), ExpLayer(), ReciprocalLayer(), MulConstLayer(2), AddConstLayer(2)],
)
def test_backward_before_forward_raises(node):
    with pytest.raises(RuntimeError, match=r"backward was called before forward"):
        node.backward(1.0)


def test_dout_shape_mismatch_and_reciprocal_of_zero():
    mul = MulLayer()
    mul.forward(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match=r"MulLayer.backward: dout has shape \(2,\).*\(3,\)"):
        mul.backward(np.ones(2))
    with pytest.raises(ValueError, match="ReciprocalLayer: x contains 0"):
        ReciprocalLayer().forward(np.array([1.0, 0.0]))


def test_shapes_that_do_not_broadcast_name_the_layer_and_leave_no_cache():
    mul = MulLayer()
    mul.forward(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match=r"MulLayer: x of shape \(2,\) and y of shape \(3,\)"):
        mul.forward(np.ones(2), np.ones(3))
    with pytest.raises(RuntimeError, match="before forward"):
        mul.backward(np.ones(3))
    with pytest.raises(ValueError, match=r"AddLayer: x of shape \(2, 2\) and y of shape \(3,\)"):
        AddLayer().forward(np.ones((2, 2)), np.ones(3))
