"""The "Training Center" of the notes: train a digits model once and save it to one file.

Usage:  python examples/training_center.py [MODEL_FILE]
The file defaults to digits_model.npz in the system's temporary folder; examples/app_predict.py
loads it from there.
"""

import os
import sys
import tempfile

from backprop_book import Dense, Sequential, load_digits

path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(tempfile.gettempdir(), "digits_model.npz")

(x_train, t_train), (x_test, t_test) = load_digits()
model = Sequential(
    [
        Dense(100, activation="relu", input_dim=64, kernel_initializer="he_normal"),
        Dense(10, activation="softmax"),
    ],
    seed=0,
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["acc"])
model.fit(x_train, t_train, epochs=30, batch_size=32, verbose=0, seed=0)
loss, acc = model.evaluate(x_test, t_test)
print(f"trained {model.count_params():,} parameters on {len(x_train)} digits")
print(f"test accuracy: {acc:.4f}")

model.save(path)
print(f"saved {os.path.basename(path)} ({os.path.getsize(path):,} bytes)")
