"""Replacing a file without destroying anything: what a save may replace, and the file beside it.

`backprop_book.models.saving` writes a model to a temporary file in the target's folder and
renames it over the target (``os.replace``, atomic), so a reader sees the old file or the new
one, never half of one. This module says which file that is (`target_of`: a regular file,
through a symlink its target, never a folder or a device) and names the temporary file
(`temporary_beside`).

A save that is killed outright (``SIGKILL``, a power cut) runs no clean-up: its temporary file
stays. The old model file is untouched, and the leftover never gets in the way: it is hidden
(``.model.npz.<pid>.<random>.tmp``), ``load_model`` never reads it, and every save makes a
fresh name, so two saves never collide. The next save of the same file removes the leftovers
whose process has ended (on POSIX systems, where a process id can be checked); a save still
running elsewhere keeps its file.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile

__all__ = ["remove_leftovers", "target_of", "temporary_beside"]


def target_of(path: str, overwrite: bool) -> tuple[str, int | None]:
    """The file ``save_model`` replaces for ``path``, and its permission bits if it exists.

    A symlink is written through: its target is replaced and the link kept. Only a regular file
    is ever replaced (never a folder, a device such as ``/dev/null``, a socket), only when
    ``overwrite`` is true, and never a read-only one.

    Examples:
        >>> target_of("/dev/null", True)
        Traceback (most recent call last):
        ...
        FileExistsError: save_model: /dev/null is not a regular file; save_model replaces \
only regular files: choose a file name
    """
    target = os.path.realpath(path)  # a symlink: its target (the link itself stays)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"save_model: cannot write {path}: no folder {folder}")
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target, None
    if not stat.S_ISREG(st.st_mode):
        raise FileExistsError(
            f"save_model: {path} is not a regular file; save_model replaces only regular "
            "files: choose a file name"
        )
    if not overwrite:
        raise FileExistsError(
            f"save_model: {path} already exists; pass overwrite=True to replace it"
        )
    if not st.st_mode & 0o222:
        raise PermissionError(f"save_model: {path} is read-only; it is not replaced")
    return target, stat.S_IMODE(st.st_mode)


def temporary_beside(target: str) -> tuple[int, str]:
    """A new, empty temporary file beside ``target``, open for writing: ``(fd, path)``.

    The name, ``.<name>.<pid>.<random>.tmp``, is hidden, says which file and which process it
    belongs to, and is new (``tempfile.mkstemp`` never reuses one). Leftovers of killed saves of
    the same file are removed first (`remove_leftovers`).

    Examples:
        >>> folder = tempfile.mkdtemp()
        >>> fd, path = temporary_beside(os.path.join(folder, "model.npz"))
        >>> os.close(fd)
        >>> os.path.basename(path).startswith(f".model.npz.{os.getpid()}.")
        True
    """
    remove_leftovers(target)
    folder, name = os.path.split(target)
    return tempfile.mkstemp(prefix=f".{name}.{os.getpid()}.", suffix=".tmp", dir=folder)


def remove_leftovers(target: str) -> list[str]:
    """Remove the temporary files that killed saves of ``target`` left; return their names.

    Only files named by `temporary_beside` for this very ``target`` are considered, and only
    those whose process no longer runs. Where that cannot be checked (not POSIX), nothing is
    removed.

    Examples:
        >>> folder = tempfile.mkdtemp()
        >>> open(os.path.join(folder, ".model.npz.999999999.abc.tmp"), "w").close()
        >>> remove_leftovers(os.path.join(folder, "model.npz"))
        ['.model.npz.999999999.abc.tmp']
    """
    if os.name != "posix":
        return []
    folder, name = os.path.split(target)
    pattern = re.compile(rf"\.{re.escape(name)}\.([0-9]+)\.[^/]*\.tmp")
    try:
        entries = os.listdir(folder or ".")
    except OSError:  # a folder that can be written but not listed: nothing to see
        return []
    removed = []
    for entry in entries:
        match = pattern.fullmatch(entry)
        if match is None or _running(int(match.group(1))):
            continue
        try:
            os.unlink(os.path.join(folder, entry))
        except FileNotFoundError:  # another save removed it first
            continue
        removed.append(entry)
    return sorted(removed)


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists (signal 0 only asks; it sends nothing)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except (OverflowError, OSError):  # not a process id at all
        return False
    return True
