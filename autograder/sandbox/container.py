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

The image holds the whole grader, reference solutions included; empty
directories are mounted over `reference/` and `assignments/`, and the
grader's own harness over the image's, so the container sees the same
harness as the grader and nothing of the instructor's. The harness connects
to a control socket in a directory mounted at /channel. Each forbidden
package of the image is replaced by a stand-in whose import fails, as bwrap
does.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import ClassVar

from autograder.errors import SandboxError
from autograder.sandbox.base import (
    GRADER_ROOT,
    Driver,
    Sandbox,
    SandboxJob,
    SandboxLimits,
    SandboxResult,
    drive_and_close,
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


CHANNEL_DIR = "/channel"
SOCKET_NAME = "control.sock"
STUB_INIT = "raise ImportError('autograde: {name!r} is not available in this assignment')\n"


def engine_run_argv(
    engine: str,
    job: SandboxJob,
    name: str,
    image_name: str,
    workdir: Path,
    hidden_packages: dict[str, str] | None = None,
) -> list[str]:
    """`ENGINE run ...` for one job: every isolation property is a flag here.

    `workdir` holds the channel directory, the empty directory mounted over
    the image's instructor files and the forbidden packages' stand-ins.
    """
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
        f"{workdir / 'channel'}:{CHANNEL_DIR}:rw",
        "--volume",
        f"{workdir / 'empty'}:{IMAGE_GRADER_ROOT}/reference:ro",
        "--volume",
        f"{workdir / 'empty'}:{IMAGE_GRADER_ROOT}/assignments:ro",
        "--volume",
        f"{GRADER_ROOT / 'autograder' / 'harness'}:{IMAGE_GRADER_ROOT}/autograder/harness:ro",
    ]
    for package, inside in sorted((hidden_packages or {}).items()):
        argv += ["--volume", f"{workdir / 'stubs' / package}:{inside}:ro"]
    argv += [
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
        f"unix:{CHANNEL_DIR}/{SOCKET_NAME}",
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


@functools.lru_cache(maxsize=16)
def image_package_dirs(engine: str, image_name: str, names: tuple[str, ...]) -> dict[str, str]:
    """Where the image installed each of `names` (not imported: found), by asking it once."""
    if not names:
        return {}
    script = (
        "import importlib.util, json, sys\n"
        "found = {}\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n"
        "        spec = importlib.util.find_spec(name)\n"
        "    except (ImportError, ValueError):\n"
        "        continue\n"
        "    for where in (spec.submodule_search_locations or []) if spec else []:\n"
        "        found[name] = where\n"
        "print(json.dumps(found))\n"
    )
    ask = [engine, "run", "--rm", "--network", "none", "--entrypoint", IMAGE_PYTHON, image_name]
    answer = _quiet([*ask, "-c", script, *names], 120)
    if answer is None or answer.returncode != 0:
        raise SandboxError(
            f"the {engine} image {image_name} could not list its packages; check that it runs"
        )
    try:
        found = json.loads(answer.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise SandboxError(f"the {engine} image {image_name} answered garbage") from None
    return {str(k): str(v) for k, v in found.items() if k in names}


def _accept(listener: socket.socket, driver: Driver) -> Driver:
    """The driver, once the harness has connected (or the run is over)."""

    def connected(_: socket.socket) -> None:
        listener.settimeout(60.0)
        try:
            conn, _address = listener.accept()
        except OSError:
            return
        try:
            driver(conn)
        finally:
            conn.close()

    return connected


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

    def run(self, job: SandboxJob, driver: Driver) -> SandboxResult:
        engine = shutil.which(self.engine)
        if engine is None:
            raise SandboxError(f"{self.engine} is not installed; use --sandbox bwrap or none")
        limits = job.limits
        name = f"autograde-{uuid.uuid4().hex[:12]}"
        hidden = image_package_dirs(engine, image(), tuple(job.forbidden_packages))
        workdir = Path(tempfile.mkdtemp(prefix="autograde-container-"))
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            workdir.chmod(0o711)
            for sub in ("channel", "empty"):
                (workdir / sub).mkdir()
            (workdir / "channel").chmod(0o777)
            for package in hidden:
                stub = workdir / "stubs" / package
                stub.mkdir(parents=True)
                (stub / "__init__.py").write_text(STUB_INIT.format(name=package))
            listener.bind(str(workdir / "channel" / SOCKET_NAME))
            (workdir / "channel" / SOCKET_NAME).chmod(0o777)
            listener.listen(1)
            captured = run_capped(
                engine_run_argv(engine, job, name, image(), workdir, hidden),
                env=dict(os.environ),
                cwd=None,
                wall_seconds=limits.wall_seconds,
                log_bytes=limits.log_bytes,
                during=drive_and_close(_accept(listener, driver), listener),
            )
        finally:
            # Killing the client leaves the container running: stop it by name.
            _quiet([engine, "rm", "--force", name], 30)
            listener.close()
            shutil.rmtree(workdir, ignore_errors=True)
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
            **vars(captured),
        )


class DockerSandbox(ContainerSandbox):
    name = "docker"
    engine = "docker"


class PodmanSandbox(ContainerSandbox):
    name = "podman"
    engine = "podman"
