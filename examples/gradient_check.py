"""Gradient check: backpropagation against numerical gradients for TwoLayerNet.

As in *Deep Learning from Scratch* ``ch05/gradient_check.py``: take a small batch, compute the
gradients both ways, and compare. The book uses MNIST (784 inputs); here the bundled 8 × 8 digits
(64 inputs) keep the slow numerical gradient to a second. Float64, the book's weight scale 0.01.

Central differences step ``h = 1e-4`` to each side. If a hidden unit's input lies closer than
that to ReLU's kink at 0, the two sides see different slopes and the check fails although the
backward pass is right; the script prints that distance (seed 0 would put one at 6e-5).
"""

import numpy as np

from backprop_book import TwoLayerNet, relative_error
from backprop_book.training.datasets import load_digits

(x_train, t_train), _ = load_digits(one_hot_label=True)
x_batch = x_train[:3]
t_batch = t_train[:3]

network = TwoLayerNet(input_size=64, hidden_size=10, output_size=10, seed=2)
hidden_input = network.layers["Affine1"].forward(x_batch)  # what Relu1 sees, (3, 10)
print(f"closest hidden input to the ReLU kink: {np.abs(hidden_input).min():.2e} (h = 1e-4)")

grad_numerical = network.numerical_gradient(x_batch, t_batch)
grad_backprop = network.gradient(x_batch, t_batch)

print()
print("param  shape     mean |backprop - numerical|  relative error")
for key in ("W1", "b1", "W2", "b2"):
    diff = np.mean(np.abs(grad_backprop[key] - grad_numerical[key]))
    error = relative_error(grad_backprop[key], grad_numerical[key])
    shape = "x".join(map(str, grad_backprop[key].shape))
    print(f"{key:<6} {shape:<9} {diff:<28.2e} {error:.2e}")

worst = max(relative_error(grad_backprop[k], grad_numerical[k]) for k in grad_backprop)
print(f"worst relative error: {worst:.2e}")
