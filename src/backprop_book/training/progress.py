"""The one progress display of the package: the Keras progress line, drawn live with tqdm.

``Sequential.fit(verbose=1)`` and ``Trainer(progress=True)`` both use `ProgressBar`. What it
prints is the line of the lecture notes, Keras' own::

    Train on 48000 samples, validate on 12000 samples
    Epoch 1/200
    48000/48000 [==============================] - 1s 17us/step - loss: 2.3017 - acc: 0.1231 - ...

While an epoch runs on a terminal, a live bar grows: tqdm's, when tqdm is installed (it is an
optional extra, never a dependency), else the same Keras line redrawn in place. A log file or a
web page gets only the finished lines. The time fields come from the clock, so they differ on
every run.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from typing import Any

from backprop_book.checks import choice
from backprop_book.training.callbacks import Callback

__all__ = ["ProgressBar", "format_logs", "progress_line", "write"]


def format_logs(logs: Mapping[str, float]) -> str:
    """``" - loss: 2.3017 - acc: 0.1231"``: four decimals, tiny values in ``e`` notation.

    Examples:
        >>> format_logs({"loss": 2.30171, "acc": 0.1231})
        ' - loss: 2.3017 - acc: 0.1231'
    """
    return "".join(
        f" - {key}: {value:.4f}" if abs(value) > 1e-3 else f" - {key}: {value:.4e}"
        for key, value in logs.items()
    )


def per_step(seconds: float) -> str:
    """``17us/step``: the time of one sample, in the unit Keras picks.

    Examples:
        >>> per_step(0.8 / 48000), per_step(0.002), per_step(2.0)
        ('17us/step', '2ms/step', '2s/step')
    """
    if seconds >= 1:
        return f"{seconds:.0f}s/step"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/step"
    return f"{seconds * 1e6:.0f}us/step"


# --8<-- [start:progress_line]
def progress_line(seen: int, target: int, elapsed: float, logs: Mapping[str, float],
                  width: int = 30) -> str:  # fmt: skip
    """One Keras progress line: ``48000/48000 [====…====] - 1s 17us/step - loss: …``.

    Before the end of the epoch the bar ends in ``>`` and the time is an estimate (``ETA``).

    Args:
        seen: Samples done in this epoch.
        target: Samples in the epoch.
        elapsed: Seconds since the epoch began.
        logs: The numbers to show, in order.
        width: Characters inside the brackets.

    Examples:
        >>> progress_line(48000, 48000, 0.8, {"loss": 2.3017, "acc": 0.1231})
        '48000/48000 [==============================] - 1s 17us/step - loss: 2.3017 - acc: 0.1231'
        >>> progress_line(12000, 48000, 0.25, {"loss": 2.3})
        '12000/48000 [======>.......................] - ETA: 1s - loss: 2.3000'
    """
    filled = int(width * seen / target)
    bar = "=" * max(filled - 1, 0) + (("=" if seen >= target else ">") if filled else "")
    head = f"{seen:{len(str(target))}d}/{target} [{bar}{'.' * (width - filled)}]"
    if seen >= target:
        return f"{head} - {elapsed:.0f}s {per_step(elapsed / target)}{format_logs(logs)}"
    eta = elapsed / max(seen, 1) * (target - seen)
    return f"{head} - ETA: {eta:.0f}s{format_logs(logs)}"


# --8<-- [end:progress_line]


def tqdm_class() -> Any:
    """tqdm's bar class (``tqdm.auto``), or None when tqdm is not installed.

    Examples:
        >>> tqdm_class() is None or callable(tqdm_class())
        True
    """
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is optional: the plain Keras line does the job
        return None
    return tqdm


def write(text: str) -> None:
    """Print a line without breaking a live tqdm bar (``tqdm.write``; else ``print``).

    Examples:
        >>> write("epoch 1: loss 0.5")
        epoch 1: loss 0.5
    """
    tqdm = tqdm_class()
    if tqdm is None or not getattr(sys.stdout, "isatty", lambda: False)():
        print(text, flush=True)
    else:
        tqdm.write(text)


class ProgressBar(Callback):
    """What Keras prints during ``fit``, and a live bar while each epoch runs.

    ``verbose=1``: ``Epoch i/E``, then the progress line when the epoch ends. ``verbose=2``: one
    line per epoch, `` - 1s - loss: … - acc: …``. ``verbose=0``: no lines (the `Trainer` prints
    its own). ``live``: draw a bar during each epoch when the output is a terminal (tqdm's if
    installed, else the Keras line redrawn in place, at most 20 times a second); by default only
    with ``verbose=1``, as in Keras.

    Args:
        verbose: 0, 1 or 2.
        live: Whether to draw the live bar (None: ``verbose == 1``).

    Examples:
        >>> bar = ProgressBar(verbose=2)
        >>> bar.set_params({"epochs": 3, "samples": 48000, "val_samples": 12000})
        >>> bar.on_train_begin()
        Train on 48000 samples, validate on 12000 samples
    """

    def __init__(self, verbose: int = 1, live: bool | None = None) -> None:
        self.verbose = choice("ProgressBar", "verbose", verbose, [0, 1, 2])
        self.live = verbose == 1 if live is None else bool(live)
        self.start, self.last_draw, self.tty = 0.0, 0.0, False
        self.bar: Any = None  # the tqdm bar of the running epoch, if any

    def on_train_begin(self, logs: Mapping[str, float] | None = None) -> None:
        """``Train on N samples, validate on M samples``."""
        n, m = self.params["samples"], self.params.get("val_samples", 0)
        if self.verbose:
            print(f"Train on {n} samples" + (f", validate on {m} samples" if m else ""))
        self.tty = bool(getattr(sys.stdout, "isatty", lambda: False)())

    def on_epoch_begin(self, epoch: int, logs: Mapping[str, float] | None = None) -> None:
        """``Epoch i/E``; start the clock (and tqdm's bar)."""
        if self.verbose:
            print(f"Epoch {epoch + 1}/{self.params['epochs']}", flush=True)
        self.start = self.last_draw = time.perf_counter()
        tqdm = tqdm_class() if self.live and self.tty else None
        if tqdm is not None:
            self.bar = tqdm(total=self.params["samples"], unit="sample", leave=False,
                            desc=f"epoch {epoch + 1}", dynamic_ncols=True)  # fmt: skip

    def on_batch_end(self, seen: int, logs: Mapping[str, float] | None = None) -> None:
        """Grow the live bar to ``seen`` samples of this epoch."""
        if self.bar is not None:
            self.bar.update(seen - self.bar.n)
            self.bar.set_postfix(logs or {}, refresh=False)
            return
        now = time.perf_counter()
        if self.live and self.tty and now - self.last_draw >= 0.05:
            line = progress_line(seen, self.params["samples"], now - self.start, logs or {})
            sys.stdout.write("\r" + line)
            sys.stdout.flush()
            self.last_draw = now

    def on_epoch_end(self, epoch: int, logs: Mapping[str, float] | None = None) -> None:
        """Close the live bar; print the epoch's final line, with the validation numbers."""
        elapsed = time.perf_counter() - self.start
        redrawn = self.live and self.tty and self.bar is None  # a Keras line is on screen
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        if self.verbose == 2:
            print(f" - {elapsed:.0f}s{format_logs(logs or {})}")
        elif self.verbose == 1:
            samples = self.params["samples"]
            line = progress_line(samples, samples, elapsed, logs or {})
            print(("\r\x1b[K" if redrawn else "") + line)
        elif redrawn:
            sys.stdout.write("\r\x1b[K")  # verbose 0: leave no half-drawn line behind

    def on_train_end(self, logs: Mapping[str, float] | None = None) -> None:
        """Close a bar left open by an error or a stop inside an epoch."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
