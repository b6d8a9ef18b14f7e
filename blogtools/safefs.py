"""Safe file-system access for content: nothing blocks, nothing leads outside the tree.

Every reader of a blog's files goes through here (lint, site, vocab, links, migrate):

- :func:`check_regular` names what is not a regular file (a FIFO, a socket, a device, a
  folder) so no reader ever opens it: opening a FIFO for reading blocks until a writer comes.
- :func:`check_inside` resolves symbolic links and tells whether the real file is still
  inside the tree being worked on: a link to ``/etc/passwd`` in a blog is not a post.
- :func:`read_bytes` opens with ``O_NONBLOCK`` and checks the opened descriptor too, so a
  file swapped for a FIFO between the check and the open cannot block either.

Each problem is a :class:`Refused` with a one-line reason a user can act on.
"""

from __future__ import annotations

import errno
import os
import stat

_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)


class Refused(OSError):
    """A path blogtools will not read or write; ``reason`` is the one-line notice."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def not_regular(mode: int) -> str:
    return f"{kind_of(mode)}, not a regular file: not read"


def _refusal(exc: OSError, path: str) -> Refused | None:
    """The notice for an error of stat or open that says what ``path`` is (None: another)."""
    if exc.errno == errno.ELOOP:
        return Refused("symbolic link loop: not read")
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return Refused("broken symbolic link: its target does not exist")
    if exc.errno == errno.ENXIO:  # a socket, or a FIFO opened without a reader
        return Refused("a socket or device, not a regular file: not read")
    return None


def check_regular(path: str) -> os.stat_result:
    """Stat ``path`` (following links); raise :class:`Refused` unless it is a regular file."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _refusal(exc, path) or exc from None
    if not stat.S_ISREG(st.st_mode):
        raise Refused(not_regular(st.st_mode))
    return st


def real_root(root: str) -> str:
    return os.path.realpath(root)


def is_inside(path: str, root_real: str) -> bool:
    """Whether the real path of ``path`` is ``root_real`` or below it (links resolved)."""
    real = os.path.realpath(path)
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def check_inside(path: str, root: str, root_real: str | None = None) -> None:
    """Raise :class:`Refused` when ``path`` leads (through a symbolic link) outside ``root``."""
    root_real = root_real or real_root(root)
    if not is_inside(path, root_real):
        target = os.path.realpath(path)
        raise Refused(f"symbolic link to {target}, outside {root}: not read, not written")


def open_regular(path: str) -> int:
    """A read-only descriptor of a regular file; never blocks (``O_NONBLOCK``, then fstat)."""
    try:
        fd = os.open(path, os.O_RDONLY | _O_BINARY | _O_NONBLOCK)
    except OSError as exc:
        raise _refusal(exc, path) or exc from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise Refused(not_regular(mode))
    return fd


def read_bytes(path: str, max_bytes: int | None = None) -> bytes:
    """The whole content of a regular file (see :func:`open_regular`)."""
    fd = open_regular(path)
    try:
        size = os.fstat(fd).st_size
        if max_bytes is not None and size > max_bytes:
            raise TooLarge(size)
        data = os.read(fd, size + 1)
        if len(data) != size:  # changed meanwhile, or a short read: read on
            parts = [data]
            while parts[-1]:
                parts.append(os.read(fd, 1 << 20))
                if max_bytes is not None and sum(map(len, parts)) > max_bytes:
                    raise TooLarge(sum(map(len, parts)))
            data = b"".join(parts)
        return data
    finally:
        os.close(fd)


class TooLarge(OSError):
    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size
