"""The training-center-to-app page: a saved model predicts in a separate program, exactly."""

import re

PAGE = "models/training-center-to-app/"


def test_training_center_and_app_ran(page_text):
    text = page_text(PAGE)
    assert "$ python examples/training_center.py digits_model.npz trained 7,510 parameters" in text
    assert re.search(r"saved digits_model\.npz \([\d,]+ bytes\)", text)
    assert "$ python examples/app_predict.py --model digits_model.npz 0 1 2 3 4 5 6 7" in text
    rows = re.findall(r"digit # (\d): predicted (\d) \(\d+% sure\), true (\d) (ok|WRONG)", text)
    assert [int(r[0]) for r in rows[:8]] == list(range(8))
    for _, guess, true, mark in rows:
        assert (mark == "ok") == (guess == true)
    correct = sum(r[3] == "ok" for r in rows[:8])
    assert f"correct: {correct} of 8" in text


def test_file_contents(page_text):
    text = page_text(PAGE)
    # shapes by hand: 64 inputs -> 100 units -> 10 classes
    for name, shape in [
        ("W1", "(64, 100)"),
        ("b1", "(100,)"),
        ("W2", "(100, 10)"),
        ("b2", "(10,)"),
    ]:
        assert f"{name} dtype <f8 shape {shape}" in text
    assert "'format': \"backprop_book.Sequential\"" in text and "'format_version': 1" in text


def test_unsafe_and_truncated_files_are_refused(page_text):
    text = page_text(PAGE)
    assert "ModelFileError: load_model: refusing evil.npz: it holds pickled Python objects" in text
    assert "this code ran while loading the model! " not in text.replace(
        '"this code ran while loading the model!"', ""
    )
    assert "ModelFileError: load_model: cut.npz is truncated or corrupt" in text
    assert "future.npz has format version 2; this version of backprop_book reads format" in text


def test_round_trip_is_exact_and_figure(page_text, page_html):
    text = page_text(PAGE)
    assert "identical predictions: True largest difference: 0.0 identical gradients: True" in text
    weights = 64 * 100 + 100 + 100 * 10 + 10
    assert f"{weights:,} parameters × 8 bytes = {weights * 8:,} bytes of weights" in text
    html = page_html(PAGE)
    assert 'aria-label="The first 30 test digits with the app' in html
    assert html.count('<figure class="bp-figure">') == 1
