"""Keras style on the book's layers: build, summary(), fit with a validation split, evaluate.

The digits data (8x8 images, 64 inputs) is bundled with the package, so this runs offline in a
few seconds. Run it with:  python examples/keras_style.py
"""

from backprop_book import Dense, Sequential, load_digits

(x_train, t_train), (x_test, t_test) = load_digits()
print(f"train: {x_train.shape}, test: {x_test.shape}")

# 64 inputs -> 100 (ReLU) -> 10 (softmax): X·W + b, an activation, X·W + b, softmax
model = Sequential(
    [
        Dense(100, activation="relu", input_dim=64, kernel_initializer="he_normal"),
        Dense(10, activation="softmax"),
    ],
    seed=0,
)
model.summary()

model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["acc"])
history = model.fit(
    x_train, t_train, epochs=20, batch_size=32, validation_split=0.2, verbose=2, seed=0
)

loss, acc = model.evaluate(x_test, t_test)
print(f"test loss: {loss:.4f} - test acc: {acc:.4f}")
print("history keys:", list(history.history))
print("first test digits:", t_test[:10], "predicted:", model.predict_classes(x_test[:10]))
