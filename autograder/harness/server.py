"""The call server: after the script has run, answer the grader's requests.

Two channels. The control channel (a SOCK_SEQPACKET socket, JSON datagrams)
belongs to the process that ran the script: for each probe the grader sends
it one end of a fresh socket pair (SCM_RIGHTS) and this process forks; the
child, which starts from the state the script left, serves that probe's
calls on the socket pair (`serve_session`), and dies with the probe. The
grader ends a session (`end`) when the probe is done or out of time, and
learns how its process ended.

Nothing here decides anything: it runs what is asked (call a contract
function, read a global or an attribute, build an allow-listed library
object) and sends back what came out, as data or as a handle.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import socket
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from autograder.harness import protocol as wire
from autograder.harness.autodiff import AutogradCalls

CONTROL_DATAGRAM = 65536
"""Largest control message; the hello is shrunk to fit (`fit_datagram`)."""

LIBRARY = frozenset(
    {
        "builtins.dict",
        "torch.optim.SGD",
        "torch.nn.Linear",
        "torch.nn.Sequential",
        "torch.nn.Tanh",
        "torch.nn.Softplus",
        "torch.nn.functional.mse_loss",
    }
)
"""What `{"lib": name}` may name: the library objects probes build inside."""

# Bound before any student code runs: a script that reassigns these only
# steers its own answers, but the server keeps working.
_fork, _waitpid, _kill, _exit = os.fork, os.waitpid, os.kill, os._exit


class MissingGlobal(Exception):
    """The script left no global of that name."""


def student_traceback(exc: BaseException, submission: str) -> str:
    """The exception line plus only the frames in the student's own file."""
    try:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == submission]
        name = Path(submission).name
        lines = [
            f"  {name}, line {f.lineno}, in {f.name}: {(f.line or '').strip()}" for f in frames
        ]
        head = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    except BaseException:
        return "an exception that could not be described"
    return "\n".join([head, *lines[-5:]])[: wire.MAX_MESSAGE]


def flush_streams() -> None:
    """Flush before fork or exit; the script may have replaced or closed the streams."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(BaseException):
            stream.flush()  # type: ignore[union-attr]


def fit_datagram(data: dict[str, Any]) -> bytes:
    """`data` as JSON within one datagram: long lists and texts are shortened until it fits,
    so a script's long exit message or thousands of globals cost detail, never the run."""
    raw = json.dumps(data, allow_nan=False).encode()
    while len(raw) > CONTROL_DATAGRAM:
        data = {key: _shrink(value) for key, value in data.items()}
        raw = json.dumps(data, allow_nan=False).encode()
    return raw


def _shrink(value: Any) -> Any:
    if isinstance(value, str):
        return value[: len(value) // 2]
    if isinstance(value, list):
        return [_shrink(item) for item in value[: max(1, len(value) // 2)]]
    if isinstance(value, dict):
        items = list(value.items())
        return {key: _shrink(item) for key, item in items[: max(1, len(items) // 2)]}
    return value


def send_datagram(sock: socket.socket, data: dict[str, Any], fds: list[int] | None = None) -> None:
    raw = fit_datagram(data)
    if fds:
        socket.send_fds(sock, [raw], fds)
    else:
        sock.send(raw)


class Session:
    """One probe's calls, in a forked child of the script's process.

    `passthrough`: exceptions that end the session instead of becoming the
    submission's answer (the test fake's simulated crash).
    """

    passthrough: tuple[type[BaseException], ...] = ()

    def __init__(
        self,
        namespace: dict[str, Any],
        submission: str,
        facts: Callable[[], dict[str, Any]] = dict,
    ) -> None:
        self.namespace = namespace
        self.submission = submission
        self.facts = facts
        self.handles: dict[int, Any] = {}
        self.autodiff = AutogradCalls()

    def store(self, value: Any) -> wire.HandleRef:
        ident = len(self.handles) + 1
        self.handles[ident] = value
        return wire.HandleRef(ident, wire.type_name(value))

    def resolve(self, ref: wire.Ref) -> Any:
        if ref.kind == "global":
            if ref.name not in self.namespace:
                raise MissingGlobal(ref.name)
            return self.namespace[ref.name]
        if ref.kind == "handle":
            if ref.id not in self.handles:
                raise wire.ProtocolError(f"no handle {ref.id}")
            return self.handles[ref.id]
        if ref.kind == "lib":
            if ref.name not in LIBRARY:
                raise wire.ProtocolError(f"{ref.name} is not a library object the server builds")
            module, _, attribute = ref.name.rpartition(".")
            return getattr(importlib.import_module(module), attribute)
        assert ref.of is not None
        return getattr(self.resolve(ref.of), ref.name)

    def _tensor(self, value: wire.TensorValue) -> Any:
        torch = sys.modules.get("torch")
        if torch is None:
            import torch  # the grader sent a tensor: the homework uses torch
        return wire._tensor_from(value, torch)

    def _handle(self, ref: wire.HandleRef) -> Any:
        if ref.id not in self.handles:
            raise wire.ProtocolError(f"no handle {ref.id}")
        return self.handles[ref.id]

    def reply(self, value: Any, want: str) -> wire.Frame:
        if want == wire.WANT_NONE:
            return wire.Frame({"status": wire.OK, "value": None})
        if want == wire.WANT_HANDLE:
            return self.handle_frame(value)
        # auto: data where it is data, a handle for each object inside it (a Net,
        # an optimizer); an array of objects or strings is refused, not hidden.
        try:
            return wire.encode_reply(value, self.handle_node)
        except wire.Unsupported as exc:
            return wire.Frame({"status": wire.REFUSED, "message": f"returned {exc}, not data"})
        except wire.TooLarge as exc:
            return wire.Frame(
                {"status": wire.REFUSED, "message": f"returned {exc}: more than the grader accepts"}
            )

    def handle_node(self, value: Any) -> dict[str, Any]:
        ref = self.store(value)
        return {"t": "handle", "id": ref.id, "type": ref.type_name}

    def handle_frame(self, value: Any) -> wire.Frame:
        return wire.Frame({"status": wire.OK, "value": self.handle_node(value)})

    def answer(self, frame: wire.Frame) -> wire.Frame:
        header = frame.header
        op = header.get("op")
        if op in ("counters", "close"):
            facts = {"autodiff": self.autodiff.count, **self.facts()}
            return wire.encode_reply(facts)
        ref = wire.Ref.from_json(header.get("ref"))
        want = header.get("want", wire.WANT_AUTO)
        try:
            target = self.resolve(ref)
            if op == "get":
                return self.reply(target, want)
            if op != "call":
                raise wire.ProtocolError(f"unknown request {str(op)[:20]!r}")
            decoder = wire.Decoder(
                header.get("buffers"), frame.payload, tensor=self._tensor, handle=self._handle
            )
            args = decoder.decode(header.get("args", {"t": "list", "items": []}))
            kwargs = decoder.decode(header.get("kwargs", {"t": "dict", "items": []}))
            if not isinstance(args, list | tuple) or not isinstance(kwargs, dict):
                raise wire.ProtocolError("malformed arguments")
            result = target(*args, **kwargs)
            return self.reply(result, want)
        except MissingGlobal:
            return wire.Frame({"status": wire.MISSING, "message": ref.name})
        except self.passthrough:
            raise
        except wire.ProtocolError as exc:
            return wire.Frame({"status": wire.REFUSED, "message": str(exc)[: wire.MAX_MESSAGE]})
        except BaseException as exc:  # the submission's code raised (or exited)
            return self.raised(exc)

    def raised(self, exc: BaseException) -> wire.Frame:
        return wire.Frame(
            {
                "status": wire.RAISED,
                "error": wire.type_name(exc),
                "message": student_traceback(exc, self.submission),
            }
        )

    def serve(self, sock: socket.socket) -> None:
        with self.autodiff:
            while True:
                try:
                    frame = wire.read_frame(sock)
                except (wire.ProtocolError, OSError):
                    return
                reply = self.answer(frame)
                flush_streams()
                try:
                    wire.send_frame(sock, reply)
                except (OSError, ValueError):
                    return
                if frame.header.get("op") == "close":
                    return


def serve_control(
    control: socket.socket,
    namespace: dict[str, Any],
    submission: str,
    prepare_session: Callable[[str], Callable[[], dict[str, Any]]],
) -> None:
    """The script's process: fork a session per request until the grader is done."""
    while True:
        try:
            raw, fds, _, _ = socket.recv_fds(control, CONTROL_DATAGRAM, 1)
        except OSError:
            return
        if not raw:
            return
        try:
            request = json.loads(raw)
        except ValueError:
            return
        op = request.get("op") if isinstance(request, dict) else None
        if op == "session" and fds:
            flush_streams()
            pid = _fork()
            if pid == 0:
                status = 0
                try:
                    control.close()
                    session_sock = socket.socket(fileno=fds[0])
                    facts = prepare_session(str(request.get("label", "")))
                    Session(namespace, submission, facts).serve(session_sock)
                except BaseException:
                    status = 70
                finally:
                    flush_streams()
                    _exit(status)
            for fd in fds:
                os.close(fd)
            send_datagram(control, {"op": "session", "pid": pid})
        elif op == "end" and isinstance(request.get("pid"), int):
            send_datagram(control, {"op": "end", **end_session(request["pid"])})
        else:
            for fd in fds:
                os.close(fd)
            return


def end_session(pid: int) -> dict[str, Any]:
    """Kill a session's process if it still runs; say how it ended."""
    try:
        done, status = _waitpid(pid, os.WNOHANG)
        if not done:
            with contextlib.suppress(ProcessLookupError):
                _kill(pid, signal.SIGKILL)
            done, status = _waitpid(pid, 0)
    except ChildProcessError:
        return {"status": "gone"}
    if os.WIFSIGNALED(status):
        return {"status": "crashed", "signal": signal.Signals(os.WTERMSIG(status)).name}
    return {"status": "exited", "code": os.WEXITSTATUS(status)}
