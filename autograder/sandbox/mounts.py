"""Host-side mount work for the bwrap backend when the grader runs as root.

Root runs bwrap as the unprivileged `nobody` (so the sandbox's processes
are nobody on the host too: no capabilities, `RLIMIT_NPROC` applies, root's
files are not theirs). Two problems follow, solved here:

- nobody cannot reach some of what must be mounted: pyenv lives under
  `/root` (mode 700), job directories are `mkdtemp` (mode 700). In the
  child, before dropping to nobody, `stage_binds` enters a private mount
  namespace and bind-mounts each source onto an empty, world-traversable
  staging point; bwrap then binds the staging points to their real paths.
  The host's mount table never changes.
- the output directory must be writable with a cap on its total size: a
  size-limited tmpfs (`mount_output`) owned by nobody, mounted by the
  grader, read back with `copy_out`, then unmounted.

Only a few libc calls are needed, through ctypes; no external command.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

MS_RDONLY, MS_NOSUID, MS_NODEV = 0x1, 0x2, 0x4
MS_BIND, MS_REC, MS_PRIVATE = 0x1000, 0x4000, 0x40000
MNT_DETACH = 0x2
CLONE_NEWNS = 0x00020000

NOBODY = 65534
# The source name of the output tmpfs, so that a later run can tell it apart.
OUTPUT_SOURCE = "autograde-output"

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
_libc.mount.argtypes = [
    ctypes.c_char_p,
    ctypes.c_char_p,
    ctypes.c_char_p,
    ctypes.c_ulong,
    ctypes.c_char_p,
]
_libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
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


def mount_output(point: Path, size_bytes: int) -> None:
    """A tmpfs of at most `size_bytes`, writable by nobody only, on `point`."""
    point.mkdir(mode=0o700, exist_ok=True)
    options = f"size={max(size_bytes, 1 << 20)},mode=0700,uid={NOBODY},gid={NOBODY},nr_inodes=4096"
    _mount(OUTPUT_SOURCE, str(point), "tmpfs", MS_NOSUID | MS_NODEV, options)


def unmount(point: Path) -> None:
    with contextlib.suppress(OSError):
        _check(_libc.umount2(os.fsencode(str(point)), MNT_DETACH), f"umount {point}")


def _copy_file(source_dir: int, name: str, target: Path, budget: int) -> int:
    """Copy one regular file (never through a symlink, never a FIFO); bytes copied."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=source_dir)
    except OSError:
        return 0
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > budget:
            return 0
        with open(target, "wb") as out:
            remaining = info.st_size
            while remaining > 0:
                chunk = os.read(fd, min(remaining, 1 << 20))
                if not chunk:
                    break
                out.write(chunk)
                remaining -= len(chunk)
        return info.st_size
    finally:
        os.close(fd)


def copy_out(source: Path, target: Path, budget: int) -> None:
    """Copy the harness's files (`*.json`, `*.npz`, `probes/`) from the tmpfs.

    What is there was written next to student code: only regular files with
    plain names at the two expected levels, at most `budget` bytes in all.
    """
    target.mkdir(exist_ok=True)
    for sub in ("", "probes"):
        try:
            dir_fd = os.open(
                source / sub if sub else source, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
            )
        except OSError:
            continue
        try:
            destination = target / sub if sub else target
            destination.mkdir(exist_ok=True)
            for name in sorted(os.listdir(dir_fd)):
                if not name.endswith((".json", ".npz")) or name.startswith("."):
                    continue
                budget -= _copy_file(dir_fd, name, destination / name, budget)
        finally:
            os.close(dir_fd)
