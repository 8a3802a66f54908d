"""Start a process tree, feed it nothing, cap what it prints, kill it on time.

Shared by every backend: output is read as it arrives and only a bounded tail
is kept, so a submission printing gigabytes costs neither memory nor minutes.
"""

from __future__ import annotations

import contextlib
import os
import resource
import selectors
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass
class Captured:
    exit_code: int | None
    signal: str | None
    timed_out: bool
    wall_seconds: float
    peak_memory_bytes: int | None
    stdout: str
    stderr: str
    stdout_truncated: bool
    stderr_truncated: bool


class _Tail:
    """The last `cap` bytes of a stream, and whether anything was dropped."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.data = bytearray()
        self.total = 0

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        self.data += chunk
        if len(self.data) > 2 * self.cap:
            del self.data[: len(self.data) - self.cap]

    def text(self) -> str:
        return bytes(self.data[-self.cap :]).decode("utf-8", errors="replace")

    @property
    def truncated(self) -> bool:
        return self.total > self.cap


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def run_capped(
    argv: Sequence[str],
    *,
    env: dict[str, str],
    cwd: str | None,
    wall_seconds: float,
    log_bytes: int,
    preexec: Callable[[], None] | None = None,
    pass_fds: Sequence[int] = (),
    watch: Callable[[], bool] | None = None,
) -> Captured:
    """Run `argv` in a new session; on time-out kill its whole process group.

    `watch`, polled every few tens of milliseconds, ends the run early when it
    returns True (a backend's total-CPU budget); it records its own reason.
    """
    started = time.monotonic()
    proc = subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        start_new_session=True,
        preexec_fn=preexec,
        pass_fds=tuple(pass_fds),
    )
    assert proc.stdout is not None and proc.stderr is not None
    out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
    tails = {out_fd: _Tail(log_bytes), err_fd: _Tail(log_bytes)}
    selector = selectors.DefaultSelector()
    for stream in (proc.stdout, proc.stderr):
        os.set_blocking(stream.fileno(), False)
        selector.register(stream.fileno(), selectors.EVENT_READ)
    deadline = started + wall_seconds
    timed_out = False
    reaped: tuple[int, object] | None = None

    def drain(fd: int) -> bool:
        """Read what is there, a bounded amount; False once the stream is closed.

        Bounded so that a flood of output cannot keep us from the deadline.
        """
        for _ in range(64):
            try:
                chunk = os.read(fd, 1 << 16)
            except BlockingIOError:
                return True
            if not chunk:
                return False
            tails[fd].add(chunk)
        return True

    # The main process ending ends the run, even if something it started
    # still holds the pipes open (a daemon must not stretch the run).
    try:
        while reaped is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            for key, _ in selector.select(timeout=min(remaining, 0.05)):
                if not drain(key.fd):
                    selector.unregister(key.fd)
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                reaped = (status, usage)
            elif watch is not None and watch():
                break
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM): the run dies with us, never left behind.
        _kill_group(proc.pid)
        with contextlib.suppress(ChildProcessError):
            os.wait4(proc.pid, 0)
        selector.close()
        raise
    _kill_group(proc.pid)
    for fd in list(tails):
        drain(fd)
    selector.close()
    if reaped is None:
        _, status, usage = os.wait4(proc.pid, 0)
    else:
        status, usage = reaped  # type: ignore[assignment]
    proc.returncode = status
    proc.stdout.close()
    proc.stderr.close()
    out, err = tails[out_fd], tails[err_fd]
    exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    sig = signal.Signals(os.WTERMSIG(status)).name if os.WIFSIGNALED(status) else None
    return Captured(
        exit_code=exit_code,
        signal=sig,
        timed_out=timed_out,
        wall_seconds=round(time.monotonic() - started, 3),
        peak_memory_bytes=usage.ru_maxrss * 1024 if usage.ru_maxrss else None,
        stdout=out.text(),
        stderr=err.text(),
        stdout_truncated=out.truncated,
        stderr_truncated=err.truncated,
    )


def set_rlimits(
    *, cpu_seconds: float, file_bytes: int, open_files: int, address_space: int | None
) -> None:
    """Per-process backstops; applied in the child before exec."""
    cpu = max(1, int(cpu_seconds))
    # Soft limit sends SIGXCPU, the hard limit one second later SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
    resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if address_space is not None:
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
