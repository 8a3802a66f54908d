"""The `bwrap` backend: Linux namespaces through bubblewrap, the default.

What the submission sees: `/usr` and the Python runtime and virtualenv at
their real paths (read-only, so the venv's absolute symlinks work), the
harness alone (`autograder/harness`, at /opt/autograde) and its own file at
/submission (read-only), a private size-capped /tmp and /dev/shm, and
nothing else: `/` is an empty, read-only tmpfs, so `reference/`, the
assignment's spec and probes, the rest of the grader, home directories, the
grader's working directory and other submissions do not exist. It talks to
the grader only through the control socket it inherits.

How it is held:

- bwrap runs with the harness's clean environment (bwrap's init is PID 1
  inside and `/proc/1/environ` shows what bwrap was started with);
- all namespaces are new (net: loopback only), user namespaces are disabled
  inside, the session is new, and bwrap dies with the grader;
- when the grader is root, bwrap itself runs as `nobody` (see `mounts`), so
  the submission is an unprivileged uid on the host, not only inside;
- a seccomp filter (`seccomp`) denies ptrace, keyrings, io_uring, vsock,
  mounts and namespaces;
- a cgroup (`cgroups`) caps memory and processes and measures CPU time;
  without one, rlimits stand in and the result carries a warning;
- at the end the pid namespace dies with bwrap and the cgroup is swept.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from autograder.errors import SandboxError
from autograder.sandbox import abandoned, cgroups, mounts, seccomp
from autograder.sandbox.base import (
    GRADER_ROOT,
    Driver,
    Sandbox,
    SandboxJob,
    SandboxLimits,
    SandboxResult,
    control_pair,
    drive_and_close,
    harness_argv,
    harness_env,
)
from autograder.sandbox.launch import Captured, run_capped, set_rlimits

SANDBOX_GRADER_ROOT = "/opt/autograde"
SANDBOX_UID = 65534
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "fonts")
PASSWD = "nobody:x:65534:65534:nobody:/tmp:/usr/sbin/nologin\n"
GROUP = "nogroup:x:65534:\n"


def size_words(size: int) -> str:
    """2147483648 -> '2 GiB', 314572800 -> '300 MiB'."""
    if size % 2**30 == 0:
        return f"{size // 2**30} GiB"
    return f"{size / 2**20:g} MiB"


def runtime_dirs() -> list[Path]:
    """The interpreter's prefixes outside /usr, outermost only."""
    found: list[Path] = []
    for raw in (sys.base_prefix, sys.base_exec_prefix, sys.prefix, sys.exec_prefix):
        path = Path(raw).resolve()
        if path == Path("/usr") or Path("/usr") in path.parents:
            continue
        if any(p == path or p in path.parents for p in found):
            continue
        found = [p for p in found if path not in p.parents]
        found.append(path)
    return found


@dataclass
class Plan:
    """bwrap's mount options, with every host path it binds listed separately."""

    options: list[str] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)

    def bind(self, source: Path, dest: str, *, writable: bool = False) -> None:
        self.sources.append(source)
        flag = "--bind" if writable else "--ro-bind"
        self.options += [flag, f"@{len(self.sources) - 1}", dest]

    def resolved(self, points: list[Path] | None) -> list[str]:
        """Options with each `@i` replaced by its source, or its staging point."""
        targets = points if points is not None else self.sources
        return [str(targets[int(o[1:])]) if o.startswith("@") else o for o in self.options]


def forbidden_package_dirs(names: list[str]) -> list[Path]:
    """Where the installed forbidden packages live, without importing them."""
    found = []
    for name in names:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        for location in (spec.submodule_search_locations or []) if spec else []:
            found.append(Path(location).resolve())
    return found


def _refusing_package(workdir: Path, name: str) -> Path:
    """A stand-in package whose import fails, mounted over a forbidden one.

    The import guard in the harness lives in the submission's own process,
    where the submission can undo it; with the package itself replaced, no
    route (a removed guard, a subprocess, exec of its files) reaches it.
    """
    stub = workdir / "forbidden" / name
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text(
        f"raise ImportError({f'autograde: {name!r} is not available in this assignment'!r})\n"
    )
    return stub


def mount_plan(job: SandboxJob, etc_dir: Path, python: str) -> Plan:
    plan = Plan()
    plan.bind(Path("/usr"), "/usr")
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        host = Path("/") / name
        if host.is_symlink():
            plan.options += ["--symlink", os.readlink(host), f"/{name}"]
        elif host.is_dir():
            plan.bind(host, f"/{name}")
    for name in ETC_FILES:
        if (Path("/etc") / name).exists():
            plan.bind(Path("/etc") / name, f"/etc/{name}")
    plan.bind(etc_dir / "passwd", "/etc/passwd")
    plan.bind(etc_dir / "group", "/etc/group")
    runtime = runtime_dirs()
    python_dir = Path(python).parent.resolve()
    for directory in runtime:
        plan.bind(directory, str(directory))
    if not any(d == python_dir or d in python_dir.parents for d in [*runtime, Path("/usr")]):
        plan.bind(python_dir, str(python_dir))
    for package_dir in forbidden_package_dirs(list(job.forbidden_packages)):
        plan.bind(_refusing_package(etc_dir.parent, package_dir.name), str(package_dir))
    package = GRADER_ROOT / "autograder"
    plan.bind(package / "__init__.py", f"{SANDBOX_GRADER_ROOT}/autograder/__init__.py")
    plan.bind(package / "harness", f"{SANDBOX_GRADER_ROOT}/autograder/harness")
    plan.bind(job.submission, f"/submission/{job.submission.name}")
    return plan


def bwrap_options(limits: SandboxLimits, seccomp_fd: int | None) -> list[str]:
    """Namespaces, identity and the private writable places."""
    tmp_size = str(max(limits.output_bytes, 16 * 2**20))
    options = [
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_UID),
        "--hostname",
        "sandbox",
        "--new-session",
        "--die-with-parent",
        "--cap-drop",
        "ALL",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",
        tmp_size,
        "--tmpfs",
        "/tmp",
        "--size",
        tmp_size,
        "--tmpfs",
        "/dev/shm",
        "--chdir",
        "/tmp",
    ]
    if seccomp_fd is not None:
        options += ["--seccomp", str(seccomp_fd)]
    return options


def _preexec(
    *, group: cgroups.Cgroup | None, limits: SandboxLimits, staging: list[tuple[str, str]] | None
) -> None:
    """In the child, before exec: join the cgroup, set rlimits, stage, drop root."""
    if group is not None:
        group.join(os.getpid())
    set_rlimits(
        cpu_seconds=limits.cpu_seconds,
        file_bytes=limits.output_bytes,
        open_files=limits.max_open_files,
        # Without a memory cgroup, a generous address-space cap is the only backstop.
        address_space=None if group else max(2 * limits.memory_bytes, limits.memory_bytes + 2**31),
    )
    if group is None:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.max_processes, limits.max_processes))
    if staging is not None:
        mounts.stage_binds(staging)
        mounts.drop_to_nobody()


def _seccomp_pipe() -> int:
    """A pipe holding the compiled filter; bwrap reads it from the returned fd."""
    program = seccomp.build_filter()
    read_fd, write_fd = os.pipe()
    os.write(write_fd, program)
    os.close(write_fd)
    return read_fd


def _signal_from_exit(code: int | None) -> tuple[int | None, str | None]:
    """bwrap reports a child killed by signal N as exit code 128 + N."""
    if code is not None and 128 < code < 128 + 65:
        with contextlib.suppress(ValueError):
            return None, signal.Signals(code - 128).name
    return code, None


class BwrapSandbox(Sandbox):
    name = "bwrap"
    isolated = True

    @classmethod
    def available(cls) -> bool:
        return probe() is None

    @classmethod
    def ensure_available(cls) -> None:
        problem = probe()
        if problem is not None:
            raise SandboxError(
                f"sandbox 'bwrap' cannot run here ({problem}); install bubblewrap "
                "(Debian/Ubuntu: apt-get install bubblewrap) or use --sandbox none"
            )

    def run(self, job: SandboxJob, driver: Driver) -> SandboxResult:
        return _run(job, self.python, driver)


def _run(
    job: SandboxJob, python: str, driver: Driver | None, command: list[str] | None = None
) -> SandboxResult:
    limits = job.limits
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxError("bwrap is not installed; install bubblewrap or use --sandbox none")
    privileged = os.geteuid() == 0
    warnings: list[str] = []
    if privileged:
        abandoned.sweep()
    workdir = Path(tempfile.mkdtemp(prefix=abandoned.workdir_prefix()))
    # Traversable (not listable) so that bwrap, run as nobody, reaches the staging points.
    workdir.chmod(0o711)
    group: cgroups.Cgroup | None = None
    seccomp_fd: int | None = None
    ours, theirs = control_pair()
    channel_fd = theirs.detach()
    try:
        etc_dir = workdir / "etc"
        etc_dir.mkdir()
        (etc_dir / "passwd").write_text(PASSWD)
        (etc_dir / "group").write_text(GROUP)
        plan = mount_plan(job, etc_dir, python)
        staging = None
        points = None
        if privileged:
            points = mounts.make_points(workdir / "stage", plan.sources)
            staging = [(str(s), str(p)) for s, p in zip(plan.sources, points, strict=True)]
        try:
            group = cgroups.create(
                memory_bytes=limits.memory_bytes, max_processes=limits.max_processes + 2
            )
        except cgroups.CgroupUnavailable as exc:
            warnings.append(
                f"no usable cgroup ({exc}): memory and process limits fall back to rlimits"
            )
        try:
            seccomp_fd = _seccomp_pipe()
        except seccomp.UnsupportedArch as exc:
            warnings.append(f"no seccomp filter ({exc})")
        if command is None:
            command = harness_argv(
                python,
                SANDBOX_GRADER_ROOT,
                f"/submission/{job.submission.name}",
                f"fd:{channel_fd}",
                job.harness_config,
            )
        argv = [
            bwrap,
            *bwrap_options(limits, seccomp_fd),
            *plan.resolved(points),
            "--remount-ro",
            "/",
            "--",
            *command,
        ]
        watch, cpu_exceeded = _cpu_watch(group, limits.cpu_seconds)
        handed, channel_fd = channel_fd, -1  # run_capped closes it once the child has it
        fds = (handed,) if seccomp_fd is None else (handed, seccomp_fd)
        captured = run_capped(
            argv,
            env=harness_env("/tmp", "/tmp"),
            cwd="/",
            wall_seconds=limits.wall_seconds,
            log_bytes=limits.log_bytes,
            preexec=functools.partial(_preexec, group=group, limits=limits, staging=staging),
            pass_fds=fds,
            handoff=(handed,),
            watch=watch,
            during=None if driver is None else drive_and_close(driver, ours),
        )
        return _result(captured, limits, group, cpu_exceeded(), warnings)
    finally:
        if channel_fd >= 0:
            os.close(channel_fd)
        ours.close()
        if seccomp_fd is not None:
            os.close(seccomp_fd)
        if group is not None:
            group.remove()
        _remove(workdir)


def _remove(workdir: Path, attempts: int = 40) -> None:
    """The run's directory, gone: a sandboxed process killed a moment ago may still
    be writing into it while the kernel tears its namespace down, so retry briefly."""
    for _ in range(attempts):
        shutil.rmtree(workdir, ignore_errors=True)
        if not workdir.exists():
            return
        time.sleep(0.05)


def _cpu_watch(
    group: cgroups.Cgroup | None, cpu_seconds: float
) -> tuple[Callable[[], bool] | None, Callable[[], bool]]:
    """Stop the run once the whole tree has used its CPU budget (rlimits count
    per process, and every probe is a fresh process)."""
    state = {"exceeded": False, "next": 0.0}
    if group is None or group.cpu_seconds() is None:
        return None, lambda: False

    def watch() -> bool:
        now = time.monotonic()
        if now < state["next"]:
            return False
        state["next"] = now + 0.2
        used = group.cpu_seconds()
        state["exceeded"] = used is not None and used > cpu_seconds
        return bool(state["exceeded"])

    return watch, lambda: bool(state["exceeded"])


def _result(
    captured: Captured,
    limits: SandboxLimits,
    group: cgroups.Cgroup | None,
    cpu_exceeded: bool,
    warnings: list[str],
) -> SandboxResult:
    exit_code, sig = _signal_from_exit(captured.exit_code)
    peak = captured.peak_memory_bytes
    exceeded = []
    if captured.timed_out:
        exceeded.append(f"ran longer than {limits.wall_seconds:g} s")
    if cpu_exceeded or sig == "SIGXCPU":
        exceeded.append(f"used more than {limits.cpu_seconds:g} s of CPU time")
    if group is not None:
        if group.oom_killed():
            exceeded.append(f"used more than {size_words(limits.memory_bytes)} of memory")
        if group.pids_exhausted():
            exceeded.append(f"tried to run more than {limits.max_processes} processes")
        peak = group.peak_memory() or peak
    fields = vars(captured) | {"exit_code": exit_code, "signal": sig, "peak_memory_bytes": peak}
    return SandboxResult(
        backend="bwrap", isolated=True, limits_exceeded=exceeded, warnings=warnings, **fields
    )


@functools.lru_cache(maxsize=1)
def probe() -> str | None:
    """None when a trivial sandbox starts here; else what went wrong (cached)."""
    if shutil.which("bwrap") is None:
        return "bwrap is not installed"
    with tempfile.TemporaryDirectory(prefix="autograde-probe-") as tmp:
        root = Path(tmp)
        for name in ("submission", "scratch"):
            (root / name).mkdir()
        (root / "submission" / "probe.py").write_text("")
        job = SandboxJob(
            submission=root / "submission" / "probe.py",
            scratch_dir=root / "scratch",
            harness_config={},
            limits=SandboxLimits(
                wall_seconds=20,
                cpu_seconds=20,
                memory_bytes=2**30,
                max_processes=32,
                output_bytes=2**20,
                log_bytes=4096,
            ),
        )
        try:
            result = _run(job, sys.executable, None, [sys.executable, "-S", "-c", "print('ok')"])
        except (OSError, SandboxError) as exc:
            return str(exc)
    if result.exit_code == 0 and result.stdout.strip() == "ok":
        return None
    detail = (result.stderr.strip().splitlines() or [f"exit status {result.exit_code}"])[-1]
    return f"a test run failed: {detail}"
