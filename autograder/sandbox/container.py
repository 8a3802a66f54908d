"""The `docker` and `podman` backends: the same isolation through a container engine.

The container runs the image built from the repository's Dockerfile
(`AUTOGRADE_IMAGE`, default `autograde:latest`), which holds the same
Python, libraries and `autograder` package (at /opt/autograde) as the grader.
The limits bwrap gets from namespaces, cgroups and rlimits are expressed as
engine flags: no network, read-only root, memory and pids caps, all
capabilities dropped, no privilege gain, an unprivileged user, size-capped
tmpfs for /tmp and /dev/shm, rlimits as `--ulimit`. The container has a
name, so a run that outlives its time-out is killed through the engine (the
engine client dying does not stop the container).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import uuid
from typing import ClassVar

from autograder.errors import SandboxError
from autograder.sandbox.base import (
    Sandbox,
    SandboxJob,
    SandboxLimits,
    SandboxResult,
    harness_argv,
    harness_env,
)
from autograder.sandbox.launch import run_capped

DEFAULT_IMAGE = "autograde:latest"
IMAGE_GRADER_ROOT = "/opt/autograde"
IMAGE_PYTHON = "python"
SANDBOX_USER = "65534:65534"


def image() -> str:
    return os.environ.get("AUTOGRADE_IMAGE") or DEFAULT_IMAGE


def engine_run_argv(engine: str, job: SandboxJob, name: str, image_name: str) -> list[str]:
    """`ENGINE run ...` for one job: every isolation property is a flag here."""
    limits: SandboxLimits = job.limits
    tmp_size = max(limits.output_bytes, 16 * 2**20)
    cpu = max(1, int(limits.cpu_seconds))
    entry = job.submission.name
    argv = [
        engine,
        "run",
        "--rm",
        "--name",
        name,
        "--network",
        "none",
        "--read-only",
        "--memory",
        f"{limits.memory_bytes}b",
        "--memory-swap",
        f"{limits.memory_bytes}b",
        "--pids-limit",
        str(limits.max_processes),
        "--cap-drop",
        "ALL",
        "--security-opt",
        "no-new-privileges",
        "--user",
        SANDBOX_USER,
        "--ulimit",
        f"cpu={cpu}:{cpu + 1}",
        "--ulimit",
        f"fsize={limits.output_bytes}:{limits.output_bytes}",
        "--ulimit",
        f"nofile={limits.max_open_files}:{limits.max_open_files}",
        "--ulimit",
        "core=0:0",
        "--tmpfs",
        f"/tmp:rw,nosuid,nodev,size={tmp_size}",
        "--shm-size",
        str(tmp_size),
        "--volume",
        f"{job.submission}:/submission/{entry}:ro",
        "--volume",
        f"{job.assignment_dir}:/assignment:ro",
        "--volume",
        f"{job.output_dir}:/output:rw",
        "--workdir",
        "/tmp",
        "--entrypoint",
        IMAGE_PYTHON,
    ]
    for key, value in harness_env("/tmp", "/tmp").items():
        argv += ["--env", f"{key}={value}"]
    command = harness_argv(
        IMAGE_PYTHON,
        IMAGE_GRADER_ROOT,
        f"/submission/{entry}",
        "/assignment",
        "/output",
        job.harness_config,
    )
    return [*argv, image_name, *command[1:]]


def _quiet(argv: list[str], seconds: float) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            argv, capture_output=True, text=True, timeout=seconds, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired):
        return None


@functools.lru_cache(maxsize=8)
def engine_problem(engine: str, image_name: str) -> str | None:
    """None when `engine` answers and has `image_name`; else what is wrong (cached)."""
    path = shutil.which(engine)
    if path is None:
        return f"{engine} is not installed"
    answer = _quiet([path, "version"], 10)
    if answer is None or answer.returncode != 0:
        return f"the {engine} engine does not answer (is its daemon running?)"
    answer = _quiet([path, "image", "inspect", image_name], 10)
    if answer is None or answer.returncode != 0:
        return f"image {image_name} not found (build it: {engine} build -t {image_name} .)"
    return None


class ContainerSandbox(Sandbox):
    engine: ClassVar[str]
    isolated = True

    @classmethod
    def available(cls) -> bool:
        return engine_problem(cls.engine, image()) is None

    @classmethod
    def ensure_available(cls) -> None:
        problem = engine_problem(cls.engine, image())
        if problem is not None:
            raise SandboxError(
                f"sandbox '{cls.name}' cannot run here ({problem}); "
                "use --sandbox bwrap or --sandbox none"
            )

    def run(self, job: SandboxJob) -> SandboxResult:
        engine = shutil.which(self.engine)
        if engine is None:
            raise SandboxError(f"{self.engine} is not installed; use --sandbox bwrap or none")
        limits = job.limits
        name = f"autograde-{uuid.uuid4().hex[:12]}"
        # The container's unprivileged user must be able to write its output.
        job.output_dir.chmod(0o1777)
        try:
            captured = run_capped(
                engine_run_argv(engine, job, name, image()),
                env=dict(os.environ),
                cwd=None,
                wall_seconds=limits.wall_seconds,
                log_bytes=limits.log_bytes,
            )
        finally:
            # Killing the client leaves the container running: stop it by name.
            _quiet([engine, "rm", "--force", name], 30)
        exceeded = []
        code = captured.exit_code
        if captured.timed_out:
            exceeded.append(f"ran longer than {limits.wall_seconds:g} s")
        elif code == 128 + 24:  # SIGXCPU
            exceeded.append(f"used more than {limits.cpu_seconds:g} s of CPU time")
        elif code == 128 + 9:  # SIGKILL from the engine's OOM killer
            exceeded.append(f"used more than {limits.memory_bytes // 2**20} MiB of memory")
        return SandboxResult(
            backend=self.name,
            isolated=True,
            limits_exceeded=exceeded,
            warnings=["container backend: the output directory's size is capped per file only"],
            **vars(captured),
        )


class DockerSandbox(ContainerSandbox):
    name = "docker"
    engine = "docker"


class PodmanSandbox(ContainerSandbox):
    name = "podman"
    engine = "podman"
