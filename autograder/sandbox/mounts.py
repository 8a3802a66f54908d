"""Host-side mount work for the bwrap backend when the grader runs as root.

Root runs bwrap as the unprivileged `nobody` (so the sandbox's processes
are nobody on the host too: no capabilities, `RLIMIT_NPROC` applies, root's
files are not theirs). nobody cannot reach some of what must be mounted:
pyenv lives under `/root` (mode 700), job directories are `mkdtemp` (mode
700). In the child, before dropping to nobody, `stage_binds` enters a
private mount namespace and bind-mounts each source onto an empty,
world-traversable staging point; bwrap then binds the staging points to
their real paths. The host's mount table never changes.

Only a few libc calls are needed, through ctypes; no external command.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

MS_BIND, MS_REC, MS_PRIVATE = 0x1000, 0x4000, 0x40000
CLONE_NEWNS = 0x00020000

NOBODY = 65534

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
_libc.mount.argtypes = [
    ctypes.c_char_p,
    ctypes.c_char_p,
    ctypes.c_char_p,
    ctypes.c_ulong,
    ctypes.c_char_p,
]
_libc.unshare.argtypes = [ctypes.c_int]


@dataclass(frozen=True)
class MountEntry:
    """One line of /proc/self/mountinfo, the fields the sandbox needs."""

    point: str
    fstype: str
    source: str
    options: frozenset[str]


def _unescape(field: str) -> str:
    """Mount points in mountinfo escape space, tab, newline and backslash in octal."""
    for code in ("040", "011", "012", "134"):
        field = field.replace("\\" + code, chr(int(code, 8)))
    return field


def mount_table() -> list[MountEntry]:
    """This process's mounts (raises OSError when /proc cannot be read)."""
    entries = []
    with open("/proc/self/mountinfo", encoding="utf-8") as handle:
        for line in handle:
            left, _, right = line.partition(" - ")
            fields, rest = left.split(), right.split()
            if len(fields) >= 5 and len(rest) >= 3:
                options = frozenset(rest[2].split(","))
                entries.append(MountEntry(_unescape(fields[4]), rest[0], rest[1], options))
    return entries


def _check(result: int, what: str) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")


def _mount(
    source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None
) -> None:
    def enc(value: str | None) -> bytes | None:
        return None if value is None else os.fsencode(value)

    _check(_libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)), f"mount {target}")


def stage_binds(pairs: Sequence[tuple[str, str]]) -> None:
    """In a new private mount namespace, bind each source onto its staging point.

    Runs in the forked child, as root, before it drops to nobody.
    """
    _check(_libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    for source, point in pairs:
        _mount(source, point, None, MS_BIND | MS_REC)


def drop_to_nobody() -> None:
    os.setgroups([])
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)


def make_points(root: Path, sources: Sequence[Path]) -> list[Path]:
    """One empty file or directory per source under `root`, traversable by all."""
    root.mkdir(mode=0o755)
    root.chmod(0o755)
    points = []
    for index, source in enumerate(sources):
        point = root / f"s{index}"
        if source.is_dir():
            point.mkdir(mode=0o755)
        else:
            point.touch(mode=0o644)
        points.append(point)
    return points
