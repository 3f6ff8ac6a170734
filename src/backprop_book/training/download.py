"""Find, download, verify and cache data files: the plumbing behind ``load_mnist``.

Where a file comes from, in order:

1. a directory the caller names (``data_dir=``): used as it is, nothing is downloaded;
2. the cache directory, if the cached copy passes its SHA-256 check;
3. extra local directories (e.g. ``/usr/share/datasets/fashion-mnist`` from Debian);
4. each mirror in turn, over HTTP(S) with the standard library only.

Every file is checked by the SHA-256 of its *IDX content*, the bytes after gunzip. So the
mirror's ``.gz``, a re-compressed copy (Debian's) and a file unpacked by hand all pass, and
a download that went wrong in any way fails. A download is written to a temporary file
beside its final name, checked, flushed to disk and only then renamed (``os.replace``, atomic
on POSIX and Windows): a killed download never leaves a file under the final name.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from backprop_book.training.fetch import check_mirrors, download
from backprop_book.training.idx import gunzip_if_needed

ENV_VAR = "BACKPROP_BOOK_DATA"


class DatasetError(RuntimeError):
    """A data set could not be found, downloaded or verified; the message says what was tried.

    Examples:
        >>> issubclass(DatasetError, RuntimeError)
        True
    """


def cache_root(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The directory that caches downloads.

    ``$BACKPROP_BOOK_DATA`` wins, then the ``cache_dir`` argument, then
    ``$XDG_CACHE_HOME/backprop_book``, then ``~/.cache/backprop_book``.

    Args:
        cache_dir: The caller's choice, or ``None``.

    Returns:
        The cache directory (not created here).

    Examples:
        >>> import os
        >>> saved = os.environ.pop(ENV_VAR, None)
        >>> cache_root("/tmp/bb").as_posix()
        '/tmp/bb'
        >>> if saved is not None:
        ...     os.environ[ENV_VAR] = saved
    """
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "backprop_book"


def content_sha256(data: bytes) -> str:
    """SHA-256 (hex) of the IDX content of ``data``: gunzip first if it is compressed.

    Args:
        data: A file's bytes, gzip-compressed or not.

    Returns:
        The hex digest of the uncompressed bytes.

    Raises:
        ValueError: If the gzip stream is damaged.

    Examples:
        >>> import gzip
        >>> content_sha256(gzip.compress(b"abc")) == content_sha256(b"abc")
        True
    """
    return hashlib.sha256(gunzip_if_needed(data)).hexdigest()


def _check(data: bytes, sha256: str, where: str, size: int | None = None) -> bytes:
    """Return the uncompressed content of ``data`` if its digest is ``sha256``, else raise."""
    content = gunzip_if_needed(data, where, size)
    digest = hashlib.sha256(content).hexdigest()
    if digest != sha256:
        raise ValueError(f"SHA-256 of the content is {digest}, expected {sha256}")
    return content


def cache_problem(cache: Path) -> str | None:
    """Why downloads cannot be written into ``cache`` (read-only, not a folder), or None.

    Examples:
        >>> cache_problem(Path("/dev/null/cache"))  # doctest: +ELLIPSIS
        'cannot create the cache directory /dev/null/cache: ...'
    """
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        return f"cannot create the cache directory {cache}: {err.strerror or err}"
    try:
        with tempfile.TemporaryFile(dir=cache):
            return None
    except OSError as err:
        return f"cannot write into the cache directory {cache}: {err.strerror or err}"


def _candidates(directory: Path, name: str) -> list[Path]:
    return [directory / f"{name}.gz", directory / name]


def _manual_hint(names: Iterable[str], cache: Path, urls: Sequence[str]) -> str:
    files = ", ".join(f"{n}.gz" for n in names)
    first = urls[0] if urls else "<mirror>/<file>.gz"
    return (
        f"To place the files by hand: download {files} (for example {first}) with a browser "
        f"or curl, put them (gzipped or unpacked) in one directory and pass "
        f"data_dir='that/directory', or put the .gz files in {cache}."
    )


def obtain(
    name: str,
    sha256: str,
    *,
    dataset: str,
    data_dir: str | os.PathLike[str] | None,
    cache_dir: str | os.PathLike[str] | None,
    download_missing: bool,
    mirrors: Sequence[str],
    extra_dirs: Sequence[str | os.PathLike[str]] = (),
    all_names: Sequence[str] = (),
    timeout: float = 30.0,
    progress: bool = True,
    size: int | None = None,
    deadline: float = 600.0,
) -> bytes:
    """Return the verified, uncompressed content of one IDX file of ``dataset``.

    Args:
        name: File name without ``.gz``, e.g. ``"train-labels-idx1-ubyte"``.
        sha256: Expected SHA-256 of the uncompressed content.
        dataset: Data set name, also the cache subdirectory, e.g. ``"mnist"``.
        data_dir: A local directory to use instead of the cache and the network.
        cache_dir: Cache directory argument (see :func:`cache_root`).
        download_missing: Download when no valid local copy exists.
        mirrors: Base URLs; the file is fetched from ``<base>/<name>.gz``.
        extra_dirs: Further local directories to try before downloading.
        all_names: Every file of the data set, for the hint in error messages.
        timeout: Network timeout in seconds, for each read.
        progress: Show a download progress bar.
        size: The most bytes the content can have: caps what is read and inflated.
        deadline: Seconds one file's download may take in all.

    Returns:
        The uncompressed IDX bytes.

    Raises:
        DatasetError: If no valid copy could be found or downloaded; the message lists
            every place and URL tried, why each failed, and how to place the files by hand.

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as d:
        ...     obtain("x-idx1-ubyte", "0" * 64, dataset="demo", data_dir=d, cache_dir=None,
        ...            download_missing=False, mirrors=[])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        backprop_book.training.download.DatasetError: demo: no valid copy of x-idx1-ubyte...
    """
    names = list(all_names) or [name]
    tried: list[str] = []
    cache = cache_root(cache_dir) / dataset
    urls = [f"{base.rstrip('/')}/{name}.gz" for base in check_mirrors(dataset, mirrors)]

    local_dirs = [Path(data_dir).expanduser()] if data_dir is not None else []
    if data_dir is None:
        local_dirs = [cache, *(Path(d) for d in extra_dirs)]
    for directory in local_dirs:
        for path in _candidates(directory, name):
            if not path.is_file():
                tried.append(f"{path}: not there")
                continue
            try:
                return _check(path.read_bytes(), sha256, str(path), size)
            except (OSError, ValueError) as err:
                tried.append(f"{path}: {err}")
                if directory == cache:
                    # A corrupt cached download: remove it so it is fetched again.
                    with contextlib.suppress(OSError):
                        path.unlink()

    problem = cache_problem(cache) if data_dir is None and download_missing and urls else None
    if problem:
        tried.append(f"{problem}; pass cache_dir= or set ${ENV_VAR} to a writable directory")
    elif data_dir is None and download_missing:
        max_bytes = None if size is None else size + size // 100 + 4096  # gzip's worst case
        for url in urls:
            try:
                return download(
                    url, cache / f"{name}.gz", lambda body, u: _check(body, sha256, u, size),
                    timeout=timeout, progress=progress, max_bytes=max_bytes, deadline=deadline,
                )  # fmt: skip
            except (OSError, ValueError, http.client.HTTPException) as err:
                tried.append(f"{url}: {type(err).__name__}: {err}")
    elif data_dir is None:
        tried.append("download=False: no download attempted")
    else:
        tried.append(f"data_dir={str(data_dir)!r} given: no download attempted")

    lines = "\n".join(f"  - {t}" for t in tried)
    raise DatasetError(
        f"{dataset}: no valid copy of {name} (SHA-256 of the content {sha256}).\n"
        f"Tried:\n{lines}\n{_manual_hint(names, cache, urls)}"
    )
