"""Every item of the lecture notes (seed items S1–S17 of BOOK.md) is on the built site.

For each item: the page that teaches it, words that must be on it, and the numbers of the notes
that executed code must have printed there. A number counts only if it is on the built page
*and not typed into the page's Markdown source*: it has to come from code run during the build.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers import ROOT

DOCS = ROOT / "docs"

# id: (page, words that must appear, numbers that executed code must print)
SEEDS = {
    "S1 multiplication node": ("graphs/chain-rule/", ["MulLayer", r"\partial z}{\partial x"], []),
    "S2 chain rule": ("graphs/chain-rule/", ["chain rule"], []),
    "S3 apples (forward)": ("graphs/computational-graphs/", ["부가세"], ["220"]),
    "S3 apples (backward)": ("layers/simple-layers/", ["MulLayer"], ["220", "2.2", "110", "200"]),
    "S4 apples and oranges": (
        "layers/simple-layers/",
        ["AddLayer"],
        ["715", "2.2", "110", "3.3", "165", "650"],
    ),
    "S5 activation of an affine map": ("layers/affine-softmax/", ["Affine"], []),
    "S6 reciprocal node": ("layers/activation-layers/", ["reciprocal"], []),
    "S7 exp node": ("layers/activation-layers/", ["exp"], []),
    "S8 sigmoid backward": ("layers/activation-layers/", ["y(1"], []),
    "S9 training center to app": ("models/training-center-to-app/", ["Training Center", "App"], []),
    "S10 iterations and epochs": (
        "training/two-layer-net/",
        ["iter_per_epoch"],
        ["600", "1200", "1800"],
    ),
    "S11 zero weights and the update rule": ("training/weight-initialization/", ["symmetr"], []),
    "S12 packages, pip, conda, kernel": (
        "getting-started/",
        ["pip install", "conda install", "kernel"],
        [],
    ),
    "S13 affine = fully connected = Dense": ("layers/affine-softmax/", ["Dense", "완전연결"], []),
    "S14 summary()": ("models/keras-style/", ["dense_1 (Dense)", "(None, 50)"], ["39250", "5100"]),
    "S15 fit(validation_split=0.2)": (
        "models/keras-style/",
        ["Epoch 1/", "val_loss", "val_acc"],
        ["Train on 48000 samples, validate on 12000 samples"],
    ),
    "S16 DATA, TRAIN, TEST, TRAIN′, validation": (
        "training/data-splits/",
        ["validation"],
        ["48000"],
    ),
    "S17 loss recorded along training": ("training/two-layer-net/", ["loss"], []),
}


def _source(page: str) -> str:
    rel = page.rstrip("/")
    for candidate in (DOCS / f"{rel}.md", DOCS / rel / "index.md"):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise AssertionError(f"no Markdown source for {page}")


def _typed(number: str, source: str) -> bool:
    """Is ``number`` written in the source as a number of its own (not inside a longer one)?"""
    return re.search(rf"(?<![\w.,]){re.escape(number)}(?![\w]|[.,]\d)", source) is not None


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_item_is_taught_with_executed_numbers(seed, page_text):
    page, words, numbers = SEEDS[seed]
    text = page_text(page)
    flat = text.replace(",", "") if numbers else text
    missing = [w for w in words if w.lower() not in text.lower()]
    assert not missing, f"{seed}: /{page} lacks {missing}"
    source = _source(page)
    for number in numbers:
        assert number in text or number in flat, f"{seed}: /{page} does not show {number}"
        assert not _typed(number, source), (
            f"{seed}: {number!r} is typed into the source of /{page}; print it from code instead"
        )


def test_every_seed_item_of_book_md_is_covered():
    ids = {key.split()[0] for key in SEEDS}
    assert ids == {f"S{i}" for i in range(1, 18)}
