"""The one interface every sandbox backend implements: `Sandbox.run(job, driver)`.

A job says what to run (the harness on one submission) and with which limits;
the backend decides how to isolate it, starts the harness with one end of a
control channel, and calls `driver` with the other end while the harness
runs. The grader never looks behind this interface, so backends (bwrap, a
container engine, a plain process) and the fake used in tests are
interchangeable.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import autograder
from autograder.errors import SandboxError
from autograder.sandbox.launch import Captured

GRADER_ROOT = Path(autograder.__file__).resolve().parent.parent
"""Directory containing the `autograder` package; put on the harness's sys.path."""


@dataclass(frozen=True)
class SandboxLimits:
    wall_seconds: float
    cpu_seconds: float
    memory_bytes: int
    max_processes: int
    output_bytes: int
    log_bytes: int
    max_open_files: int = 256


@dataclass(frozen=True)
class SandboxJob:
    """One harness run. Paths are host paths; a backend may mount them elsewhere.

    `forbidden_packages`: installed packages an isolating backend replaces by
    a stand-in whose import fails.
    """

    submission: Path
    scratch_dir: Path
    harness_config: dict[str, Any]
    limits: SandboxLimits
    forbidden_packages: tuple[str, ...] = ()


Driver = Callable[[socket.socket], None]
"""Talks to the harness over the control channel while it runs; returns when done
(the backend then gives the harness a moment to exit)."""


def control_pair() -> tuple[socket.socket, socket.socket]:
    """(the grader's end, the harness's end): datagrams keep control messages whole."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    theirs.set_inheritable(True)
    return ours, theirs


def drive_and_close(driver: Driver, ours: socket.socket) -> Callable[[], None]:
    """`driver` on our end, which is closed after it, so the harness sees the end."""

    def during() -> None:
        try:
            driver(ours)
        finally:
            ours.close()

    return during


@dataclass(kw_only=True)
class SandboxResult(Captured):
    """What a backend adds to the captured process: who ran it and what it hit."""

    backend: str
    isolated: bool
    limits_exceeded: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def harness_argv(
    python: str,
    grader_root: str,
    submission: str,
    channel: str,
    config: dict[str, Any],
) -> list[str]:
    """The command that starts the harness, with paths as the sandbox sees them.

    `-s -P` keep the user site and the current directory off sys.path; the
    environment is already cleared by the backend.
    """
    boot = (
        f"import sys; sys.path.insert(0, {grader_root!r}); "
        "from autograder.harness.main import main; main()"
    )
    return [
        python,
        "-s",
        "-P",
        "-c",
        boot,
        submission,
        channel,
        json.dumps(config),
    ]


def harness_env(home: str, tmp: str) -> dict[str, str]:
    """The whole environment of the harness: nothing of the grader's leaks in."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": tmp,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": os.path.join(home, ".matplotlib"),
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "PYTHONIOENCODING": "utf-8:replace",
    }


class Sandbox(ABC):
    name: ClassVar[str]
    isolated: ClassVar[bool]
    python: str = sys.executable

    @classmethod
    def available(cls) -> bool:
        """Whether this backend can run here; `auto` tries backends in order."""
        return True

    @classmethod
    def ensure_available(cls) -> None:
        """Raise SandboxError (what is missing, what to do) when it cannot run here."""
        if not cls.available():
            raise SandboxError(f"sandbox {cls.name!r} cannot run here; use --sandbox none")

    @abstractmethod
    def run(self, job: SandboxJob, driver: Driver) -> SandboxResult:
        """Run the harness on `job` within its limits, with `driver` talking to it,
        and return what happened to the process."""
