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
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


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


class _Watcher:
    """Reads the process's output as it arrives and ends it on time, in a thread,
    while the grader talks to it (`run_capped(during=...)`)."""

    def __init__(
        self,
        proc: subprocess.Popen[bytes],
        deadline: float,
        log_bytes: int,
        watch: Callable[[], bool] | None,
    ) -> None:
        assert proc.stdout is not None and proc.stderr is not None
        self.proc = proc
        self.deadline = deadline
        self.watch = watch
        self.out_fd, self.err_fd = proc.stdout.fileno(), proc.stderr.fileno()
        self.tails = {self.out_fd: _Tail(log_bytes), self.err_fd: _Tail(log_bytes)}
        self.selector = selectors.DefaultSelector()
        for fd in (self.out_fd, self.err_fd):
            os.set_blocking(fd, False)
            self.selector.register(fd, selectors.EVENT_READ)
        self.timed_out = False
        self.stop_at: float | None = None
        self.reaped: tuple[int, Any] | None = None
        self.failure: BaseException | None = None

    def drain(self, fd: int) -> bool:
        """Read what is there, a bounded amount; False once the stream is closed.

        Bounded so that a flood of output cannot keep us from the deadline.
        """
        for _ in range(64):
            try:
                chunk = os.read(fd, 1 << 16)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if not chunk:
                return False
            self.tails[fd].add(chunk)
        return True

    def loop(self) -> None:
        """Until the main process ends, or the deadline, or `watch` says stop.

        The main process ending ends the run, even if something it started
        still holds the pipes open (a daemon must not stretch the run).
        """
        try:
            while self.reaped is None:
                now = time.monotonic()
                if now >= self.deadline:
                    self.timed_out = True
                    break
                if self.stop_at is not None and now >= self.stop_at:
                    break
                for key, _ in self.selector.select(timeout=min(self.deadline - now, 0.05)):
                    if not self.drain(key.fd):
                        self.selector.unregister(key.fd)
                pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
                if pid:
                    self.reaped = (status, usage)
                elif self.watch is not None and self.watch():
                    break
        except BaseException as exc:  # never leave the process running
            self.failure = exc
        finally:
            _kill_group(self.proc.pid)

    def finish(self) -> Captured:
        for fd in list(self.tails):
            self.drain(fd)
        self.selector.close()
        if self.reaped is None:
            _, status, usage = os.wait4(self.proc.pid, 0)
        else:
            status, usage = self.reaped
        self.proc.returncode = status
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.proc.stdout.close()
        self.proc.stderr.close()
        out, err = self.tails[self.out_fd], self.tails[self.err_fd]
        exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
        sig = signal.Signals(os.WTERMSIG(status)).name if os.WIFSIGNALED(status) else None
        return Captured(
            exit_code=exit_code,
            signal=sig,
            timed_out=self.timed_out,
            wall_seconds=0.0,
            peak_memory_bytes=usage.ru_maxrss * 1024 if usage.ru_maxrss else None,
            stdout=out.text(),
            stderr=err.text(),
            stdout_truncated=out.truncated,
            stderr_truncated=err.truncated,
        )


def run_capped(
    argv: Sequence[str],
    *,
    env: dict[str, str],
    cwd: str | None,
    wall_seconds: float,
    log_bytes: int,
    preexec: Callable[[], None] | None = None,
    pass_fds: Sequence[int] = (),
    handoff: Sequence[int] = (),
    watch: Callable[[], bool] | None = None,
    during: Callable[[], None] | None = None,
    exit_grace: float = 5.0,
) -> Captured:
    """Run `argv` in a new session; on time-out kill its whole process group.

    `during`, when given, runs in this thread while the process runs (the
    grader talking to the harness); when it returns, the process has
    `exit_grace` seconds to end before it is killed. `handoff`: file
    descriptors given to the child, closed here once it started. `watch`,
    polled every few tens of milliseconds, ends the run early when it returns
    True (a backend's total-CPU budget); it records its own reason.
    """
    started = time.monotonic()
    try:
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
    finally:
        for fd in handoff:
            with contextlib.suppress(OSError):
                os.close(fd)
    watcher = _Watcher(proc, started + wall_seconds, log_bytes, watch)
    thread = threading.Thread(target=watcher.loop, name="autograde-watch", daemon=True)
    thread.start()
    try:
        if during is not None:
            during()
            watcher.stop_at = time.monotonic() + exit_grace
        thread.join()
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM): the run dies with us, never left behind.
        watcher.stop_at = 0.0
        _kill_group(proc.pid)
        thread.join()
        with contextlib.suppress(ChildProcessError, OSError):
            watcher.finish()
        raise
    if watcher.failure is not None:
        raise watcher.failure
    captured = watcher.finish()
    captured.wall_seconds = round(time.monotonic() - started, 3)
    return captured


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
