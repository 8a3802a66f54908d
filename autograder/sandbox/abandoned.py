"""Leftovers of graders that died without cleaning up, swept by the next run.

A grader killed outright (SIGKILL, the OOM killer) takes its sandbox with it
(`--die-with-parent`), but its output tmpfs stays mounted and its cgroups
stay in the hierarchy. Both carry the grader's pid in their names; the next
bwrap run removes those whose grader is gone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from autograder.sandbox import cgroups, mounts

WORKDIR_PREFIX = "autograde-bwrap-"


def workdir_prefix() -> str:
    """The prefix of this grader's working directories: it names the owner."""
    return f"{WORKDIR_PREFIX}{os.getpid()}-"


def owner_gone(name: str, prefix: str) -> bool:
    """Whether `name` is `<prefix><pid>-...` for a pid no longer running."""
    if not name.startswith(prefix):
        return False
    pid_text = name[len(prefix) :].split("-", 1)[0]
    if not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def abandoned_outputs(root: Path) -> list[Path]:
    """Output mounts under `root` left by graders that are gone."""
    try:
        table = mounts.mount_table()
    except OSError:
        return []
    found = []
    for entry in table:
        if (entry.fstype, entry.source) != ("tmpfs", mounts.OUTPUT_SOURCE):
            continue
        point = Path(entry.point)
        if point.parent.parent == root and owner_gone(point.parent.name, WORKDIR_PREFIX):
            found.append(point)
    return found


def sweep() -> None:
    """Unmount and delete abandoned output directories; remove abandoned cgroups."""
    root = Path(tempfile.gettempdir()).resolve()
    for point in abandoned_outputs(root):
        mounts.unmount(point)
        shutil.rmtree(point.parent, ignore_errors=True)
    cgroups.sweep_abandoned(owner_gone)
