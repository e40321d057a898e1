"""Writing a file so that it is either the old one or the whole new one, never half.

Every file reportgen writes for a person (outputs, data saved by the atelier or the
import, the manifest, published fingerprints, exported workbooks) goes through a
temporary file beside it, flushed and synced, then renamed over the old one; the folder
is synced after the rename. Files take the permissions of any file the user makes.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["umask", "usual_mode", "fsync_folder", "replace_atomically"]


def umask() -> int:
    """The process's umask: from /proc where the system tells it without changing it (safe
    beside other threads), else by setting it and putting it back."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def usual_mode() -> int:
    """The mode a new file of the user's gets (0644 under umask 022), not mkstemp's 0600."""
    return 0o666 & ~umask()


def fsync_folder(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def replace_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """Put ``data`` in place of ``path`` (created with its folder if need be); ``mode``
    defaults to the usual one. Raises OSError; the old file is then untouched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, usual_mode() if mode is None else mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    fsync_folder(path.parent)
