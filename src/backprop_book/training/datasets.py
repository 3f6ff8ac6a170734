"""Data sets and splits: the bundled digits, MNIST, Fashion-MNIST, and a validation split.

The loaders return ``(x_train, t_train), (x_test, t_test)`` with the options of
``load_mnist`` in *Deep Learning from Scratch* (밑바닥부터 시작하는 딥러닝, ``dataset/mnist.py``):
``normalize`` (pixels to float32 in [0, 1]), ``flatten`` (``(N, H*W)`` rows, else
``(N, 1, H, W)`` images) and ``one_hot_label`` (labels as float32 one-hot rows, else uint8
class numbers).

* :func:`load_digits` reads the UCI handwritten digits shipped inside the package (offline).
* :func:`load_mnist` and :func:`load_fashion_mnist` read the four IDX files from a local
  directory, the cache, or a mirror (downloaded once, checked by SHA-256).
* :func:`~backprop_book.training.splits.train_validation_split` takes
  the last fraction as validation data, like Keras' ``fit(..., validation_split=0.2)``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np

from backprop_book.training.download import DatasetError, obtain
from backprop_book.training.fetch import check_mirrors
from backprop_book.training.idx import parse_idx

__all__ = [
    "FASHION_MNIST_CLASSES",
    "FASHION_MNIST_LOCAL_DIRS",
    "FASHION_MNIST_MIRRORS",
    "FASHION_MNIST_SHA256",
    "MNIST_MIRRORS",
    "MNIST_SHA256",
    "load_digits",
    "load_fashion_mnist",
    "load_mnist",
]

#: Base URLs tried in order for MNIST: PyTorch's mirror, then the one TensorFlow uses.
MNIST_MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
#: Base URLs tried in order for Fashion-MNIST: Zalando Research's bucket, then its repository.
FASHION_MNIST_MIRRORS: tuple[str, ...] = (
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
)
#: Local directories searched for Fashion-MNIST before downloading (Debian's package).
FASHION_MNIST_LOCAL_DIRS: tuple[str, ...] = ("/usr/share/datasets/fashion-mnist",)

# SHA-256 of the *uncompressed* IDX files (the same digest for the mirrors' .gz files, for
# Debian's re-compressed copies and for files unpacked by hand).
#: SHA-256 of the uncompressed MNIST IDX files.
MNIST_SHA256: dict[str, str] = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
#: SHA-256 of the uncompressed Fashion-MNIST IDX files.
FASHION_MNIST_SHA256: dict[str, str] = {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}
#: Fashion-MNIST class names, by label 0..9.
FASHION_MNIST_CLASSES: tuple[str, ...] = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip

_IDX_FILES = (  # (train images, train labels, test images, test labels)
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)
# The most bytes each file's content has (IDX header + 60,000 or 10,000 images or labels, the
# same for MNIST and Fashion-MNIST): it caps what a download may read and inflate.
IDX_SIZES = dict(zip(_IDX_FILES, (16 + 60_000 * 784, 8 + 60_000, 16 + 10_000 * 784, 8 + 10_000),
                     strict=True))  # fmt: skip

Split = tuple[np.ndarray, np.ndarray]


def _prepare(
    x: np.ndarray, t: np.ndarray, scale: float, normalize: bool, flatten: bool, one_hot: bool
) -> Split:
    """Apply the book's options to uint8 images ``x`` (N, H, W) and uint8 labels ``t`` (N,)."""
    n, h, w = x.shape
    out = x.astype(np.float32) / np.float32(scale) if normalize else x.copy()
    out = out.reshape(n, h * w) if flatten else out.reshape(n, 1, h, w)
    labels = np.eye(10, dtype=np.float32)[t] if one_hot else t.astype(np.uint8, copy=True)
    return out, labels


def load_digits(
    normalize: bool = True, flatten: bool = True, one_hot_label: bool = False
) -> tuple[Split, Split]:
    """Load the UCI handwritten digits that ship with the package: 8 × 8 images, 10 classes.

    The data set is the test part of "Optical Recognition of Handwritten Digits" by
    E. Alpaydin and C. Kaynak (1998), UCI Machine Learning Repository,
    https://doi.org/10.24432/C50P49, licensed CC BY 4.0: 1,797 digits written by 13 people,
    each pixel the count (0..16) of ink pixels in a 4 × 4 block of a 32 × 32 bitmap.

    The train/test split is fixed, made once by ``scripts/make_digits_npz.py`` and stored in
    ``backprop_book/data/digits.npz``: stratified, 20 % of each class (rounded) in the test
    set, drawn with ``numpy.random.default_rng(0)``; both sets are in a shuffled order.

    Args:
        normalize: Pixels as float32 in [0, 1] (divided by 16); else uint8 0..16.
        flatten: Images as rows of 64 values; else shape ``(N, 1, 8, 8)``.
        one_hot_label: Labels as float32 one-hot rows ``(N, 10)``; else uint8 ``(N,)``.

    Returns:
        ``(x_train, t_train), (x_test, t_test)``.

    Examples:
        >>> (x_train, t_train), (x_test, t_test) = load_digits()
        >>> x_train.shape, t_train.shape, x_test.shape, t_test.shape
        ((1438, 64), (1438,), (359, 64), (359,))
        >>> float(x_train.min()), float(x_train.max()), x_train.dtype
        (0.0, 1.0, dtype('float32'))
        >>> (x, t), _ = load_digits(normalize=False, flatten=False, one_hot_label=True)
        >>> x.shape, x.dtype, int(x.max()), t.shape
        ((1438, 1, 8, 8), dtype('uint8'), 16, (1438, 10))
    """
    ref = resources.files("backprop_book") / "data" / "digits.npz"
    with resources.as_file(ref) as path, np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in ("x_train", "t_train", "x_test", "t_test")}
    train = _prepare(arrays["x_train"], arrays["t_train"], 16, normalize, flatten, one_hot_label)
    test = _prepare(arrays["x_test"], arrays["t_test"], 16, normalize, flatten, one_hot_label)
    return train, test


def _load_idx_dataset(
    dataset: str,
    sha256: dict[str, str],
    mirrors: Sequence[str],
    extra_dirs: Sequence[str],
    options: tuple[bool, bool, bool],
    **where: Any,  # data_dir, cache_dir, download_missing, timeout, progress: passed to obtain
) -> tuple[Split, Split]:
    arrays, mirrors = [], check_mirrors(f"load_{dataset.replace('-', '_')}", mirrors)
    for name in _IDX_FILES:
        content = obtain(
            name, sha256[name], dataset=dataset, all_names=_IDX_FILES, mirrors=mirrors,
            extra_dirs=extra_dirs, size=IDX_SIZES[name], **where,
        )  # fmt: skip
        arrays.append(parse_idx(content, f"{dataset} {name}"))
    x_train, t_train, x_test, t_test = arrays
    for x, t, part in ((x_train, t_train, "train"), (x_test, t_test, "test")):
        if x.ndim != 3 or t.ndim != 1 or x.shape[0] != t.shape[0]:
            raise DatasetError(
                f"{dataset}: {part} images have shape {x.shape} and labels {t.shape}; "
                "expected (N, H, W) images and N labels"
            )
    normalize, flatten, one_hot = options
    return (
        _prepare(x_train, t_train, 255, normalize, flatten, one_hot),
        _prepare(x_test, t_test, 255, normalize, flatten, one_hot),
    )


def load_mnist(
    normalize: bool = True,
    flatten: bool = True,
    one_hot_label: bool = False,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    download: bool = True,
    mirrors: Sequence[str] | None = None,
    timeout: float = 30.0,
    progress: bool = True,
) -> tuple[Split, Split]:
    """Load MNIST (Y. LeCun, C. Cortes, C. J. C. Burges): 60,000 + 10,000 digits, 28 × 28.

    With ``data_dir``, the four IDX files (``train-images-idx3-ubyte`` and so on, ``.gz`` or
    unpacked) are read from that directory and nothing is downloaded. Otherwise they come from
    the cache (``$BACKPROP_BOOK_DATA``, else ``cache_dir``, else
    ``$XDG_CACHE_HOME/backprop_book``, else ``~/.cache/backprop_book``; subdirectory
    ``mnist``), and what is missing or fails its check is downloaded from
    :data:`MNIST_MIRRORS` in turn (about 11 MB). Every file is checked against
    :data:`MNIST_SHA256`.

    Args:
        normalize: Pixels as float32 in [0, 1] (divided by 255); else uint8 0..255.
        flatten: Images as rows of 784 values; else shape ``(N, 1, 28, 28)``.
        one_hot_label: Labels as float32 one-hot rows ``(N, 10)``; else uint8 ``(N,)``.
        data_dir: A directory that already holds the IDX files.
        cache_dir: Where to cache downloads (``$BACKPROP_BOOK_DATA`` overrides it).
        download: Download missing files; if False, only local files are used.
        mirrors: Base URLs to try instead of :data:`MNIST_MIRRORS`.
        timeout: Network timeout in seconds.
        progress: Show a progress bar while downloading (needs tqdm and a terminal).

    Returns:
        ``(x_train, t_train), (x_test, t_test)``.

    Raises:
        DatasetError: If a file is missing, cannot be downloaded or fails its check; the
            message lists every place and URL tried and how to place the files by hand.

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as empty:
        ...     load_mnist(data_dir=empty)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        backprop_book.training.download.DatasetError: mnist: no valid copy of train-images-...
    """
    return _load_idx_dataset(
        "mnist", MNIST_SHA256, MNIST_MIRRORS if mirrors is None else mirrors, (),
        (normalize, flatten, one_hot_label), data_dir=data_dir, cache_dir=cache_dir,
        download_missing=download, timeout=timeout, progress=progress,
    )  # fmt: skip


def load_fashion_mnist(
    normalize: bool = True,
    flatten: bool = True,
    one_hot_label: bool = False,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    download: bool = True,
    mirrors: Sequence[str] | None = None,
    timeout: float = 30.0,
    progress: bool = True,
) -> tuple[Split, Split]:
    """Load Fashion-MNIST (H. Xiao, K. Rasul, R. Vollgraf, Zalando Research, 2017, MIT licence).

    Same shapes, options and rules as :func:`load_mnist` (60,000 + 10,000 grey 28 × 28
    images, 10 classes, names in :data:`FASHION_MNIST_CLASSES`), cache subdirectory
    ``fashion-mnist``, checked against :data:`FASHION_MNIST_SHA256`. Without ``data_dir``,
    the directories in :data:`FASHION_MNIST_LOCAL_DIRS` are tried after the cache and before
    the mirrors: Debian's ``dataset-fashion-mnist`` package (``apt install
    dataset-fashion-mnist``) puts the four ``.gz`` files in ``/usr/share/datasets/fashion-mnist``.

    The arguments are those of :func:`load_mnist` (``mirrors`` replaces
    :data:`FASHION_MNIST_MIRRORS`).

    Returns:
        ``(x_train, t_train), (x_test, t_test)``.

    Raises:
        DatasetError: If a file is missing, cannot be downloaded or fails its check.

    Examples:
        >>> FASHION_MNIST_CLASSES[9]
        'Ankle boot'
    """
    return _load_idx_dataset(
        "fashion-mnist", FASHION_MNIST_SHA256,
        FASHION_MNIST_MIRRORS if mirrors is None else mirrors, FASHION_MNIST_LOCAL_DIRS,
        (normalize, flatten, one_hot_label), data_dir=data_dir, cache_dir=cache_dir,
        download_missing=download, timeout=timeout, progress=progress,
    )  # fmt: skip
