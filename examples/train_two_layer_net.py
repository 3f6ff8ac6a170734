"""Train a 64-50-10 two-layer net on the bundled handwritten digits, the book's way.

The loop of *Deep Learning from Scratch* (``ch05/train_neuralnet.py``): draw a mini-batch
with ``rng.choice``, get the gradient by backpropagation, update the parameters, record the
loss, and once per epoch (when ``i % iter_per_epoch == 0``) print train and test accuracy.
`backprop_book.training.trainer.Trainer` runs this same loop, through the package's one
training loop, `backprop_book.training.loop.train_loop`.
"""

import numpy as np

from backprop_book import TwoLayerNet, load_digits
from backprop_book.training.optimizers import Momentum

(x_train, t_train), (x_test, t_test) = load_digits()
# Standardize each pixel with statistics of the TRAINING data only (test data stays unseen).
mean, std = x_train.mean(axis=0), x_train.std(axis=0)
std[std == 0] = 1.0  # corner pixels that are always blank
x_train = (x_train - mean) / std
x_test = (x_test - mean) / std

network = TwoLayerNet(input_size=64, hidden_size=50, output_size=10, weight_init_std="he", seed=0)
optimizer = Momentum(lr=0.1, momentum=0.9)
rng = np.random.default_rng(0)

train_size = x_train.shape[0]
batch_size = 100
epochs = 20
iter_per_epoch = max(train_size // batch_size, 1)
iters_num = epochs * iter_per_epoch
print(f"train size: {train_size}, test size: {x_test.shape[0]}, batch size: {batch_size}")
print(f"iterations per epoch: {iter_per_epoch}, iterations: {iters_num}")

train_loss_list, train_acc_list, test_acc_list = [], [], []
for i in range(1, iters_num + 1):
    batch_mask = rng.choice(train_size, batch_size)  # with replacement, like the book
    x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]

    grads = network.gradient(x_batch, t_batch)  # backpropagation
    optimizer.update(network.params, grads)  # W <- W - lr * dL/dW (with momentum)

    train_loss_list.append(network.loss(x_batch, t_batch))
    if i % iter_per_epoch == 0:  # one epoch done
        train_acc = network.accuracy(x_train, t_train)
        test_acc = network.accuracy(x_test, t_test)
        train_acc_list.append(train_acc)
        test_acc_list.append(test_acc)
        epoch = i // iter_per_epoch
        print(
            f"epoch {epoch:2d} (iteration {i:3d}) | train acc, test acc | "
            f"{train_acc:.4f}, {test_acc:.4f}"
        )

print(f"first loss: {train_loss_list[0]:.4f}, last loss: {train_loss_list[-1]:.4f}")
print(f"final test accuracy: {test_acc_list[-1]:.4f}")
