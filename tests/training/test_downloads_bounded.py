"""Downloads are bounded: a faulty server on 127.0.0.1 sends bombs, endless bodies and trickles;
each is refused within its cap or deadline. Nothing here touches the internet."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import os
import threading
import time

import pytest

from backprop_book.training import datasets
from backprop_book.training.datasets import load_mnist
from backprop_book.training.download import DatasetError, cache_problem, obtain
from backprop_book.training.fetch import check_mirrors, download, remove_stale_parts

NAME = "t10k-labels-idx1-ubyte"


class Faulty:
    """``modes[path]``: "bomb" (5 KB of gzip, 5 MB inflated), "endless" (no Content-Length,
    bytes forever), "trickle" (a byte every 0.2 s), "huge" (announces 10 GB)."""

    def __init__(self) -> None:
        self.modes: dict[str, str] = {}
        self.stop = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                mode = outer.modes.get(self.path, "404")
                if mode == "404":
                    self.send_error(404)
                    return
                self.send_response(200)
                if mode == "bomb":
                    body = gzip.compress(bytes(5_000_000), compresslevel=9)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                elif mode == "huge":
                    self.send_header("Content-Length", str(10**10))
                    self.end_headers()
                elif mode == "endless":
                    self.end_headers()
                    chunk = bytes(1 << 16)
                    for _ in range(2000):  # 130 MB at most, stopped by the cap long before
                        if outer.stop.is_set():
                            return
                        try:
                            self.wfile.write(chunk)
                        except ConnectionError:  # the client hung up at its cap: expected
                            return
                elif mode == "trickle":
                    self.send_header("Content-Length", "40")
                    self.end_headers()
                    for _ in range(40):
                        if outer.stop.wait(0.2):
                            return
                        self.wfile.write(b"x")
                        self.wfile.flush()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()  # fmt: skip

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def faulty():
    server = Faulty()
    yield server
    server.close()


def fetch(faulty, tmp_path, mode, **kwargs):
    faulty.modes[f"/m/{NAME}.gz"] = mode
    return obtain(NAME, "0" * 64, dataset="mnist", data_dir=None, cache_dir=tmp_path,
                  download_missing=True, mirrors=[f"{faulty.url}/m"], progress=False,
                  **kwargs)  # fmt: skip


def test_a_gzip_bomb_is_refused_at_the_files_known_size(faulty, tmp_path):
    assert datasets.IDX_SIZES[NAME] == 10008  # the IDX header (8 bytes) and 10,000 labels
    with pytest.raises(DatasetError, match=r"inflates to more than this file's 10008 bytes"):
        fetch(faulty, tmp_path, "bomb", size=datasets.IDX_SIZES[NAME])
    assert not any(tmp_path.rglob("*.part"))


def test_an_announced_huge_body_is_refused_before_reading(faulty, tmp_path):
    start = time.monotonic()
    with pytest.raises(DatasetError, match=r"offers 10000000000 bytes; this file is at most"):
        fetch(faulty, tmp_path, "huge", size=10008)
    assert time.monotonic() - start < 5


def test_an_endless_body_stops_at_the_cap(faulty, tmp_path):
    with pytest.raises(DatasetError, match=r"more than 14204 bytes: not this file"):
        fetch(faulty, tmp_path, "endless", size=10008)  # 10008 + 100 + 4096


def test_a_trickle_meets_the_deadline_not_only_the_read_timeout(faulty, tmp_path):
    start = time.monotonic()
    with pytest.raises(DatasetError, match=r"not complete after the deadline of 1 s"):
        fetch(faulty, tmp_path, "trickle", timeout=1.0, deadline=1.0)
    assert time.monotonic() - start < 4  # a trickle of 40 bytes would take 8 s


def test_a_read_only_cache_is_named_as_the_problem(tmp_path, monkeypatch):
    monkeypatch.delenv("BACKPROP_BOOK_DATA", raising=False)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(DatasetError, match=r"cannot create the cache directory .*cache_dir="):
        obtain(NAME, "0" * 64, dataset="mnist", data_dir=None, cache_dir=blocker,
               download_missing=True, mirrors=["http://127.0.0.1:9/m"])  # fmt: skip
    assert "cannot create" in cache_problem(blocker / "mnist")
    if os.geteuid() != 0:  # root writes into a 0o555 folder anyway
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o555)
        assert "cannot write into the cache directory" in cache_problem(ro)


def test_stale_part_files_are_removed_and_fresh_ones_kept(tmp_path):
    old, new = tmp_path / f".{NAME}.gz.abc.part", tmp_path / f".{NAME}.gz.def.part"
    old.write_bytes(b"x")
    new.write_bytes(b"y")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    assert remove_stale_parts(tmp_path, f"{NAME}.gz", older_than=600) == [old]
    assert new.exists() and not old.exists()


def test_a_download_clears_stale_parts(tmp_path):
    content = b"\x00\x00\x08\x01\x00\x00\x00\x01\x07"
    source = tmp_path / "src.gz"
    source.write_bytes(gzip.compress(content))
    stale = tmp_path / ".out.gz.zzz.part"
    stale.write_bytes(b"old")
    os.utime(stale, (0, 0))
    got = download(source.as_uri(), tmp_path / "out.gz", lambda body, u: gzip.decompress(body),
                   timeout=5, progress=False)  # fmt: skip
    assert got == content and not stale.exists()
    assert hashlib.sha256(got).hexdigest() == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(
    ("mirrors", "error", "match"),
    [
        ("http://127.0.0.1:9/m/", TypeError, "mirrors must be a list of base URLs"),
        ([3], ValueError, "each mirror must be an http"),
        (["ftp://x/"], ValueError, "each mirror must be an http"),
        (None.__class__, TypeError, "mirrors must be a list"),
    ],
)
def test_mirrors_are_validated(mirrors, error, match, tmp_path):
    with pytest.raises(error, match=match):
        check_mirrors("load_mnist", mirrors)
    if isinstance(mirrors, str):
        with pytest.raises(TypeError, match=r"load_mnist: mirrors must be a list"):
            load_mnist(cache_dir=tmp_path, mirrors=mirrors)
