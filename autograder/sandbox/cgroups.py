"""Memory, process-count and CPU accounting for one sandbox run, via cgroups.

Both hierarchies are supported, because both are in the wild: cgroup v1
(one mount per controller: `memory`, `pids`, `cpuacct`), still what many CI
machines and older hosts run, and the unified cgroup v2 of modern systemd
hosts. A run gets its own child of the grader's own cgroup (so any limit on
the grader still applies), the sandbox's first process joins it before it
execs, and at the end everything left in it is killed and the group removed.

When neither hierarchy is writable (no root, no delegation), `create` says
why, and the caller falls back to rlimits and warns.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from autograder.sandbox import mounts

CONTROLLERS = ("memory", "pids", "cpuacct")


class CgroupUnavailable(Exception):
    """No cgroup hierarchy this process may create children in."""


def _mounts() -> list[tuple[str, str, frozenset[str]]]:
    """(fstype, mount point, super options) of every cgroup mount."""
    return [
        (m.fstype, m.point, m.options)
        for m in mounts.mount_table()
        if m.fstype in ("cgroup", "cgroup2")
    ]


def _own_paths() -> dict[str, str]:
    """This process's cgroup per v1 controller, and under "" its v2 cgroup."""
    paths: dict[str, str] = {}
    with open("/proc/self/cgroup", encoding="utf-8") as handle:
        for line in handle:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            for name in controllers.split(",") if controllers else [""]:
                paths[name] = path
    return paths


def _write(path: Path, value: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(value)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii")
    except OSError:
        return None


def _keyed(path: Path) -> dict[str, int]:
    """A flat-keyed cgroup file ("oom_kill 3") as a dict."""
    values: dict[str, int] = {}
    for line in (_read(path) or "").splitlines():
        key, _, number = line.partition(" ")
        with contextlib.suppress(ValueError):
            values[key] = int(number)
    return values


def _int(path: Path) -> int | None:
    text = _read(path)
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


@dataclass
class Cgroup:
    """The cgroup(s) of one run; `procs` are the files a process joins through."""

    version: int
    dirs: dict[str, Path]
    procs: list[Path] = field(default_factory=list)

    def join(self, pid: int) -> None:
        """Move `pid` in; called in the child before exec, so nothing escapes."""
        for path in self.procs:
            _write(path, str(pid))

    def cpu_seconds(self) -> float | None:
        if self.version == 2:
            usage = _keyed(self.dirs["unified"] / "cpu.stat").get("usage_usec")
            return None if usage is None else usage / 1e6
        if "cpuacct" not in self.dirs:
            return None
        usage = _int(self.dirs["cpuacct"] / "cpuacct.usage")
        return None if usage is None else usage / 1e9

    def oom_killed(self) -> bool:
        if self.version == 2:
            return _keyed(self.dirs["unified"] / "memory.events").get("oom_kill", 0) > 0
        control = _keyed(self.dirs["memory"] / "memory.oom_control")
        if "oom_kill" in control:
            return control["oom_kill"] > 0
        return (_int(self.dirs["memory"] / "memory.failcnt") or 0) > 0

    def pids_exhausted(self) -> bool:
        base = self.dirs["unified" if self.version == 2 else "pids"]
        return _keyed(base / "pids.events").get("max", 0) > 0

    def peak_memory(self) -> int | None:
        if self.version == 2:
            return _int(self.dirs["unified"] / "memory.peak")
        return _int(self.dirs["memory"] / "memory.max_usage_in_bytes")

    def _members(self) -> set[int]:
        pids: set[int] = set()
        for path in self.procs:
            for line in (_read(path) or "").split():
                with contextlib.suppress(ValueError):
                    pids.add(int(line))
        return pids

    def kill_all(self, timeout: float = 5.0) -> None:
        """SIGKILL everything inside until it is empty (a fork loop races us)."""
        kill_file = self.dirs.get("unified", Path("/nonexistent")) / "cgroup.kill"
        if self.version == 2 and kill_file.exists():
            with contextlib.suppress(OSError):
                _write(kill_file, "1")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            members = self._members()
            if not members:
                return
            for pid in members:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)

    def remove(self, timeout: float = 5.0) -> None:
        """Kill what is left, then delete the group (retrying while zombies go)."""
        self.kill_all(timeout)
        deadline = time.monotonic() + timeout
        for path in self.dirs.values():
            while True:
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.02)


def _v2(mount: str, own: str, memory: int, pids: int, name: str) -> Cgroup:
    base = Path(mount + own)
    controllers = set((_read(base / "cgroup.controllers") or "").split())
    if not {"memory", "pids"} <= controllers:
        raise CgroupUnavailable(f"cgroup v2 at {base} does not offer memory and pids")
    with contextlib.suppress(OSError):
        _write(base / "cgroup.subtree_control", "+memory +pids +cpu")
    child = base / name
    try:
        child.mkdir()
    except OSError as exc:
        raise CgroupUnavailable(f"cannot create {child}: {exc.strerror}") from None
    group = Cgroup(version=2, dirs={"unified": child}, procs=[child / "cgroup.procs"])
    try:
        _write(child / "memory.max", str(memory))
        with contextlib.suppress(OSError):
            _write(child / "memory.swap.max", "0")
        _write(child / "pids.max", str(pids))
    except OSError as exc:
        group.remove()
        raise CgroupUnavailable(f"cannot set limits in {child}: {exc.strerror}") from None
    return group


def _v1(mounts: dict[str, str], own: dict[str, str], memory: int, pids: int, name: str) -> Cgroup:
    group = Cgroup(version=1, dirs={})
    try:
        for controller in CONTROLLERS:
            if controller not in mounts:
                continue
            child = Path(mounts[controller] + own.get(controller, "/")) / name
            child.mkdir()
            group.dirs[controller] = child
            group.procs.append(child / "cgroup.procs")
        memory_dir, pids_dir = group.dirs["memory"], group.dirs["pids"]
        _write(memory_dir / "memory.limit_in_bytes", str(memory))
        if (memory_dir / "memory.memsw.limit_in_bytes").exists():
            _write(memory_dir / "memory.memsw.limit_in_bytes", str(memory))
        _write(pids_dir / "pids.max", str(pids))
    except OSError as exc:
        group.remove()
        raise CgroupUnavailable(f"cannot set up cgroup v1 ({exc.strerror})") from None
    return group


PREFIX = "autograde-"


def _hierarchy() -> tuple[dict[str, str], str | None, dict[str, str]]:
    """The v1 mount point per controller, the v2 mount point, this process's paths."""
    try:
        mounts, own = _mounts(), _own_paths()
    except OSError as exc:
        raise CgroupUnavailable(f"cannot read cgroup mounts ({exc.strerror})") from None
    v1: dict[str, str] = {}
    v2: str | None = None
    for fstype, point, options in mounts:
        if fstype == "cgroup":
            for controller in CONTROLLERS:
                if controller in options:
                    v1.setdefault(controller, point)
        elif fstype == "cgroup2" and v2 is None:
            v2 = point
    return v1, v2, own


def create(*, memory_bytes: int, max_processes: int) -> Cgroup:
    """A fresh cgroup with these limits, or CgroupUnavailable saying why not."""
    name = f"{PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    v1, v2, own = _hierarchy()
    if "memory" in v1 and "pids" in v1:
        return _v1(v1, own, memory_bytes, max_processes, name)
    if v2 is not None and "" in own:
        return _v2(v2, own[""], memory_bytes, max_processes, name)
    raise CgroupUnavailable("no cgroup hierarchy with memory and pids controllers is mounted")


def sweep_abandoned(owner_gone: Callable[[str, str], bool]) -> int:
    """Remove the groups of graders that died without cleaning up (SIGKILL, OOM):
    their sandboxes died with them, but the directories stay. Groups removed."""
    try:
        v1, v2, own = _hierarchy()
    except CgroupUnavailable:
        return 0
    parents = {c: Path(point + own.get(c, "/")) for c, point in v1.items()}
    if v2 is not None and "" in own:
        parents["unified"] = Path(v2 + own[""])
    removed = 0
    for key, parent in parents.items():
        try:
            children = [c for c in parent.iterdir() if c.name.startswith(PREFIX)]
        except OSError:
            continue
        for child in children:
            if child.is_dir() and owner_gone(child.name, PREFIX):
                procs = [child / "cgroup.procs"]
                Cgroup(version=2 if key == "unified" else 1, dirs={key: child}, procs=procs).remove(
                    timeout=1.0
                )
                removed += not child.exists()
    return removed
