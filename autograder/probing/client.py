"""The trusted side's end of the protocol: sessions, calls and remote objects.

A `Connection` holds the control channel to the submission's process; each
probe opens a `SessionClient` (a fresh fork of the script's state) and ends
it, whatever happened. Time is ours: every call waits at most until the
session's deadline, and a session past it is ended by the submission's
process killing its fork.

`Remote` is what probes hold: a reference to something in the submission's
process (a global, an allow-listed library object, a stored handle, or an
attribute of any of these). Attribute access builds a longer reference
without a round trip; calling it, or `.get()`, asks the other side.
Everything that comes back is data (`protocol.TensorValue`, arrays, numbers)
or another `Remote`.
"""

from __future__ import annotations

import hashlib
import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from autograder.harness import protocol as wire

MAX_SESSION_BYTES = 256 * 2**20
MAX_RECORDED_CALLS = 1000
"""What one probe may receive in all before its session is ended."""


class ProbeFailure(Exception):
    """A probe cannot go on because of what the submission did or lacks.

    Its message is shown to the student as is: what is missing or wrong, and
    what to write.
    """


class StudentRaised(ProbeFailure):
    """The submission's code raised; the message is its exception and its lines."""

    def __init__(self, message: str, error: str) -> None:
        super().__init__(message)
        self.error = error


class SessionLost(BaseException):
    """The session cannot go on: out of time, its process ended, or it sent garbage.

    A BaseException, so that a probe's `except Exception` around a call of
    the student's code cannot swallow it.
    """

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(message or reason)
        self.reason = reason  # "timeout" | "crashed" | "malformed" | "closed"
        self.message = message


@dataclass
class SessionEnd:
    """How a session's process ended, as its parent saw it."""

    status: str
    signal: str | None = None
    code: int | None = None


class Connection:
    """The control channel: hello, then one session per probe."""

    def __init__(self, control: socket.socket) -> None:
        self.control = control
        self.broken = False

    def _receive(self, deadline: float) -> dict[str, Any]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        self.control.settimeout(remaining)
        try:
            raw = self.control.recv(65536)
        except TimeoutError:
            raise
        except OSError:
            raw = b""
        if not raw:
            self.broken = True
            raise wire.ChannelClosed("the submission's process ended")
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, dict):
            self.broken = True
            raise wire.ProtocolError("a control message that is not a JSON object")
        return data

    def hello(self, deadline: float) -> dict[str, Any]:
        """The script's outcome; raises TimeoutError or ChannelClosed."""
        data = self._receive(deadline)
        if data.get("op") != "hello":
            self.broken = True
            raise wire.ProtocolError("no hello from the harness")
        return data

    def open_session(self, label: str, deadline: float) -> SessionClient:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            request = json.dumps({"op": "session", "label": label}).encode()
            socket.send_fds(self.control, [request], [theirs.fileno()])
        except OSError:
            ours.close()
            self.broken = True
            raise wire.ChannelClosed("the submission's process ended") from None
        finally:
            theirs.close()
        try:
            reply = self._receive(deadline)
        except (TimeoutError, wire.ProtocolError):
            ours.close()
            self.broken = True
            raise
        pid = reply.get("pid")
        if reply.get("op") != "session" or not isinstance(pid, int) or isinstance(pid, bool):
            ours.close()
            self.broken = True
            raise wire.ProtocolError("a malformed session reply")
        return SessionClient(ours, pid, deadline)

    def end_session(self, session: SessionClient, wait_seconds: float = 5.0) -> SessionEnd:
        """Close the session and learn how its process ended (killing it if needed)."""
        session.sock.close()
        if self.broken:
            return SessionEnd("gone")
        try:
            self.control.send(json.dumps({"op": "end", "pid": session.pid}).encode())
            reply = self._receive(time.monotonic() + wait_seconds)
        except (OSError, TimeoutError, wire.ProtocolError):
            self.broken = True
            return SessionEnd("gone")
        signal_name = reply.get("signal")
        code = reply.get("code")
        return SessionEnd(
            status=wire.clean_text(str(reply.get("status", "gone"))[:20]),
            signal=wire.clean_text(signal_name[:20]) if isinstance(signal_name, str) else None,
            code=code if isinstance(code, int) and not isinstance(code, bool) else None,
        )


@dataclass
class SessionClient:
    """One probe's conversation with one fork of the submission's process."""

    sock: socket.socket
    pid: int
    deadline: float
    received: int = 0
    lost: SessionLost | None = field(default=None)
    calls: list[dict[str, Any]] = field(default_factory=list)
    """Each contract call's arguments, as digests: `validate` asks which vary."""

    def record(self, function: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if len(self.calls) < MAX_RECORDED_CALLS:
            self.calls.append(
                {
                    "function": function,
                    "args": [fingerprint(a) for a in args],
                    "kwargs": {k: fingerprint(v) for k, v in kwargs.items()},
                }
            )

    def request(self, header: dict[str, Any], payload: bytes = b"") -> wire.Frame:
        if self.lost is not None:
            raise self.lost
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise self._lose("timeout")
        try:
            self.sock.settimeout(remaining)
            wire.send_frame(self.sock, wire.Frame(header, payload))
            frame = wire.read_frame(self.sock)
        except TimeoutError:
            raise self._lose("timeout") from None
        except wire.ChannelClosed:
            raise self._lose("crashed") from None
        except wire.ProtocolError as exc:
            raise self._lose("malformed", f"it sent {exc}") from None
        except OSError:
            raise self._lose("crashed") from None
        self.received += len(frame.payload) + 64
        if self.received > MAX_SESSION_BYTES:
            raise self._lose("malformed", "it sent more than 256 MiB of data in all")
        return frame

    def _lose(self, reason: str, message: str = "") -> SessionLost:
        self.lost = SessionLost(reason, message)
        return self.lost

    def value(self, frame: wire.Frame) -> Any:
        """The reply's value, decoded under the caps; a refusal or raise as a failure."""
        header = frame.header
        status = header.get("status")
        if status == wire.OK:
            try:
                return wire.decode(
                    frame,
                    handle=lambda ref: Remote(self, wire.Ref("handle", id=ref.id), ref.type_name),
                )
            except wire.ProtocolError as exc:
                raise self._lose("malformed", f"it sent {exc}") from None
        message = wire.text_field(header, "message")
        if status == wire.RAISED:
            raise StudentRaised(
                message or "raised an exception", wire.text_field(header, "error", 200)
            )
        if status == wire.MISSING:
            raise LookupError(message)
        if status == wire.REFUSED:
            raise ProbeFailure(
                f"the submission {message}" if message.startswith("returned") else message
            )
        raise self._lose("malformed", "it sent a reply of unknown status")

    def counters(self) -> dict[str, Any]:
        facts = self.value(self.request({"op": "counters"}))
        return facts if isinstance(facts, dict) else {}

    def close(self) -> dict[str, Any]:
        """Ask the fork for its facts (forbidden imports, autodiff passes) and end it."""
        if self.lost is not None:
            return {}
        try:
            facts = self.value(self.request({"op": "close"}))
        except (SessionLost, ProbeFailure, LookupError):
            return {}
        return facts if isinstance(facts, dict) else {}


def fingerprint(value: Any) -> str | None:
    """A digest of an argument that is data; None for an object passed by handle,
    whose identity, not value, is what a probe chose."""
    try:
        frame = wire.encode(value)
    except (wire.Unsupported, wire.TooLarge, ValueError, TypeError):
        return None
    digest = hashlib.sha256(json.dumps(frame.header, sort_keys=True).encode())
    digest.update(frame.payload)
    return digest.hexdigest()[:16]


def _encode_arguments(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[dict[str, Any], bytes]:
    encoder = wire.Encoder(handle=_remote_as_node)
    header = {"args": encoder.encode(list(args)), "kwargs": encoder.encode(dict(kwargs))}
    header["buffers"] = encoder.specs
    return header, encoder.payload()


def _remote_as_node(value: Any) -> Any:
    """A Remote argument goes back as its handle (stored first if it is a reference)."""
    if isinstance(value, Remote):
        return {"t": "handle", "id": value.stored()._ref.id}
    raise wire.Unsupported(f"a value of type {wire.type_name(value)}")


class Remote:
    """Something in the submission's process, seen from the trusted side."""

    __slots__ = ("_ref", "_session", "_type")

    def __init__(self, session: SessionClient, ref: wire.Ref, type_name: str = "object") -> None:
        self._session = session
        self._ref = ref
        self._type = type_name

    @property
    def type_name(self) -> str:
        """The type of a stored object, as its process named it (for messages only)."""
        return self._type

    def __getattr__(self, name: str) -> Remote:
        if name.startswith("__"):
            raise AttributeError(name)
        return Remote(self._session, wire.Ref("attr", name, of=self._ref))

    def _call(self, want: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if self._ref.kind == "global":
            self._session.record(self._ref.name, args, kwargs)
        header, payload = _encode_arguments(args, kwargs)
        header.update({"op": "call", "ref": self._ref.to_json(), "want": want})
        return self._session.value(self._session.request(header, payload))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call it; data comes back as data, anything else as a Remote."""
        return self._call(wire.WANT_AUTO, args, kwargs)

    def handle(self, *args: Any, **kwargs: Any) -> Remote:
        """Call it and keep the result inside (a graph, a generator), as a Remote."""
        result = self._call(wire.WANT_HANDLE, args, kwargs)
        assert isinstance(result, Remote)
        return result

    def run(self, *args: Any, **kwargs: Any) -> None:
        """Call it for its effect; whatever it returns stays inside."""
        self._call(wire.WANT_NONE, args, kwargs)

    def get(self) -> Any:
        """Its value as data, or a Remote when it is not data."""
        header = {"op": "get", "ref": self._ref.to_json(), "want": wire.WANT_AUTO}
        return self._session.value(self._session.request(header))

    def stored(self) -> Remote:
        """The same object as a stored handle (so it can be passed as an argument)."""
        if self._ref.kind == "handle":
            return self
        header = {"op": "get", "ref": self._ref.to_json(), "want": wire.WANT_HANDLE}
        result = self._session.value(self._session.request(header))
        assert isinstance(result, Remote)
        return result

    def __repr__(self) -> str:
        return f"<remote {self._type}>"
