"""Keras-style models: `Sequential` of `Dense` and `Activation` blocks, saved to one file.

The fourth part of the book. ``dense`` holds the blocks (an Affine layer and an activation),
``sequential`` the model with ``compile``, ``fit``, ``evaluate``, ``predict``, its
``get_config``/``from_config`` and ``save_model``/``load_model``, ``inputs`` the checks of its
arguments, ``summary`` the table of layers, and ``saving`` the model file (JSON architecture and
weights, no pickle).
"""

from backprop_book.models.dense import Activation, Dense
from backprop_book.models.saving import ModelFileError
from backprop_book.models.sequential import Sequential, load_model, save_model

__all__ = ["Activation", "Dense", "ModelFileError", "Sequential", "load_model", "save_model"]
