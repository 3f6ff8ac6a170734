"""Keras-style models: `Sequential` of Keras' blocks, trained with ``fit``, saved to one file.

The fourth part of the book. ``dense`` holds the ``Dense`` and ``Activation`` blocks,
``conv_blocks`` ``Conv2D``, ``MaxPooling2D`` and ``Flatten`` (channels-last images, as in
Keras), ``mode_blocks`` ``BatchNormalization`` and ``Dropout`` (which train one way and predict
another); ``sequential`` the model with ``compile``, ``fit``, ``evaluate``, ``predict``, its
``get_config``/``from_config`` and ``save_model``/``load_model``, ``inputs`` the checks of its
arguments, ``summary`` the table of layers, and ``saving`` the model file (JSON architecture and
weights, no pickle).

``Flatten``, ``BatchNormalization`` and ``Dropout`` are importable from here,
``from backprop_book.models import Dropout``, but not from ``backprop_book`` itself: there
those names are the book's layers of `backprop_book.deeper`, which these blocks wrap.
"""

from backprop_book.models.conv_blocks import Conv2D, MaxPooling2D
from backprop_book.models.conv_blocks import Flatten as Flatten  # Keras' name, kept off the top
from backprop_book.models.dense import Activation, Dense
from backprop_book.models.mode_blocks import BatchNormalization as BatchNormalization
from backprop_book.models.mode_blocks import Dropout as Dropout
from backprop_book.models.saving import ModelFileError
from backprop_book.models.sequential import Sequential, load_model, save_model

__all__ = [
    "Activation",
    "Conv2D",
    "Dense",
    "MaxPooling2D",
    "ModelFileError",
    "Sequential",
    "load_model",
    "save_model",
]
