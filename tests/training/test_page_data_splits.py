"""The data-splits page shows the splits computed by the package, and its figures.

Expected counts are derived here by hand from independent facts: MNIST has 60,000 training
images (the notes: "Train on 48000 samples, validate on 12000 samples"), and the UCI digits
test set has these class sizes (optdigits.names), of which the bundled split puts
round(20 %) of each class in TEST.
"""

import math
import re

UCI_CLASS_SIZES = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
PAGE = "training/data-splits/"


def _digits_sizes():
    test = [math.floor(0.2 * n + 0.5) for n in UCI_CLASS_SIZES]
    train = [n - k for n, k in zip(UCI_CLASS_SIZES, test, strict=True)]
    n_train = sum(train)
    n_train_prime = math.floor(n_train * 0.8)
    return train, n_train, sum(test), n_train_prime


def test_keras_split_of_mnist_is_computed_on_the_page(page_text):
    text = page_text(PAGE)
    assert "Train on 48000 samples, validate on 12000 samples" in text
    assert "TRAIN′ = rows 0 … 47999" in text
    assert "validation = rows 48000 … 59999" in text


def test_digits_split_sizes(page_text):
    text = page_text(PAGE)
    _, n_train, n_test, n_train_prime = _digits_sizes()
    assert re.search(rf"DATA\s+{sum(UCI_CLASS_SIZES)}\b", text)
    assert re.search(rf"TRAIN\s+{n_train}\s+TEST {n_test}\b", text)
    assert re.search(rf"TRAIN′\s+{n_train_prime}\s+validation {n_train - n_train_prime}\b", text)
    assert "one image: 64 pixels, values 0.0 … 1.0" in text
    for words in ("Alpaydin", "Kaynak", "CC BY 4.0", "UCI Machine Learning Repository"):
        assert words in text


def test_sorted_rows_put_only_the_last_classes_in_validation(page_text):
    text = page_text(PAGE)
    train, _, _, n_train_prime = _digits_sizes()
    # Sorted by label, rows n_train_prime … n_train-1 belong to the classes whose range
    # of sorted positions reaches past n_train_prime.
    ends = [sum(train[: c + 1]) for c in range(10)]
    expected = [c for c in range(10) if ends[c] > n_train_prime]
    assert f"classes in validation, sorted rows: {expected}" in text
    assert f"classes in validation, shuffle=True: {list(range(10))}" in text


def test_best_random_rule_is_optimistic_on_the_set_that_chose_it(page_text):
    text = page_text(PAGE)
    mean = float(re.search(r"mean validation accuracy of the 200 rules: ([0-9.]+)", text)[1])
    best = float(re.search(r"best rule on the validation set: ([0-9.]+)", text)[1])
    test = float(re.search(r"the same rule on the test set: ([0-9.]+)", text)[1])
    assert abs(mean - 0.1) < 0.01  # rules that know nothing: right one time in ten
    assert best > mean + 0.03  # the winner looks better than chance ...
    assert test < best - 0.03  # ... and is not, on data that did not choose it
    assert test < mean + 0.02  # the prose: back to chance (or below) on the test set


def test_exercise_solutions(page_text):
    text = page_text(PAGE)
    _, n_train, _, _ = _digits_sizes()
    assert "S = 60000: train 54000, validate 6000" in text
    k = math.floor(n_train * 0.9)
    assert f"S = {n_train}: train {k}, validate {n_train - k}" in text
    assert "train: [0, 1, 2, 3, 4, 5, 6] validation: [7, 8, 9]" in text
    assert "ValueError: train_validation_split: 1 samples with validation_split=0.2" in text


def test_figures_and_korean_terms(page_html, page_text):
    html = page_html(PAGE)
    figures = re.findall(r'<figure class="bp-figure">\s*<svg role="img" aria-label="([^"]+)"', html)
    assert len(figures) == 3, figures
    assert any("TRAIN′ and validation" in f for f in figures)
    assert any("20 training digits" in f for f in figures)
    assert any("Images per digit" in f for f in figures)
    text = page_text(PAGE)
    for term in ("훈련 데이터", "시험 데이터", "검증 데이터"):
        assert term in text
    # the embedded snippet: the floor rule from the package source
    assert "split_at = int ( np . floor ( n * ( 1.0 - validation_split )))" in text
