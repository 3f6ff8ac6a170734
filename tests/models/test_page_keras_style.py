"""The Keras-style page shows the notes' numbers, computed when the page was built."""

import re

from backprop_book import Conv2D, MaxPooling2D
from backprop_book.models import BatchNormalization, Dense, Dropout, Flatten, Sequential

PAGE = "models/keras-style/"
NUM = r"\d+\.\d{4}"
CNN_HEADING = "A convolutional network, Keras style"


def test_summary_numbers_of_the_notes(page_text):
    text = page_text(PAGE)
    # by hand: 784 inputs x 50 units + 50 biases; 50 x 100 + 100; 100 x 10 + 10
    first, second, third = 784 * 50 + 50, 50 * 100 + 100, 100 * 10 + 10
    assert f"dense_1 (Dense) (None, 50) {first}" in text
    assert f"dense_2 (Dense) (None, 100) {second}" in text
    assert f"dense_3 (Dense) (None, 10) {third}" in text
    assert f"Total params: {first + second + third:,}" in text
    assert f"dense_1: 784 × 50 + 50 = {first:,}" in text and first == 39250
    assert f"dense_2: 50 × 100 + 100 = {second:,}" in text and second == 5100
    assert f"184 × 50 + 50 = {184 * 50 + 50}" in text  # the misread factor gives another total


def test_fit_prints_the_notes_lines(page_text):
    text = page_text(PAGE)
    assert "Train on 48000 samples, validate on 12000 samples Epoch 1/2" in text
    line = (
        rf"48000/48000 \[={{30}}\] - \d+s \d+(us|ms)/step - loss: {NUM} - acc: {NUM}"
        rf" - val_loss: {NUM} - val_acc: {NUM}"
    )
    assert len(re.findall(line, text)) == 2  # one line per epoch, Epoch 1/2 and 2/2


def test_digits_example_output_and_history_figure(page_text, page_html):
    text = page_text(PAGE).rsplit(CNN_HEADING, 1)[0]  # the dense example, not the CNN
    assert "Train on 1150 samples, validate on 288 samples" in text  # int(1438 * 0.8) = 1150
    assert len(re.findall(rf" - \d+s - loss: {NUM} - acc: {NUM} - val_loss: {NUM}", text)) == 20
    acc = float(re.search(r"test acc: (\d\.\d{4})", text).group(1))
    assert acc > 0.9
    html = page_html(PAGE)
    assert 'aria-label="Training and validation loss per epoch' in html
    assert 'aria-label="Training and validation accuracy per epoch' in html
    assert html.count('<figure class="bp-figure">') >= 1


def test_same_gradients_as_two_layer_net_and_numerical(page_text):
    text = page_text(PAGE)
    a = re.search(r"loss, TwoLayerNet: (\S+) loss, Sequential: (\S+)", text)
    assert a and abs(float(a.group(1)) - float(a.group(2))) < 1e-12
    diff = float(re.search(r"largest gradient difference: (\S+)", text).group(1))
    assert diff < 1e-12
    errors = re.search(r"relative error vs numerical gradient: \{([^}]*)\}", text).group(1)
    values = [float(v) for v in re.findall(r"'(\d\.\de-\d+)'", errors)]
    assert len(values) == 4 and max(values) < 1e-7


def test_exercises(page_text):
    text = page_text(PAGE)
    assert f"{64 * 100 + 100} {100 * 10 + 10} {64 * 100 + 100 + 100 * 10 + 10}" in text
    assert f"{int(1438 * 0.75)} {1438 - int(1438 * 0.75)}" in text  # by hand and by the split
    ran = re.search(r"ran (\d+) epochs; best val_loss \S+ after epoch (\d+)", text)
    assert ran and int(ran.group(1)) < 200 and int(ran.group(1)) == int(ran.group(2)) + 3
    assert "needs a softmax output" in text


def test_keras_3_step_count(page_text):
    text = page_text(PAGE)
    # Keras 3's bar counts steps: ceil(training samples / batch size), the samples being the
    # 48,000 left by validation_split=0.2 of 60,000 (the "Train on" line above)
    n_train = int(re.search(r"Train on (\d+) samples, validate on 12000", text).group(1))
    steps = -(-n_train // 100)  # ceil without floats
    assert (steps - 1) * 100 < n_train <= steps * 100 and steps != n_train
    assert f"ceil({n_train} / 100) = {steps}" in text
    assert f"{steps}/{steps} " + "━" * 20 in text
    # both editions say it, the Korean page through the same executed block
    ko = page_text("ko/" + PAGE)
    assert f"ceil({n_train} / 100) = {steps}" in ko and "Keras 3.x" in ko


def page_cnn() -> Sequential:
    """The page's CNN, built (not trained): its arrays give the counts the page must print."""
    return Sequential([
        Conv2D(16, 3, activation="relu", input_shape=(8, 8, 1), kernel_initializer="he_normal"),
        BatchNormalization(),
        MaxPooling2D(2),
        Flatten(),
        Dropout(0.25),
        Dense(10, activation="softmax"),
    ], seed=0)  # fmt: skip


def test_cnn_parameter_counts_are_the_sizes_of_the_models_arrays(page_text):
    model = page_cnn()
    sizes = {block.name: sum(getattr(owner, attr).size for _, owner, attr, _ in block.slots())
             for block in model.layers}  # fmt: skip
    fixed = sum(w.size for key, w in model.named_weights().items() if key.startswith("running"))
    total = sum(sizes.values())
    assert total == model.count_params() and fixed == 2 * 16  # mean and variance per channel
    for rel in (PAGE, "ko/" + PAGE):  # the Korean page prints the same block's output
        text = page_text(rel)
        row = r"(\w+_\d+) \(\w+\) \(None, [\d, ]+\) (\d+)"  # name (Type) (None, …) count
        printed = {m.group(1): int(m.group(2)) for m in re.finditer(row, text)}
        cnn_rows = {name: count for name, count in printed.items() if name in sizes}
        assert cnn_rows == sizes, rel
        assert f"Total params: {total:,} Trainable params: {total - fixed:,}" in text, rel
        assert f"Non-trainable params: {fixed:,}" in text, rel
        conv, norm, dense = (model.layers[i].name for i in (0, 1, 5))
        assert f"{conv}: (3·3·1 + 1)·16 = {sizes[conv]}" in text, rel
        assert f"{norm}: 4·16 = {sizes[norm]}" in text, rel
        assert f"{dense}: (3·3·16 + 1)·10 = {sizes[dense]}" in text, rel
        shapes = {key: w.shape for key, w in model.named_weights().items()}
        assert str(shapes) in text, rel  # the dict the page prints, W1 channels-first


def test_cnn_trains_on_the_digit_images(page_text):
    for rel in (PAGE, "ko/" + PAGE):
        text = page_text(rel)
        assert "(1438, 8, 8, 1) (359, 8, 8, 1)" in text, rel  # channels-last images
        cnn_part = text.split("(1438, 8, 8, 1) (359, 8, 8, 1)")[1]
        epochs = re.findall(rf" - \d+s - loss: ({NUM}) - acc: {NUM} - val_loss: {NUM}", cnn_part)
        assert len(epochs) == 15, rel  # epochs=15, one line each
        assert float(epochs[-1]) < float(epochs[0]), rel  # the training loss went down
        after_fit = cnn_part.split("Epoch 15/15")[1]  # evaluate runs after the last epoch
        acc = float(re.search(r"test acc: (\d\.\d{4})", after_fit).group(1))
        assert acc > 0.9, rel  # the page's claim; chance is 0.1
