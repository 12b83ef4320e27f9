"""Which inputs to read: files, directories (recursive), glob patterns and ``-`` for stdin.

Nothing here reads a file's content. Special files (FIFOs, sockets, devices) are refused from ``stat``
alone, so a FIFO never blocks; symbolic-link loops are caught by ``stat`` (ELOOP) or, inside a directory
walk, by the (device, inode) pairs of the directories above.
"""

from __future__ import annotations

import errno
import glob
import logging
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from newsweave.ingest.options import IngestOptions
from newsweave.model import Rejected

log = logging.getLogger(__name__)

STDIN_NAME = "<stdin>"
# Reasons for an input that names no file at all; when every input named ends so, there was nothing to read
# (a usage error for the command line, exit 2).
NO_MATCH = "no file matches this pattern"
EMPTY_FOLDER = "empty folder: no file to read in it (hidden files and a folder's own notes are skipped)"
NOTHING_NAMED = frozenset({NO_MATCH, EMPTY_FOLDER, "no such file or directory"})
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class InputRef:
    """One input to read: a regular file (``fs_path``) or bytes already read (stdin)."""

    path: str  # as shown to the user and recorded in Origin / Rejected
    fs_path: str | None = None
    size: int | None = None
    data: bytes | None = None


def expand_inputs(paths: Sequence[str], options: IngestOptions) -> Iterator[InputRef | Rejected]:
    """Every input named by ``paths``, in order; directories and globs expand sorted."""
    for p in paths:
        if p == "-":
            yield _stdin(options)
        else:
            yield from _expand(p, options, top=True)


def _stdin(options: IngestOptions) -> InputRef | Rejected:
    data = sys.stdin.buffer.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        return Rejected(STDIN_NAME, "", f"over the size limit of {options.max_bytes} bytes")
    return InputRef(STDIN_NAME, None, len(data), data)


def _expand(p: str, options: IngestOptions, top: bool) -> Iterator[InputRef | Rejected]:
    try:
        st = os.stat(p)
    except OSError as e:
        if e.errno == errno.ELOOP:
            yield Rejected(p, "", "symbolic link loop")
        elif e.errno == errno.ENOENT and os.path.islink(p):
            yield Rejected(p, "", "broken symbolic link")
        elif e.errno == errno.ENOENT and top and _GLOB_CHARS & set(p):
            matches = sorted(glob.glob(p, recursive=True))
            if not matches:
                yield Rejected(p, "", NO_MATCH)
            for m in matches:
                yield from _expand(m, options, top=False)
        elif e.errno == errno.ENOENT:
            yield Rejected(p, "", "no such file or directory")
        else:
            yield Rejected(p, "", f"cannot read: {e.strerror or e}")
        return
    if stat.S_ISDIR(st.st_mode):
        found = False
        for item in _walk(p, options, ancestors=((st.st_dev, st.st_ino),)):
            found = True
            yield item
        if not found:
            yield Rejected(p, "", EMPTY_FOLDER)
    else:
        yield _file_ref(p, st)


def _file_ref(p: str, st: os.stat_result) -> InputRef | Rejected:
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return InputRef(p, p, st.st_size)
    kind = (
        "a FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a character device"
        if stat.S_ISCHR(mode)
        else "a block device"
        if stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return Rejected(p, "", f"not read: {kind}, not a regular file")


# Files that describe a folder rather than report news; skipped while walking a directory (a file named
# on the command line is always read).
_PROJECT_FILES = frozenset({"readme", "license", "licence", "changelog", "provenance", "copying", "notice"})


def _is_project_file(name: str) -> bool:
    stem = name.split(".", 1)[0].lower()
    return stem in _PROJECT_FILES or stem.startswith("readme_")


def _walk(
    d: str, options: IngestOptions, ancestors: tuple[tuple[int, int], ...]
) -> Iterator[InputRef | Rejected]:
    try:
        with os.scandir(d) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        yield Rejected(d, "", f"cannot list directory: {e.strerror or e}")
        return
    for entry in entries:
        if entry.name.startswith(".") and not options.include_hidden:
            continue
        if _is_project_file(entry.name):
            log.info(
                "skipping %s in %s: a folder's own notes, not an article (name it to read it)", entry.name, d
            )
            continue
        full = os.path.join(d, entry.name)
        if entry.is_symlink() and not options.follow_symlinks:
            log.info("skipping symbolic link %s (follow_symlinks is off)", full)
            continue
        try:
            st = os.stat(full)
        except OSError as e:
            if e.errno == errno.ELOOP:
                yield Rejected(full, "", "symbolic link loop")
            elif e.errno == errno.ENOENT:
                yield Rejected(full, "", "broken symbolic link")
            else:
                yield Rejected(full, "", f"cannot read: {e.strerror or e}")
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in ancestors:
                yield Rejected(full, "", "symbolic link loop (points to a directory above it)")
                continue
            yield from _walk(full, options, (*ancestors, key))
        else:
            yield _file_ref(full, st)
