"""One bounded download: a size cap, a deadline, a temporary file renamed into place.

The HTTP half of :mod:`backprop_book.training.download`. A server is not trusted to be well
behaved: what it sends is capped by what the file can be (``max_bytes``: a gzip is never much
bigger than its content, so a "gzip bomb" or an endless body is refused after that many bytes,
or at once when ``Content-Length`` says more), a whole file must arrive within ``deadline``
seconds (a server trickling a byte a second keeps a per-read ``timeout`` alive forever, not a
deadline), and the body goes to a hidden ``.part`` file that is renamed over the final name only
after it passed its checks. ``.part`` files older than a deadline belong to runs that were
killed; they are removed before a new download starts.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["check_mirrors", "download", "remove_stale_parts"]

CHUNK = 1 << 16


def check_mirrors(where: str, mirrors: Any) -> list[str]:
    """``mirrors`` as a list of base URLs, or a clear error (a plain string is one mistake).

    Examples:
        >>> check_mirrors("load_mnist", ["https://example.org/mnist/"])
        ['https://example.org/mnist/']
        >>> check_mirrors("load_mnist", "https://example.org/mnist/")
        Traceback (most recent call last):
        ...
        TypeError: load_mnist: mirrors must be a list of base URLs, e.g. \
['https://example.org/mnist/'], got a str
    """
    if isinstance(mirrors, (str, bytes)) or not isinstance(mirrors, Sequence):
        raise TypeError(
            f"{where}: mirrors must be a list of base URLs, e.g. ['https://example.org/mnist/'], "
            f"got a {type(mirrors).__name__}"
        )
    for url in mirrors:
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "file://")):
            raise ValueError(f"{where}: each mirror must be an http(s):// URL, got {url!r:.80}")
    return list(mirrors)


def remove_stale_parts(directory: Path, name: str, older_than: float) -> list[Path]:
    """Remove ``.{name}.*.part`` files in ``directory`` older than ``older_than`` seconds.

    Examples:
        >>> remove_stale_parts(Path("/nonexistent"), "x.gz", 60)
        []
    """
    removed = []
    now = time.time()
    with contextlib.suppress(OSError):
        for path in directory.glob(f".{name}.*.part"):
            with contextlib.suppress(OSError):
                if now - path.stat().st_mtime > older_than:
                    path.unlink()
                    removed.append(path)
    return removed


def progress_bar(total: int | None, desc: str, enabled: bool) -> Any:
    """A tqdm bar if tqdm is installed and ``enabled`` (and stderr is a terminal), else None."""
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="B", unit_scale=True, desc=desc, leave=False, disable=None)


def download(
    url: str,
    dest: Path,
    check: Callable[[bytes, str], bytes],
    *,
    timeout: float,
    progress: bool,
    max_bytes: int | None = None,
    deadline: float = 600.0,
) -> bytes:
    """Download ``url`` to ``dest`` atomically and return ``check(body, url)``.

    Args:
        url: Where to fetch the file.
        dest: The final path of the file.
        check: Returns the verified content of the body, or raises ``ValueError``.
        timeout: Seconds to wait for the server at each read.
        progress: Show a tqdm progress bar (if tqdm is installed).
        max_bytes: Refuse a body longer than this (None: no cap).
        deadline: Seconds the whole file may take (overrun by at most one ``timeout``).

    Raises:
        OSError: On a network error, a truncated transfer, a body over ``max_bytes`` or a
            missed deadline.
        ValueError: From ``check``.

    Examples:
        >>> download("file:///nonexistent/x.gz", Path("/tmp/x.gz"), lambda b, u: b,
        ...          timeout=1, progress=False)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        urllib.error.URLError: <urlopen error ...>
    """
    start = time.monotonic()
    request = urllib.request.Request(url, headers={"User-Agent": "backprop_book"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        length = response.headers.get("Content-Length")
        expected = int(length) if length is not None and length.isdigit() else None
        if max_bytes is not None and expected is not None and expected > max_bytes:
            raise OSError(f"the server offers {expected} bytes; this file is at most {max_bytes}")
        remove_stale_parts(dest.parent, dest.name, older_than=deadline + timeout)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
        tmp = Path(tmp_name)
        read = getattr(response, "read1", response.read)  # whatever has arrived, not 64 KB
        try:
            bar = progress_bar(expected, dest.name, progress)
            received = 0
            with os.fdopen(fd, "wb") as f:
                while chunk := read(CHUNK):
                    f.write(chunk)
                    received += len(chunk)
                    if bar is not None:
                        bar.update(len(chunk))
                    if max_bytes is not None and received > max_bytes:
                        raise OSError(f"more than {max_bytes} bytes: not this file; refused")
                    if time.monotonic() - start > deadline:
                        raise OSError(f"not complete after the deadline of {deadline:g} s")
                if bar is not None:
                    bar.close()
                if expected is not None and received != expected:
                    raise OSError(f"truncated transfer: received {received} of {expected} bytes")
                f.flush()
                os.fsync(f.fileno())
            content = check(tmp.read_bytes(), url)
            os.replace(tmp, dest)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
    fsync_dir(dest.parent)
    return content


def fsync_dir(directory: Path) -> None:
    """Make a rename durable (POSIX); silently skipped where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
