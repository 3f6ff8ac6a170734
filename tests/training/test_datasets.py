"""Tests of backprop_book.training.datasets: the IDX parser, downloads, loaders.

Downloads are tested for real, over HTTP, against a server on 127.0.0.1 that serves small
generated IDX files; the expected digests are computed here with hashlib, and the expected
arrays are the ones the test generated, so nothing is copied from the code under test.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from backprop_book.training import datasets, download
from backprop_book.training.datasets import load_digits, load_fashion_mnist, load_mnist
from backprop_book.training.download import DatasetError
from backprop_book.training.idx import parse_idx, read_idx
from backprop_book.training.splits import train_validation_split

NAMES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)
DEBIAN_FASHION = Path("/usr/share/datasets/fashion-mnist")


# ---------------------------------------------------------------- IDX files made by hand


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode a uint8 array as an IDX file with struct (independent of the parser)."""
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


def make_tiny_mnist(seed: int = 0) -> dict[str, np.ndarray]:
    """Six training and four test 'images' of 3 × 2 pixels, labels 0..9."""
    rng = np.random.default_rng(seed)
    return {
        NAMES[0]: rng.integers(0, 256, size=(6, 3, 2), dtype=np.uint8),
        NAMES[1]: np.array([3, 1, 4, 1, 5, 9], dtype=np.uint8),
        NAMES[2]: rng.integers(0, 256, size=(4, 3, 2), dtype=np.uint8),
        NAMES[3]: np.array([2, 7, 1, 8], dtype=np.uint8),
    }


@pytest.fixture
def tiny(monkeypatch):
    """Tiny MNIST files; the loader's expected digests are patched to theirs."""
    arrays = make_tiny_mnist()
    raw = {name: idx_bytes(a) for name, a in arrays.items()}
    for name, data in raw.items():
        monkeypatch.setitem(datasets.MNIST_SHA256, name, hashlib.sha256(data).hexdigest())
    monkeypatch.delenv("BACKPROP_BOOK_DATA", raising=False)
    return arrays, raw


def assert_loaded(result, arrays):
    (x, t), (xt, tt) = result
    np.testing.assert_array_equal(x, arrays[NAMES[0]].reshape(6, 6))
    np.testing.assert_array_equal(t, arrays[NAMES[1]])
    np.testing.assert_array_equal(xt, arrays[NAMES[2]].reshape(4, 6))
    np.testing.assert_array_equal(tt, arrays[NAMES[3]])


# ---------------------------------------------------------------- a real HTTP server


class Server:
    """Serves ``files[path] = body`` on 127.0.0.1; ``modes[path]`` bends the rules."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.modes: dict[str, str] = {}
        self.hits: dict[str, int] = {}
        self.release = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path
                outer.hits[path] = outer.hits.get(path, 0) + 1
                mode = outer.modes.get(path, "ok")
                body = outer.files.get(path)
                if body is None or mode == "404":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                if mode == "truncate":  # announce more than is sent, then hang up
                    self.send_header("Content-Length", str(len(body) + 1000))
                    self.end_headers()
                    self.wfile.write(body)
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if mode == "stall":  # half the body, then wait (a download to kill)
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    outer.release.wait(20)
                    return
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def serve_dataset(self, prefix: str, raw: dict[str, bytes]) -> str:
        for name, data in raw.items():
            self.files[f"{prefix}/{name}.gz"] = gzip.compress(data, mtime=0)
        return f"{self.url}{prefix}/"

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.stop()


@pytest.fixture
def closed_port_url():
    """A URL on 127.0.0.1 where nothing listens (the port was bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/mnist/"


def no_part_files(directory: Path) -> bool:
    return not any(p.name.endswith(".part") for p in directory.rglob("*"))


# ---------------------------------------------------------------- IDX parser


def test_parse_idx_reads_uint8_and_big_endian_int16():
    data = idx_bytes(np.arange(6, dtype=np.uint8).reshape(2, 3))
    np.testing.assert_array_equal(parse_idx(data), [[0, 1, 2], [3, 4, 5]])
    # int16 (type 0x0B), big-endian values 258 = 0x0102 and -2 = 0xFFFE.
    data16 = struct.pack(">BBBBI", 0, 0, 0x0B, 1, 2) + bytes([1, 2, 0xFF, 0xFE])
    out = parse_idx(data16)
    assert out.tolist() == [258, -2]
    assert out.dtype == np.int16 and out.dtype.isnative


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"\x00\x00", "too short"),
        (bytes([1, 0, 8, 1]) + struct.pack(">I", 1) + b"\x00", "bad IDX magic"),
        (bytes([0, 0, 0x42, 1]) + struct.pack(">I", 1) + b"\x00", "bad IDX magic"),
        (bytes([0, 0, 8, 0]), "bad IDX magic"),
        (bytes([0, 0, 8, 3]) + struct.pack(">I", 1), "ends early"),
        (idx_bytes(np.zeros((2, 3), np.uint8))[:-1], "truncated"),
        (idx_bytes(np.zeros((2, 3), np.uint8)) + b"\x00", "holds 7 bytes"),
    ],
)
def test_parse_idx_rejects_bad_files(data, match):
    with pytest.raises(ValueError, match=match):
        parse_idx(data, "f")


def test_read_idx_gzip_and_raw_and_damaged_gzip(tmp_path):
    a = np.arange(12, dtype=np.uint8).reshape(3, 4)
    (tmp_path / "a").write_bytes(idx_bytes(a))
    (tmp_path / "a.gz").write_bytes(gzip.compress(idx_bytes(a)))
    np.testing.assert_array_equal(read_idx(tmp_path / "a"), a)
    np.testing.assert_array_equal(read_idx(tmp_path / "a.gz"), a)
    (tmp_path / "b.gz").write_bytes(gzip.compress(idx_bytes(a))[:-10])
    with pytest.raises(ValueError, match="gzip"):
        read_idx(tmp_path / "b.gz")


# ---------------------------------------------------------------- downloads


def test_download_success_then_cached(server, tiny, tmp_path):
    arrays, raw = tiny
    url = server.serve_dataset("/mnist", raw)
    assert_loaded(load_mnist(normalize=False, cache_dir=tmp_path, mirrors=[url]), arrays)
    cached = sorted(p.name for p in (tmp_path / "mnist").iterdir())
    assert cached == sorted(f"{n}.gz" for n in NAMES)
    assert no_part_files(tmp_path)
    assert all(server.hits[f"/mnist/{n}.gz"] == 1 for n in NAMES)
    # Second load: from the cache, the server is not asked again.
    assert_loaded(load_mnist(normalize=False, cache_dir=tmp_path, mirrors=[url]), arrays)
    assert all(server.hits[f"/mnist/{n}.gz"] == 1 for n in NAMES)


def test_wrong_checksum_is_rejected_and_not_cached(server, tiny, tmp_path):
    _, raw = tiny
    bad = dict(raw)
    bad[NAMES[1]] = idx_bytes(np.array([0, 0, 0, 0, 0, 0], np.uint8))  # valid IDX, wrong data
    url = server.serve_dataset("/mnist", bad)
    with pytest.raises(DatasetError) as err:
        load_mnist(cache_dir=tmp_path, mirrors=[url])
    msg = str(err.value)
    assert f"{url}{NAMES[1]}.gz" in msg
    assert "SHA-256" in msg and datasets.MNIST_SHA256[NAMES[1]] in msg
    assert not (tmp_path / "mnist" / f"{NAMES[1]}.gz").exists()
    assert no_part_files(tmp_path)


def test_truncated_transfer_is_rejected(server, tiny, tmp_path):
    _, raw = tiny
    url = server.serve_dataset("/mnist", raw)
    server.modes[f"/mnist/{NAMES[0]}.gz"] = "truncate"
    with pytest.raises(DatasetError, match="truncated transfer: received") as err:
        load_mnist(cache_dir=tmp_path, mirrors=[url], timeout=5)
    assert f"{url}{NAMES[0]}.gz" in str(err.value)
    assert not (tmp_path / "mnist" / f"{NAMES[0]}.gz").exists()
    assert no_part_files(tmp_path)


def test_server_down_lists_every_url_and_how_to_place_files(
    tiny, tmp_path, closed_port_url, server
):
    other = server.url + "/nothing-here/"  # a second mirror that answers 404
    with pytest.raises(DatasetError) as err:
        load_mnist(cache_dir=tmp_path, mirrors=[closed_port_url, other], timeout=5)
    msg = str(err.value)
    assert f"{closed_port_url}{NAMES[0]}.gz" in msg and "refused" in msg.lower()
    assert f"{other}{NAMES[0]}.gz" in msg and "404" in msg
    assert str(tmp_path / "mnist" / f"{NAMES[0]}.gz") in msg  # where it looked
    assert "data_dir=" in msg and "by hand" in msg  # how to place the files


def test_first_mirror_failing_falls_back_to_second(server, tiny, tmp_path, closed_port_url):
    arrays, raw = tiny
    url = server.serve_dataset("/mnist", raw)
    broken = server.url + "/broken/"
    for name in NAMES:  # the first mirror serves corrupt files, the second is closed
        server.files[f"/broken/{name}.gz"] = b"not gzip, not idx"
    result = load_mnist(
        normalize=False, cache_dir=tmp_path, mirrors=[broken, closed_port_url, url], timeout=5
    )
    assert_loaded(result, arrays)
    assert all(server.hits[f"/broken/{n}.gz"] == 1 for n in NAMES)


def test_corrupt_cached_file_is_fetched_again(server, tiny, tmp_path):
    arrays, raw = tiny
    url = server.serve_dataset("/mnist", raw)
    load_mnist(cache_dir=tmp_path, mirrors=[url])
    cached = tmp_path / "mnist" / f"{NAMES[2]}.gz"
    cached.write_bytes(cached.read_bytes()[:-5])  # damaged on disk
    assert_loaded(load_mnist(normalize=False, cache_dir=tmp_path, mirrors=[url]), arrays)
    assert server.hits[f"/mnist/{NAMES[2]}.gz"] == 2
    assert server.hits[f"/mnist/{NAMES[0]}.gz"] == 1
    assert gzip.decompress(cached.read_bytes()) == raw[NAMES[2]]


def test_exception_mid_download_leaves_no_file(server, tiny, tmp_path, monkeypatch):
    _, raw = tiny
    url = server.serve_dataset("/mnist", raw)
    real_urlopen = urllib.request.urlopen

    class Interrupted:
        """Wraps a response: one chunk arrives, then the user presses Ctrl-C."""

        def __init__(self, response):
            self.response, self.calls = response, 0
            self.headers = response.headers

        def read(self, n):
            self.calls += 1
            if self.calls > 1:
                raise KeyboardInterrupt
            return self.response.read(10)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.response.close()

    monkeypatch.setattr(
        urllib.request, "urlopen", lambda *a, **k: Interrupted(real_urlopen(*a, **k))
    )
    with pytest.raises(KeyboardInterrupt):
        load_mnist(cache_dir=tmp_path, mirrors=[url])
    assert not (tmp_path / "mnist" / f"{NAMES[0]}.gz").exists()
    assert no_part_files(tmp_path)


def test_killed_download_never_leaves_a_file_under_the_final_name(server, tiny, tmp_path):
    arrays, raw = tiny
    # Training images big enough (random, so ~200 KB gzipped) for several read chunks.
    arrays[NAMES[0]] = np.random.default_rng(5).integers(0, 256, (6, 200, 200), dtype=np.uint8)
    raw[NAMES[0]] = idx_bytes(arrays[NAMES[0]])
    datasets.MNIST_SHA256[NAMES[0]] = hashlib.sha256(raw[NAMES[0]]).hexdigest()
    url = server.serve_dataset("/mnist", raw)
    server.modes[f"/mnist/{NAMES[0]}.gz"] = "stall"
    digests = {n: datasets.MNIST_SHA256[n] for n in NAMES}
    code = (
        "from backprop_book.training import datasets\n"
        f"datasets.MNIST_SHA256.update({digests!r})\n"
        f"datasets.load_mnist(cache_dir={str(tmp_path)!r}, mirrors=[{url!r}], timeout=30)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], env={**os.environ})
    try:
        deadline = time.monotonic() + 20
        parts: list[Path] = []
        while time.monotonic() < deadline and not parts:
            parts = [p for p in (tmp_path / "mnist").glob(".*.part") if p.stat().st_size > 0]
            time.sleep(0.05)
        assert parts, "the download never started"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    assert not (tmp_path / "mnist" / f"{NAMES[0]}.gz").exists()
    # The left-over .part file is ignored: the next run downloads and verifies again.
    server.modes.clear()
    (x, _), _ = load_mnist(normalize=False, cache_dir=tmp_path, mirrors=[url])
    np.testing.assert_array_equal(x, arrays[NAMES[0]].reshape(6, -1))


# ---------------------------------------------------------------- local files, no network


def test_data_dir_gz_or_raw_is_used_without_download(server, tiny, tmp_path):
    arrays, raw = tiny
    for i, (name, data) in enumerate(raw.items()):
        if i % 2:
            (tmp_path / name).write_bytes(data)  # unpacked by hand
        else:
            (tmp_path / f"{name}.gz").write_bytes(gzip.compress(data))
    url = server.serve_dataset("/mnist", raw)
    assert_loaded(load_mnist(normalize=False, data_dir=tmp_path, mirrors=[url]), arrays)
    assert server.hits == {}


def test_data_dir_with_wrong_file_raises_without_download(server, tiny, tmp_path):
    _, raw = tiny
    for name, data in raw.items():
        (tmp_path / f"{name}.gz").write_bytes(gzip.compress(data))
    (tmp_path / f"{NAMES[3]}.gz").write_bytes(gzip.compress(idx_bytes(np.zeros(4, np.uint8))))
    url = server.serve_dataset("/mnist", raw)
    with pytest.raises(DatasetError) as err:
        load_mnist(data_dir=tmp_path, mirrors=[url])
    msg = str(err.value)
    assert str(tmp_path / f"{NAMES[3]}.gz") in msg and "SHA-256" in msg
    assert "no download attempted" in msg
    assert server.hits == {}


def test_download_false_with_empty_cache(tiny, tmp_path):
    with pytest.raises(DatasetError, match="download=False"):
        load_mnist(cache_dir=tmp_path, download=False, mirrors=["http://127.0.0.1:9/"])


def test_cache_root_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("BACKPROP_BOOK_DATA", str(tmp_path / "env"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert download.cache_root(tmp_path / "arg") == tmp_path / "env"
    monkeypatch.delenv("BACKPROP_BOOK_DATA")
    assert download.cache_root(tmp_path / "arg") == tmp_path / "arg"
    assert download.cache_root() == tmp_path / "xdg" / "backprop_book"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert download.cache_root() == tmp_path / "home" / ".cache" / "backprop_book"


def test_env_var_cache_is_used(server, tiny, tmp_path, monkeypatch):
    arrays, raw = tiny
    url = server.serve_dataset("/mnist", raw)
    monkeypatch.setenv("BACKPROP_BOOK_DATA", str(tmp_path / "env"))
    assert_loaded(load_mnist(normalize=False, cache_dir=tmp_path / "arg", mirrors=[url]), arrays)
    assert len(list((tmp_path / "env" / "mnist").glob("*.gz"))) == 4
    assert not (tmp_path / "arg").exists()


@pytest.mark.parametrize("normalize", [True, False])
@pytest.mark.parametrize("flatten", [True, False])
@pytest.mark.parametrize("one_hot_label", [True, False])
def test_options_shapes_and_dtypes(tiny, tmp_path, normalize, flatten, one_hot_label):
    arrays, raw = tiny
    for name, data in raw.items():
        (tmp_path / f"{name}.gz").write_bytes(gzip.compress(data))
    (x, t), (xt, tt) = load_mnist(normalize, flatten, one_hot_label, data_dir=tmp_path)
    assert x.shape == ((6, 6) if flatten else (6, 1, 3, 2))
    assert xt.shape == ((4, 6) if flatten else (4, 1, 3, 2))
    expected = arrays[NAMES[0]].reshape(x.shape)
    if normalize:
        assert x.dtype == np.float32
        np.testing.assert_allclose(x, expected / 255.0, rtol=1e-6)
    else:
        assert x.dtype == np.uint8
        np.testing.assert_array_equal(x, expected)
    if one_hot_label:
        assert t.shape == (6, 10) and t.dtype == np.float32
        assert t.sum(axis=1).tolist() == [1.0] * 6
        assert t.argmax(axis=1).tolist() == [3, 1, 4, 1, 5, 9]
    else:
        assert t.dtype == np.uint8 and t.tolist() == [3, 1, 4, 1, 5, 9]
        assert tt.dtype == np.uint8 and tt.tolist() == [2, 7, 1, 8]


def test_fashion_mnist_local_dirs_then_download(server, tmp_path, monkeypatch):
    arrays = make_tiny_mnist(seed=1)
    raw = {name: idx_bytes(a) for name, a in arrays.items()}
    for name, data in raw.items():
        monkeypatch.setitem(datasets.FASHION_MNIST_SHA256, name, hashlib.sha256(data).hexdigest())
    monkeypatch.delenv("BACKPROP_BOOK_DATA", raising=False)
    system = tmp_path / "system"
    system.mkdir()
    for name, data in raw.items():
        (system / f"{name}.gz").write_bytes(gzip.compress(data))
    monkeypatch.setattr(datasets, "FASHION_MNIST_LOCAL_DIRS", (str(system),))
    url = server.serve_dataset("/fashion", raw)
    result = load_fashion_mnist(normalize=False, cache_dir=tmp_path / "c", mirrors=[url])
    assert_loaded(result, arrays)
    assert server.hits == {}  # the system copy was enough
    monkeypatch.setattr(datasets, "FASHION_MNIST_LOCAL_DIRS", ())
    assert_loaded(
        load_fashion_mnist(normalize=False, cache_dir=tmp_path / "c", mirrors=[url]), arrays
    )
    assert (tmp_path / "c" / "fashion-mnist" / f"{NAMES[0]}.gz").is_file()


@pytest.mark.slow
@pytest.mark.skipif(
    not DEBIAN_FASHION.is_dir(),
    reason="Fashion-MNIST not installed: apt-get install dataset-fashion-mnist "
    "(puts the IDX files in /usr/share/datasets/fashion-mnist)",
)
def test_real_fashion_mnist_from_debian_package(monkeypatch):
    monkeypatch.delenv("BACKPROP_BOOK_DATA", raising=False)
    (x, t), (xt, tt) = load_fashion_mnist(data_dir=DEBIAN_FASHION, flatten=False)
    assert x.shape == (60000, 1, 28, 28) and xt.shape == (10000, 1, 28, 28)
    assert x.dtype == np.float32 and 0.0 <= x.min() and x.max() <= 1.0
    # Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class.
    assert np.bincount(t).tolist() == [6000] * 10
    assert np.bincount(tt).tolist() == [1000] * 10


# ---------------------------------------------------------------- bundled digits


def test_digits_are_the_uci_test_set_split_by_class():
    (x, t), (xt, tt) = load_digits(normalize=False)
    assert x.dtype == np.uint8 and x.shape[1] == 64 and xt.shape[1] == 64
    assert x.min() == 0 and x.max() == 16 and xt.max() == 16
    # Class sizes of the UCI optdigits test set (optdigits.names): 1,797 digits in all.
    uci = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert (np.bincount(t, minlength=10) + np.bincount(tt, minlength=10)).tolist() == uci
    # Stratified: 20 % of each class, halves rounded up.
    assert np.bincount(tt).tolist() == [int(np.floor(0.2 * n + 0.5)) for n in uci]


def test_digits_options_and_determinism():
    (x, t), (xt, tt) = load_digits(flatten=False, one_hot_label=True)
    (xr, tr), _ = load_digits(normalize=False)
    assert x.shape == (tr.size, 1, 8, 8) and x.dtype == np.float32
    np.testing.assert_array_equal(x.reshape(tr.size, 64) * 16, xr.astype(np.float32))
    np.testing.assert_array_equal(t.argmax(axis=1), tr)
    assert tt.shape == (xt.shape[0], 10)
    (x2, _), _ = load_digits(flatten=False, one_hot_label=True)
    np.testing.assert_array_equal(x, x2)


# ---------------------------------------------------------------- train / validation split


def test_keras_validation_split_takes_the_last_fraction():
    idx = np.arange(60_000)
    (a, ta), (b, tb) = train_validation_split(idx, idx * 2, 0.2)
    assert a.size == 48_000 and b.size == 12_000
    np.testing.assert_array_equal(b, np.arange(48_000, 60_000))
    np.testing.assert_array_equal(ta, 2 * a)
    np.testing.assert_array_equal(tb, 2 * b)
    # floor(N * (1 - split)): 10 samples at 0.25 -> 7.5 -> 7 training samples.
    (a, _), (b, _) = train_validation_split(np.arange(10), np.arange(10), 0.25)
    assert a.tolist() == list(range(7)) and b.tolist() == [7, 8, 9]


def test_shuffled_split_is_seeded_and_a_partition():
    x = np.arange(100).reshape(50, 2)
    t = np.arange(50)
    (a, ta), (b, tb) = train_validation_split(x, t, 0.2, shuffle=True, seed=3)
    (a2, _), (b2, _) = train_validation_split(x, t, 0.2, shuffle=True, seed=3)
    (_, _), (b3, _) = train_validation_split(x, t, 0.2, shuffle=True, seed=4)
    np.testing.assert_array_equal(b, b2)
    np.testing.assert_array_equal(a, a2)
    assert not np.array_equal(b, b3)
    assert sorted(np.concatenate([ta, tb]).tolist()) == list(range(50))
    np.testing.assert_array_equal(a[:, 0] // 2, ta)  # rows stay with their targets
    assert len(tb) == 10 and tb.tolist() != list(range(40, 50))


@pytest.mark.parametrize(
    ("n", "split", "match"),
    [
        (10, 0.0, "validation_split must be a number > 0 and < 1, got 0.0"),
        (10, 1.0, "validation_split must be a number > 0 and < 1, got 1.0"),
        (1, 0.2, "leave 0 for training"),
        (2, 0.9, "leave 0 for training"),
        (10, 1e-17, "0 for validation"),  # 1 - 1e-17 rounds to 1.0
    ],
)
def test_split_that_leaves_a_part_empty_raises(n, split, match):
    with pytest.raises(ValueError, match=match):
        train_validation_split(np.arange(n), np.arange(n), split)


def test_split_length_mismatch_raises():
    with pytest.raises(ValueError, match="train_validation_split: x has 5 samples but t has 4"):
        train_validation_split(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(TypeError, match="t must be an array with one entry per sample"):
        train_validation_split(np.zeros((5, 2)), 3)
    with pytest.raises(TypeError, match="validation_split must be a number > 0 and < 1"):
        train_validation_split(np.zeros(5), np.zeros(5), "0.2")
