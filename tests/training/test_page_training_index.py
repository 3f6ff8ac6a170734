"""The built Training part page runs the command line and shows its result."""

import re


def test_command_line_result_on_the_page(page_text):
    text = page_text("training/")
    train, test = map(
        float,
        re.search(r"final train accuracy: ([0-9.]+) final test accuracy: ([0-9.]+)", text).groups(),
    )
    assert 0.9 < test <= train <= 1.0
    for chapter in ("Training a two-layer net", "Weight initialization", "Data splits"):
        assert chapter in text
