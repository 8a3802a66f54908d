"""A fake backend for tests: the real protocol, served in threads from a dict.

`FakeSandbox(namespace)` plays a submission whose script left `namespace`
behind: the grader's driver talks to it over the same sockets and messages
as to a real harness, so time-outs, crashes, missing functions, malformed
answers and budget messages are tested in milliseconds, without a
subprocess. A handler that sleeps is a hang (the grader ends its session and
the thread is abandoned); a handler that raises `Crash` is a process killed
by a signal.
"""

from __future__ import annotations

import ctypes
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from autograder.harness.server import CONTROL_DATAGRAM, Session, fit_datagram
from autograder.sandbox.base import Driver, Sandbox, SandboxJob, SandboxResult, control_pair


class Crash(BaseException):
    """Raised by a handler: its session's process dies of `signal`."""

    def __init__(self, signal: str = "SIGSEGV") -> None:
        super().__init__(signal)
        self.signal = signal


class _NoCount:
    """The test process's torch is not the submission's: nothing is patched or counted."""

    count = 0

    def __enter__(self) -> _NoCount:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class _Killed(BaseException):
    """What SIGKILL is to a real fork: raised into an abandoned session's thread."""


class _FakeSession(Session):
    passthrough = (Crash, _Killed)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.autodiff = _NoCount()  # type: ignore[assignment]


@dataclass
class _Fork:
    sock: socket.socket
    thread: threading.Thread | None = None
    ended: dict[str, Any] = field(default_factory=dict)


def _kill(fork: _Fork) -> None:
    """Raise _Killed in the fork's thread at its next bytecode: an abandoned hang stops
    computing instead of running on beside later work (as SIGKILL would end it)."""
    thread = fork.thread
    if thread is not None and thread.is_alive() and thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread.ident), ctypes.py_object(_Killed)
        )


@dataclass
class FakeSandbox(Sandbox):
    """Serves `namespace` as the script's globals; `script` is its hello's outcome."""

    namespace: dict[str, Any]
    script: dict[str, Any] = field(default_factory=lambda: {"status": "completed"})
    hello_after: float = 0.0
    """Seconds before the hello: a script that runs this long."""
    facts: Callable[[], dict[str, Any]] = dict
    """What each session reports when closed (forbidden imports)."""

    name: ClassVar[str] = "fake"
    isolated: ClassVar[bool] = True

    def run(self, job: SandboxJob, driver: Driver) -> SandboxResult:
        ours, theirs = control_pair()
        server = threading.Thread(target=self._serve, args=(theirs,), daemon=True)
        started = time.monotonic()
        server.start()
        try:
            driver(ours)
        finally:
            ours.close()
        server.join(timeout=1.0)
        return SandboxResult(
            backend=self.name,
            isolated=True,
            exit_code=0,
            signal=None,
            timed_out=False,
            wall_seconds=round(time.monotonic() - started, 3),
            peak_memory_bytes=None,
            stdout="",
            stderr="",
            stdout_truncated=False,
            stderr_truncated=False,
        )

    def _globals(self) -> dict[str, str]:
        return {
            name: "function" if callable(value) else type(value).__name__
            for name, value in self.namespace.items()
        }

    def _serve(self, control: socket.socket) -> None:
        forks: dict[int, _Fork] = {}
        try:
            time.sleep(self.hello_after)
            hello = {"op": "hello", "script": self.script, "globals": self._globals()}
            control.send(fit_datagram(hello))
            while True:
                raw, fds, _, _ = socket.recv_fds(control, CONTROL_DATAGRAM, 1)
                if not raw:
                    return
                request = json.loads(raw)
                if request.get("op") == "session" and fds:
                    pid = len(forks) + 1000
                    fork = _Fork(socket.socket(fileno=fds[0]))
                    fork.thread = threading.Thread(target=self._session, args=(fork,), daemon=True)
                    forks[pid] = fork
                    fork.thread.start()
                    control.send(json.dumps({"op": "session", "pid": pid}).encode())
                elif request.get("op") == "end":
                    control.send(
                        json.dumps({"op": "end", **self._end(forks[request["pid"]])}).encode()
                    )
                else:
                    return
        except OSError:
            return
        finally:
            control.close()
            for fork in forks.values():  # the run is over: nothing of it keeps running
                _kill(fork)

    def _session(self, fork: _Fork) -> None:
        try:
            _FakeSession(self.namespace, "<fake>", self.facts).serve(fork.sock)
            fork.ended = {"status": "exited", "code": 0}
        except Crash as crash:
            fork.ended = {"status": "crashed", "signal": crash.signal}
        except _Killed:
            fork.ended = {"status": "crashed", "signal": "SIGKILL"}
        finally:
            fork.sock.close()

    @staticmethod
    def _end(fork: _Fork) -> dict[str, Any]:
        assert fork.thread is not None
        fork.thread.join(timeout=0.05)
        if fork.thread.is_alive():  # a hang: the real harness kills it
            _kill(fork)
            fork.sock.close()
            return {"status": "crashed", "signal": "SIGKILL"}
        return fork.ended or {"status": "exited", "code": 0}
