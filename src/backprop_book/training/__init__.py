"""Training: the two-layer net, the mini-batch loop, optimizers, initial weights and data.

The third part of the book. ``two_layer_net`` is the network of *Deep Learning from Scratch*
5.7, ``loop`` the package's one training loop (iterations and epochs) and ``trainer`` the book's
way of running it, ``callbacks`` what the loop reports to (history, early stopping),
``progress`` the progress line, ``metrics`` the accuracy, ``optimizers`` and ``initializers``
the update rules and the initial weights (each with its registry of names), ``optimizer_paths``
the optimizers on a two-dimensional valley, ``gradient_flow`` the gradient's size layer by layer
in a deep stack (its figure in ``gradient_flow_plots``), ``datasets`` (with
``download`` and ``idx``) the data, ``splits`` the validation split, and ``plotting`` the
figures (imported on its own: it loads matplotlib).
"""

from backprop_book.training.callbacks import Callback, EarlyStopping, History
from backprop_book.training.datasets import load_digits, load_fashion_mnist, load_mnist
from backprop_book.training.download import DatasetError
from backprop_book.training.gradient_flow import DeepStack, measure_gradient_flow
from backprop_book.training.initializers import initialize_weight, weight_std
from backprop_book.training.loop import evaluation_iterations, iterations_per_epoch, train_loop
from backprop_book.training.metrics import accuracy
from backprop_book.training.optimizer_paths import optimizer_path
from backprop_book.training.optimizers import SGD, AdaGrad, Adam, Momentum, get_optimizer
from backprop_book.training.progress import ProgressBar
from backprop_book.training.splits import train_validation_split
from backprop_book.training.trainer import Trainer, TrainingResult
from backprop_book.training.two_layer_net import TwoLayerNet

__all__ = [
    "SGD",
    "AdaGrad",
    "Adam",
    "Callback",
    "DatasetError",
    "DeepStack",
    "EarlyStopping",
    "History",
    "Momentum",
    "ProgressBar",
    "Trainer",
    "TrainingResult",
    "TwoLayerNet",
    "accuracy",
    "evaluation_iterations",
    "get_optimizer",
    "initialize_weight",
    "iterations_per_epoch",
    "load_digits",
    "load_fashion_mnist",
    "load_mnist",
    "measure_gradient_flow",
    "optimizer_path",
    "train_loop",
    "train_validation_split",
    "weight_std",
]
