"""Leftovers of graders that died without cleaning up, swept by the next run.

A grader killed outright (SIGKILL, the OOM killer) takes its sandbox with it
(`--die-with-parent`), but its working directory stays in the temporary
directory and its cgroups stay in the hierarchy. Both carry the grader's pid
in their names; the next bwrap run removes those whose grader is gone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from autograder.sandbox import cgroups

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


def abandoned_workdirs(root: Path) -> list[Path]:
    """Working directories under `root` left by graders that are gone."""
    try:
        entries = list(root.iterdir())
    except OSError:
        return []
    return [
        path
        for path in entries
        if owner_gone(path.name, WORKDIR_PREFIX) and path.is_dir() and not path.is_symlink()
    ]


def sweep() -> None:
    """Delete abandoned working directories; remove abandoned cgroups."""
    for path in abandoned_workdirs(Path(tempfile.gettempdir()).resolve()):
        shutil.rmtree(path, ignore_errors=True)
    cgroups.sweep_abandoned(owner_gone)
