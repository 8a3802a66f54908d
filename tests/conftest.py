"""Shared fixtures: grade a real submission file and return its report.

Tests grade through the same public entry points users hit (`submit` and the
CLI), against the bundled assignments, with one reference cache per session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.report import Report
from autograder.submit import submit

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = Path(__file__).resolve().parent / "submissions"
ASSIGNMENTS = ROOT / "assignments"
REFERENCE = ROOT / "reference"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Shared by xdist workers: the base temp's parent is common to all of them.
    shared = tmp_path_factory.getbasetemp().parent / "reference-cache"
    shared.mkdir(exist_ok=True)
    return shared


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    monkeypatch.setenv("AUTOGRADE_CACHE", str(cache_dir))
    monkeypatch.delenv("AUTOGRADE_ASSIGNMENTS", raising=False)


@pytest.fixture
def grade(tmp_path: Path, cache_dir: Path):
    """grade(file, assignment=None, sandbox="auto", **kw) -> Report: the default backend."""

    def _grade(file: Path, assignment: str | None = None, sandbox: str = "auto", **kw) -> Report:
        outcome = submit(
            file=file,
            assignment_id=assignment,
            report_path=tmp_path / "report.json",
            sandbox=sandbox,
            cache_dir=cache_dir,
            **kw,
        )
        return outcome.report

    return _grade


def as_student(tmp_path: Path, source: Path | str, name: str) -> Path:
    """`source` (a file, or code as text) saved as the student file `name`."""
    target = tmp_path / name
    if isinstance(source, Path):
        shutil.copy(source, target)
    else:
        target.write_text(source)
    return target


def statuses(report: Report) -> dict[str, str]:
    return {check.id: check.status for check in report.checks}


def failing(report: Report) -> set[str]:
    return {check.id for check in report.checks if check.status != "passed"}


def feedback(report: Report, check_id: str) -> str:
    return next(c.feedback for c in report.checks if c.id == check_id)


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """The installed CLI as a user runs it, in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "autograder", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def sandbox_processes(grader_pid: int, marker: str) -> list[str]:
    """Processes still in a cgroup grader `grader_pid` made, or showing `marker`."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            groups = Path(f"/proc/{pid}/cgroup").read_text()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if f"autograde-{grader_pid}-" in groups or marker in cmdline:
            found.append(f"{pid}: {cmdline}")
    return found
