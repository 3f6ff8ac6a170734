"""Read IDX files, the format MNIST and Fashion-MNIST are published in.

An IDX file is a tiny header and then raw numbers, all big-endian (Y. LeCun, C. Cortes and
C. J. C. Burges, "The MNIST database of handwritten digits"):

* a 4-byte magic number: two zero bytes, one byte for the element type (``0x08`` unsigned
  byte, ``0x09`` signed byte, ``0x0B`` int16, ``0x0C`` int32, ``0x0D`` float32, ``0x0E``
  float64) and one byte for the number of dimensions ``ndim``;
* ``ndim`` sizes, each a big-endian unsigned 32-bit integer;
* the elements, row-major, big-endian.

The files are usually shipped gzip-compressed; :func:`read_idx` accepts both forms.
"""

from __future__ import annotations

import gzip
import zlib
from os import PathLike
from pathlib import Path

import numpy as np

_DTYPES: dict[int, np.dtype] = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_GZIP_MAGIC = b"\x1f\x8b"


def gunzip_if_needed(data: bytes, name: str = "IDX data", limit: int | None = None) -> bytes:
    """Return ``data`` decompressed if it starts with the gzip magic bytes, else unchanged.

    Args:
        data: The bytes of a file, gzip-compressed or not.
        name: What to call the file in an error message.
        limit: The most bytes the content may have (a bigger one is refused as soon as
            that many are inflated: a gzip bomb costs no more than ``limit``).

    Returns:
        The uncompressed bytes.

    Raises:
        ValueError: If the gzip stream is damaged or cut short.

    Examples:
        >>> gunzip_if_needed(gzip.compress(b"abc"))
        b'abc'
        >>> gunzip_if_needed(b"abc")
        b'abc'
        >>> gunzip_if_needed(gzip.compress(bytes(10**6)), "bomb.gz", limit=100)
        Traceback (most recent call last):
        ...
        ValueError: bomb.gz: inflates to more than this file's 100 bytes: refused
    """
    if not data.startswith(_GZIP_MAGIC):
        if limit is not None and len(data) > limit:
            raise ValueError(f"{name}: {len(data)} bytes, more than this file's {limit}")
        return data
    if limit is None:
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as err:
            raise ValueError(f"{name}: damaged or truncated gzip data ({err})") from err
    out, rest = b"", data
    while rest:  # one gzip member at a time, never inflating more than limit + 1 bytes
        inflater = zlib.decompressobj(wbits=31)
        try:
            out += inflater.decompress(rest, limit + 1 - len(out))
        except zlib.error as err:
            raise ValueError(f"{name}: damaged gzip data ({err})") from err
        if len(out) > limit:
            raise ValueError(f"{name}: inflates to more than this file's {limit} bytes: refused")
        if not inflater.eof:
            raise ValueError(f"{name}: truncated gzip data")
        rest = inflater.unused_data
    return out


def parse_idx(data: bytes, name: str = "IDX data") -> np.ndarray:
    """Parse the bytes of an (uncompressed) IDX file into a numpy array.

    Args:
        data: The whole file content.
        name: What to call the file in an error message.

    Returns:
        An array with the file's shape; multi-byte types are converted to native byte order.

    Raises:
        ValueError: If the magic number is wrong or the size does not match the header.

    Examples:
        >>> header = bytes([0, 0, 0x08, 2]) + (2).to_bytes(4, "big") + (3).to_bytes(4, "big")
        >>> parse_idx(header + bytes(range(6)))
        array([[0, 1, 2],
               [3, 4, 5]], dtype=uint8)
    """
    if len(data) < 4:
        raise ValueError(f"{name}: {len(data)} bytes is too short for an IDX header")
    zero1, zero2, type_code, ndim = data[0], data[1], data[2], data[3]
    if zero1 != 0 or zero2 != 0 or type_code not in _DTYPES or ndim == 0:
        raise ValueError(
            f"{name}: bad IDX magic number 0x{data[:4].hex()} (expected 0x0000TTDD with a type "
            f"TT in {', '.join(f'{k:02x}' for k in _DTYPES)} and DD >= 1 dimensions); "
            "is this really an IDX file?"
        )
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise ValueError(f"{name}: header announces {ndim} dimensions but the file ends early")
    shape = tuple(int(n) for n in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    dtype = _DTYPES[type_code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    actual = len(data) - header_size
    if actual != expected:
        raise ValueError(
            f"{name}: header says shape {shape} of {dtype.name} ({expected} bytes of data) "
            f"but the file holds {actual} bytes after the header (truncated or damaged?)"
        )
    array = np.frombuffer(data, dtype=dtype, offset=header_size).reshape(shape)
    return array.astype(dtype.newbyteorder("="), copy=True)


def read_idx(path: str | PathLike[str]) -> np.ndarray:
    """Read an IDX file, gzip-compressed (``.gz``) or not, into a numpy array.

    Args:
        path: The file, e.g. ``train-labels-idx1-ubyte.gz``.

    Returns:
        The array stored in the file.

    Raises:
        ValueError: If the file is not a valid IDX file.

    Examples:
        >>> import tempfile, pathlib
        >>> raw = bytes([0, 0, 0x08, 1]) + (3).to_bytes(4, "big") + bytes([7, 8, 9])
        >>> with tempfile.TemporaryDirectory() as d:
        ...     p = pathlib.Path(d) / "tiny-idx1-ubyte.gz"
        ...     _ = p.write_bytes(gzip.compress(raw))
        ...     read_idx(p)
        array([7, 8, 9], dtype=uint8)
    """
    path = Path(path)
    return parse_idx(gunzip_if_needed(path.read_bytes(), str(path)), str(path))
