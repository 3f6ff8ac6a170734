"""backprop_book: backpropagation from the computational graph up to a trained network.

The package behind the book: every page of the site imports it, and every number on a page
is printed by its code during the build. Public names are re-exported here.

Examples:
    >>> import backprop_book
    >>> backprop_book.__version__
    '0.1.0'
"""

__version__ = "0.1.0"

# Each block below is owned by one module; keep imports and __all__ entries inside it.
# [functions, layers, gradient, networks]
from backprop_book.functions import cross_entropy_error, one_hot, relu, sigmoid, softmax
from backprop_book.gradient import (
    check_layer,
    gradient_check,
    gradient_errors,
    numerical_gradient,
    relative_error,
)
from backprop_book.initializers import initialize_weight, weight_std
from backprop_book.layers import Affine, Relu, Sigmoid, SoftmaxWithLoss
from backprop_book.networks import TwoLayerNet
from backprop_book.nodes import (
    AddConstLayer,
    AddLayer,
    ExpLayer,
    MulConstLayer,
    MulLayer,
    ReciprocalLayer,
)

# [end functions, layers, gradient, networks]
# [graph]
# isort: split
from backprop_book.drawing import figure_html, to_svg
from backprop_book.graph import Value
from backprop_book.graph_examples import (
    add_graph,
    add_mul_graph,
    apple_graph,
    apple_orange_graph,
    fan_out_graph,
    mul_graph,
    sigmoid_graph,
)
from backprop_book.graph_layout import format_number

# [end graph]
# [optimizers, initializers, datasets, training, plotting]
# isort: split
from backprop_book.datasets import (
    DatasetError,
    load_digits,
    load_fashion_mnist,
    load_mnist,
    train_validation_split,
)
from backprop_book.optimizers import SGD, AdaGrad, Adam, Momentum, get_optimizer
from backprop_book.training import (
    Trainer,
    TrainingResult,
    evaluation_iterations,
    iterations_per_epoch,
)

# (plotting is not imported here, so that `import backprop_book` does not load matplotlib)
# [end optimizers, initializers, datasets, training, plotting]
# [models]
# isort: split
from backprop_book.callbacks import Callback, EarlyStopping, History
from backprop_book.dense import Activation, Dense
from backprop_book.models import Sequential
from backprop_book.serialization import ModelFileError, load_model, save_model

# [end models]

__all__ = [
    "__version__",
    # [all: functions, layers, gradient, networks]
    "AddConstLayer",
    "AddLayer",
    "Affine",
    "ExpLayer",
    "MulConstLayer",
    "MulLayer",
    "ReciprocalLayer",
    "Relu",
    "Sigmoid",
    "SoftmaxWithLoss",
    "TwoLayerNet",
    "check_layer",
    "cross_entropy_error",
    "gradient_check",
    "gradient_errors",
    "initialize_weight",
    "numerical_gradient",
    "one_hot",
    "relative_error",
    "relu",
    "sigmoid",
    "softmax",
    "weight_std",
    # [end all: functions, layers, gradient, networks]
    # [all: graph]
    "Value",
    "add_graph",
    "add_mul_graph",
    "apple_graph",
    "apple_orange_graph",
    "fan_out_graph",
    "figure_html",
    "format_number",
    "mul_graph",
    "sigmoid_graph",
    "to_svg",
    # [end all: graph]
    # [all: optimizers, initializers, datasets, training, plotting]
    "DatasetError",
    "load_digits",
    "load_fashion_mnist",
    "load_mnist",
    "train_validation_split",
    "SGD",
    "AdaGrad",
    "Adam",
    "Momentum",
    "get_optimizer",
    "Trainer",
    "TrainingResult",
    "evaluation_iterations",
    "iterations_per_epoch",
    # [end all: optimizers, initializers, datasets, training, plotting]
    # [all: models]
    "Activation",
    "Callback",
    "Dense",
    "EarlyStopping",
    "History",
    "ModelFileError",
    "Sequential",
    "load_model",
    "save_model",
    # [end all: models]
]
