"""save_model never destroys: overwrite=, only regular files, permissions kept, symlinks written
through, and the old file survives a failed save (a full disk, simulated with RLIMIT_FSIZE)."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from backprop_book import Dense, Sequential, load_model, save_model


def model(units: int = 2) -> Sequential:
    return Sequential([Dense(units, activation="softmax", input_dim=3)], seed=0)


def test_overwrite_false_refuses_an_existing_file(tmp_path):
    path = tmp_path / "m.npz"
    model().save(path, overwrite=False)  # a new file is fine
    before = path.read_bytes()
    with pytest.raises(FileExistsError, match=r"m\.npz already exists; pass overwrite=True"):
        save_model(model(3), path, overwrite=False)
    assert path.read_bytes() == before
    model(3).save(path)  # overwrite=True is the default, as in Keras
    assert load_model(path).count_params() == 3 * 3 + 3


def test_only_a_regular_file_is_replaced(tmp_path):
    folder = tmp_path / "folder.npz"
    folder.mkdir()
    with pytest.raises(FileExistsError, match="is not a regular file"):
        model().save(folder)
    assert folder.is_dir()
    with pytest.raises(FileExistsError, match="is not a regular file"):
        model().save("/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    sock_path = tmp_path / "s.npz"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        with pytest.raises(FileExistsError, match="is not a regular file"):
            model().save(sock_path)
        assert stat.S_ISSOCK(os.stat(sock_path).st_mode)


def test_permissions_are_kept_and_a_read_only_file_is_refused(tmp_path):
    path = tmp_path / "m.npz"
    model().save(path)
    path.chmod(0o600)
    model(3).save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o444)
    with pytest.raises(PermissionError, match="is read-only"):
        model().save(path)
    assert load_model(path).count_params() == 12


def test_a_symlink_is_written_through_to_its_target(tmp_path):
    target, link = tmp_path / "real.npz", tmp_path / "link.npz"
    model().save(target)
    link.symlink_to(target)
    model(3).save(link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert load_model(target).count_params() == 12
    dangling = tmp_path / "dangling.npz"
    dangling.symlink_to(tmp_path / "new.npz")
    model().save(dangling)
    assert (tmp_path / "new.npz").is_file() and dangling.is_symlink()


def test_no_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="no folder"):
        model().save(tmp_path / "missing" / "m.npz")


def test_a_full_disk_keeps_the_old_file(tmp_path):
    path = tmp_path / "m.npz"
    model().save(path)
    before = path.read_bytes()
    code = textwrap.dedent(f"""
        import resource, signal, sys
        from backprop_book import Dense, Sequential
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead
        big = Sequential([Dense(500, input_dim=500)], seed=0)  # 2 MB of weights
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))
        try:
            big.save({str(path)!r})
        except OSError as err:
            print("failed:", err.errno)
            sys.exit(0)
        sys.exit("the save did not fail")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "failed" in done.stdout
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]  # no temporary file left
    assert np.allclose(load_model(path).predict(np.ones((1, 3))).sum(), 1.0)
