"""The Layers part intro shows the layer pattern's error messages, produced at build time."""


def test_error_messages_are_printed(page_text):
    text = page_text("layers/")
    assert "RuntimeError: Relu.backward was called before forward" in text
    assert "ValueError: Affine1: input of shape (2, 5)" in text
    assert "W of shape (4, 3)" in text
    for page in ("Simple layers", "Activation layers", "Gradient checking"):
        assert page in text
