"""A save killed mid-write (SIGKILL: no clean-up runs) leaves the old file intact, and its
leftover temporary file neither breaks nor survives the next save."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from backprop_book import Dense, Sequential, load_model
from backprop_book.models.replacing import remove_leftovers

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and process ids are POSIX")

# The child saves a model whose write stalls halfway: numpy's savez writes part of the archive,
# says so, and then waits to be killed.
CHILD = textwrap.dedent(
    """
    import sys, time
    import numpy as np
    from backprop_book import Dense, Sequential

    def stalled_savez(file, *args, **kwds):
        file.write(b"PK\\x03\\x04 half of a zip archive")
        file.flush()
        print("writing", flush=True)
        time.sleep(600)

    np.savez = stalled_savez
    model = Sequential([Dense(2, activation="softmax", input_dim=3)], seed=1)
    model.save(sys.argv[1])
    """
)


def model(seed: int) -> Sequential:
    return Sequential([Dense(2, activation="softmax", input_dim=3)], seed=seed)


def killed_save(path) -> int:
    """Run the stalling save in a child, kill it with SIGKILL mid-write; its process id."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline() == "writing\n"  # the temporary file is half written
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
    return child.pid


def test_a_killed_save_keeps_the_old_file_and_the_next_save_cleans_up(tmp_path):
    path = tmp_path / "m.npz"
    old = model(seed=0)
    old.save(path)
    before = path.read_bytes()
    pid = killed_save(path)
    leftovers = [n for n in os.listdir(tmp_path) if n != "m.npz"]
    assert len(leftovers) == 1 and leftovers[0].startswith(f".m.npz.{pid}.")  # no clean-up ran
    assert path.read_bytes() == before  # the old model is untouched, and loads
    assert all(np.array_equal(a, b) for a, b in zip(load_model(path).get_weights(),
                                                    old.get_weights(), strict=True))  # fmt: skip
    new = model(seed=2)
    new.save(path)  # the next save works, and removes the dead save's leftover
    assert os.listdir(tmp_path) == ["m.npz"]
    assert all(np.array_equal(a, b) for a, b in zip(load_model(path).get_weights(),
                                                    new.get_weights(), strict=True))  # fmt: skip


def test_a_running_saves_temporary_file_and_other_files_are_left_alone(tmp_path):
    target = tmp_path / "m.npz"
    mine = tmp_path / f".m.npz.{os.getpid()}.abc.tmp"  # this process is running
    other = tmp_path / ".other.npz.999999999.abc.tmp"  # another file's
    user = tmp_path / "notes.tmp"
    for file in (mine, other, user):
        file.write_bytes(b"")
    dead = tmp_path / ".m.npz.999999999.abc.tmp"  # no such process
    dead.write_bytes(b"")
    assert remove_leftovers(str(target)) == [dead.name]
    assert sorted(os.listdir(tmp_path)) == sorted([mine.name, other.name, user.name])
