"""The "App" of the notes: load a trained model from a file and predict digits. No training here.

Usage:  python examples/app_predict.py [--model MODEL_FILE] [INDEX ...]
MODEL_FILE defaults to the file examples/training_center.py writes; INDEX picks digits of the
bundled test set (default: the first eight).
"""

import argparse
import os
import sys
import tempfile

import numpy as np

from backprop_book import load_digits, load_model

default = os.path.join(tempfile.gettempdir(), "digits_model.npz")
parser = argparse.ArgumentParser(description="Predict digits with a saved model.")
parser.add_argument("--model", default=default, help=f"the model file (default: {default})")
parser.add_argument("indices", nargs="*", type=int, default=list(range(8)), help="test digits")
args = parser.parse_args()

if not os.path.exists(args.model):
    sys.exit(f"no model at {args.model}: run  python examples/training_center.py  first")
model = load_model(args.model)  # layers from the JSON, weights from the arrays; never a pickle
print(f"loaded {os.path.basename(args.model)}: {model.count_params():,} parameters")

_, (x_test, t_test) = load_digits()
if not all(0 <= i < len(x_test) for i in args.indices):
    sys.exit(f"indices must be between 0 and {len(x_test) - 1}, got {args.indices}")
x, t = x_test[args.indices], t_test[args.indices]
probs = model.predict(x)  # (n, 10) class probabilities
for i, p, label in zip(args.indices, probs, t, strict=True):
    guess = int(np.argmax(p))
    mark = "ok" if guess == label else "WRONG"
    print(f"digit #{i:3d}: predicted {guess} ({p[guess]:.0%} sure), true {label}  {mark}")
print(f"correct: {int(np.sum(probs.argmax(axis=1) == t))} of {len(t)}")
