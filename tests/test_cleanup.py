"""A grader stopped mid-run leaves nothing behind: no sandbox, mount or cgroup.

Terminated or interrupted, it cleans up on the way out; killed outright, the
sandbox dies with it and the next run sweeps the mount and cgroups it left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from autograder.sandbox import abandoned
from autograder.sandbox.bwrap import BwrapSandbox
from tests.conftest import REFERENCE, as_student, sandbox_processes

pytestmark = pytest.mark.skipif(
    not BwrapSandbox.available() or os.geteuid() != 0,
    reason="needs bubblewrap and root (the staged mounts and cgroups)",
)

HANGS = """
import signal, subprocess, time
signal.signal(signal.SIGALRM, signal.SIG_IGN)
subprocess.Popen(["/usr/bin/sleep", "300", "{marker}"])
while True:
    time.sleep(1000)
"""


def _mount_points(grader_pid: int) -> list[str]:
    prefix = f"{abandoned.WORKDIR_PREFIX}{grader_pid}-"
    with open("/proc/self/mountinfo", encoding="utf-8") as handle:
        return [line.split()[4] for line in handle if prefix in line]


def _workdirs(grader_pid: int) -> list[Path]:
    return list(Path("/tmp").glob(f"{abandoned.WORKDIR_PREFIX}{grader_pid}-*"))


def _cgroups(grader_pid: int) -> list[Path]:
    return list(Path("/sys/fs/cgroup").glob(f"*/**/autograde-{grader_pid}-*"))


def _start_grading(tmp_path: Path, marker: str) -> subprocess.Popen:
    source = REFERENCE.joinpath("hw1.py").read_text() + HANGS.format(marker=marker)
    work = tmp_path / marker
    work.mkdir()
    as_student(work, source, "hw1.py")
    grader = subprocess.Popen(
        [sys.executable, "-m", "autograder", "submit", "hw1.py", "--sandbox", "bwrap"],
        cwd=work,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    # The staging mounts live in the sandbox's own mount namespace: the host's
    # shows the run by its working directory and cgroup only.
    while not (_workdirs(grader.pid) and _cgroups(grader.pid)):
        assert grader.poll() is None, grader.communicate()
        assert time.monotonic() < deadline, "the sandbox never started"
        time.sleep(0.05)
    while not sandbox_processes(grader.pid, marker):
        assert time.monotonic() < deadline, "the submission never started its child"
        time.sleep(0.05)
    return grader


def test_sigterm_mid_run_cleans_up_and_says_so(tmp_path: Path) -> None:
    marker = f"sigterm-{uuid.uuid4().hex[:8]}"
    grader = _start_grading(tmp_path, marker)
    grader.send_signal(signal.SIGTERM)
    _, stderr = grader.communicate(timeout=60)
    assert grader.returncode == 2
    assert stderr == "autograde: error: interrupted by SIGTERM: nothing was graded\n"
    assert _mount_points(grader.pid) == []
    assert _cgroups(grader.pid) == []
    assert _workdirs(grader.pid) == []
    assert sandbox_processes(grader.pid, marker) == []
    assert not (tmp_path / marker / "autograde-report.json").exists()


def test_a_killed_graders_leftovers_are_swept_by_the_next_run(grade, tmp_path: Path) -> None:
    marker = f"sigkill-{uuid.uuid4().hex[:8]}"
    grader = _start_grading(tmp_path, marker)
    grader.send_signal(signal.SIGKILL)
    grader.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while sandbox_processes(grader.pid, marker):  # --die-with-parent: the sandbox goes too
        assert time.monotonic() < deadline, "the sandbox outlived its grader"
        time.sleep(0.05)

    report = grade(as_student(tmp_path, REFERENCE / "hw1.py", "hw1.py"), sandbox="bwrap")

    assert report.score == report.max_score
    assert _mount_points(grader.pid) == []
    assert _cgroups(grader.pid) == []
    assert _workdirs(grader.pid) == []


@pytest.mark.parametrize(
    "name",
    [
        "autograde-bwrap-{own}-abc",  # ours
        "autograde-bwrap-1-abc",  # alive
        "autograde-bwrap-x1-abc",  # not ours to judge
        "something-else-123",
    ],
)
def test_live_or_unknown_owners_do_not_count_as_abandoned(name: str) -> None:
    name = name.format(own=os.getpid())
    assert abandoned.owner_gone(name, abandoned.WORKDIR_PREFIX) is False


def test_a_dead_pid_counts_as_abandoned() -> None:
    child = subprocess.Popen(["true"])
    child.wait()
    assert abandoned.owner_gone(f"autograde-bwrap-{child.pid}-abc", abandoned.WORKDIR_PREFIX)
