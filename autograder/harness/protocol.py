"""The one protocol between the grader and the submission's process.

Both ends import this module: the harness inside the sandbox (standard
library and NumPy only; torch is used when the submission's process has
loaded it) and the trusted side. A message is a frame:

    u32 header length | u64 payload length | header (UTF-8 JSON) | payload

The header is a JSON object; arrays travel in the payload as raw bytes,
described in the header by dtype and shape. Values are data only: None,
bool, int, float, str, list, tuple, dict with string keys, numeric arrays,
tensors with their autograd facts (dtype, requires_grad, is_leaf, grad), and
opaque handles to objects that stay in the submission's process. Nothing is
ever pickled, imported or evaluated.

`read_frame` checks both lengths against the caps before it allocates,
and `Decoder` checks every dtype, shape, count, depth and string before it
builds anything, so whatever the other end sends costs at most the caps.
"""

from __future__ import annotations

import json
import math
import socket
import struct
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_HEADER_BYTES = 8 * 2**20
MAX_PAYLOAD_BYTES = 64 * 2**20
MAX_ELEMENTS = 4_000_000
"""Array elements in one message, counting every reference to a buffer."""
MAX_ITEMS = 100_000
"""Items in one list, tuple or dict."""
MAX_TOTAL_ITEMS = 1_000_000
"""Nodes in one decoded value, all containers together."""
MAX_DEPTH = 12
MAX_STRING = 10_000
MAX_MESSAGE = 4_000
"""Characters of a message (an exception, a refusal) a reply carries."""
MAX_INT = 2**63

NUMERIC_KINDS = "biufc"
_HEAD = struct.Struct("<IQ")

# Call results: what the caller wants back (auto: data, with a handle for each
# object inside it; handle: the result stays inside; none: only its effect).
WANT_HANDLE, WANT_AUTO, WANT_NONE = "handle", "auto", "none"

# Reply statuses.
OK = "ok"
RAISED = "raised"  # the submission's code raised
MISSING = "missing"  # no such global
REFUSED = "refused"  # a value that cannot cross, or a request the server will not serve


class ProtocolError(Exception):
    """The other end sent something this protocol never produces, or too much of it."""


class ChannelClosed(ProtocolError):
    """The other end closed the connection (or its process ended)."""


class Unsupported(Exception):
    """A value that is not data (an object, a generator): crosses as a handle, if at all."""


class TooLarge(Exception):
    """A value larger than the caps: never crosses."""


@dataclass(frozen=True)
class TensorValue:
    """A torch tensor that crossed the boundary: its data and its autograd facts."""

    array: np.ndarray
    dtype: str
    requires_grad: bool = False
    is_leaf: bool = True
    grad: np.ndarray | None = None


@dataclass(frozen=True)
class HandleRef:
    """An object that stays in the submission's process, named by its id there."""

    id: int
    type_name: str = "object"


@dataclass
class Frame:
    header: dict[str, Any]
    payload: bytes = b""


# ---------------------------------------------------------------- framing


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(min(size - len(chunks), 1 << 20))
        if not chunk:
            raise ChannelClosed("the connection closed")
        chunks += chunk
    return bytes(chunks)


def send_frame(sock: socket.socket, frame: Frame) -> None:
    header = json.dumps(frame.header, allow_nan=False, separators=(",", ":")).encode()
    sock.sendall(_HEAD.pack(len(header), len(frame.payload)) + header + frame.payload)


def read_frame(sock: socket.socket) -> Frame:
    """One frame, refused before allocation when either part is over its cap."""
    header_size, payload_size = _HEAD.unpack(_recv_exactly(sock, _HEAD.size))
    if header_size > MAX_HEADER_BYTES:
        raise ProtocolError(f"a message header of {header_size:,} bytes (cap {MAX_HEADER_BYTES:,})")
    if payload_size > MAX_PAYLOAD_BYTES:
        raise ProtocolError(
            f"{payload_size / 2**20:.0f} MiB of array data in one message (cap 64 MiB)"
        )
    raw = _recv_exactly(sock, header_size)
    payload = _recv_exactly(sock, payload_size) if payload_size else b""
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ProtocolError("a message header that is not JSON") from None
    if not isinstance(header, dict):
        raise ProtocolError("a message header that is not an object")
    return Frame(header, payload)


# ---------------------------------------------------------------- encoding


def _type_name(value: Any) -> str:
    cls = type(value)
    module = cls.__module__
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"


def type_name(value: Any) -> str:
    return _type_name(value)[:200]


def _special_float(value: float) -> Any:
    return value if math.isfinite(value) else {"t": "float", "v": repr(value)}


class Encoder:
    """Values to a JSON-able tree plus buffers; `handle` stores what is not data.

    Without `handle`, anything that is not data raises Unsupported.
    """

    def __init__(self, handle: Any = None) -> None:
        self.buffers: list[bytes] = []
        self.specs: list[list[Any]] = []
        self.elements = 0
        self.items = 0
        self.handle = handle

    def payload(self) -> bytes:
        return b"".join(self.buffers)

    def _buffer(self, array: np.ndarray) -> int:
        if array.dtype.hasobject or array.dtype.kind not in NUMERIC_KINDS:
            raise Unsupported(f"an array of dtype {array.dtype} (only numeric arrays cross)")
        self.elements += int(array.size)
        if self.elements > MAX_ELEMENTS:
            raise TooLarge(f"arrays of more than {MAX_ELEMENTS:,} elements")
        contiguous = np.ascontiguousarray(array)
        little = contiguous.astype(contiguous.dtype.newbyteorder("<"), copy=False)
        data = little.tobytes()
        if sum(map(len, self.buffers)) + len(data) > MAX_PAYLOAD_BYTES:
            raise TooLarge("more than 64 MiB of array data")
        self.buffers.append(data)
        self.specs.append([little.dtype.str, [int(d) for d in little.shape]])
        return len(self.specs) - 1

    def _tensor(self, value: Any) -> dict[str, Any]:
        plain = value.detach().cpu()
        if str(plain.dtype) == "torch.bfloat16":
            plain = plain.float()
        grad = value.grad if value.is_leaf else None
        return {
            "t": "tensor",
            "b": self._buffer(np.asarray(plain.resolve_conj().resolve_neg().numpy())),
            "dtype": str(value.dtype),
            "requires_grad": bool(value.requires_grad),
            "is_leaf": bool(value.is_leaf),
            "grad": None if grad is None else self._tensor(grad)["b"],
        }

    def encode(self, value: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise TooLarge("a value nested too deeply")
        self.items += 1
        if self.items > MAX_TOTAL_ITEMS:
            raise TooLarge(f"more than {MAX_TOTAL_ITEMS:,} items in all")
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str):
            return value[:MAX_STRING]
        if isinstance(value, int):
            if abs(value) >= MAX_INT:
                raise TooLarge("an integer beyond 64 bits")
            return int(value)
        if isinstance(value, float):
            return _special_float(float(value))
        if isinstance(value, HandleRef):
            return {"t": "handle", "id": value.id}
        if isinstance(value, TensorValue):
            return {
                "t": "tensor",
                "b": self._buffer(value.array),
                "dtype": value.dtype,
                "requires_grad": value.requires_grad,
                "is_leaf": value.is_leaf,
                "grad": None if value.grad is None else self._buffer(value.grad),
            }
        if isinstance(value, np.generic) and value.dtype.kind in NUMERIC_KINDS:
            return self.encode(value.item(), depth + 1)
        if isinstance(value, np.ndarray):
            return {"t": "array", "b": self._buffer(value)}
        torch = sys.modules.get("torch")
        if torch is not None and isinstance(value, torch.Tensor):
            return self._tensor(value)
        if isinstance(value, list | tuple):
            if len(value) > MAX_ITEMS:
                raise TooLarge(f"a {type(value).__name__} of {len(value):,} items")
            kind = "tuple" if isinstance(value, tuple) else "list"
            return {"t": kind, "items": [self.encode(item, depth + 1) for item in value]}
        if isinstance(value, dict):
            if len(value) > MAX_ITEMS:
                raise TooLarge(f"a dict of {len(value):,} items")
            if not all(isinstance(key, str) for key in value):
                raise Unsupported("a dict whose keys are not all strings")
            return {
                "t": "dict",
                "items": [
                    [key[:MAX_STRING], self.encode(item, depth + 1)] for key, item in value.items()
                ],
            }
        if self.handle is not None:
            return self.handle(value)
        raise Unsupported(f"a value of type {_type_name(value)}")


def _tensor_from(value: TensorValue, torch: Any) -> Any:
    dtype = getattr(torch, value.dtype.removeprefix("torch."), None)
    tensor = torch.from_numpy(np.array(value.array))
    if isinstance(dtype, torch.dtype):
        tensor = tensor.to(dtype)
    if value.requires_grad and (tensor.is_floating_point() or tensor.is_complex()):
        tensor.requires_grad_(True)
    return tensor


def encode(value: Any, handle: Any = None) -> Frame:
    """A whole value as a frame body: {"value": tree} plus its buffers."""
    encoder = Encoder(handle)
    tree = encoder.encode(value)
    return Frame({"value": tree, "buffers": encoder.specs}, encoder.payload())


def encode_reply(value: Any, handle: Any = None) -> Frame:
    frame = encode(value, handle)
    frame.header["status"] = OK
    return frame


# ---------------------------------------------------------------- decoding

_DTYPES = {
    np.dtype(name).newbyteorder("<").str
    for name in (
        "bool",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "float16",
        "float32",
        "float64",
        "complex64",
        "complex128",
    )
}


class Decoder:
    """Rebuilds values from a header tree and its payload, validating everything first.

    `tensor` turns a TensorValue into what this end uses (the harness: a torch
    tensor); `handle` turns a HandleRef into its object (the harness) or
    leaves it a reference (the trusted side).
    """

    def __init__(
        self,
        specs: Any,
        payload: bytes,
        *,
        tensor: Any = None,
        handle: Any = None,
    ) -> None:
        self.arrays = self._arrays(specs, payload)
        self.elements = 0
        self.items = 0
        self.tensor = tensor
        self.handle = handle

    @staticmethod
    def _arrays(specs: Any, payload: bytes) -> list[np.ndarray]:
        if specs is None:
            specs = []
        if not isinstance(specs, list) or len(specs) > MAX_ITEMS:
            raise ProtocolError("a malformed buffer table")
        arrays, offset, elements = [], 0, 0
        for spec in specs:
            if not (isinstance(spec, list) and len(spec) == 2 and isinstance(spec[1], list)):
                raise ProtocolError("a malformed buffer description")
            dtype_text, shape = spec
            if dtype_text not in _DTYPES:
                raise ProtocolError(f"an array of dtype {str(dtype_text)[:20]!r} (numeric only)")
            if len(shape) > 32 or not all(
                isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= MAX_ELEMENTS
                for d in shape
            ):
                raise ProtocolError("an array with a malformed shape")
            count = math.prod(shape)
            elements += count
            if elements > MAX_ELEMENTS:
                raise ProtocolError(f"arrays of more than {MAX_ELEMENTS:,} elements")
            dtype = np.dtype(dtype_text)
            size = count * dtype.itemsize
            if offset + size > len(payload):
                raise ProtocolError("array data shorter than its description")
            array = np.frombuffer(payload, dtype=dtype, count=count, offset=offset)
            arrays.append(array.reshape(shape).astype(dtype.newbyteorder("="), copy=True))
            offset += size
        if offset != len(payload):
            raise ProtocolError("array data longer than its description")
        return arrays

    def _array(self, index: Any) -> np.ndarray:
        if (
            not isinstance(index, int)
            or isinstance(index, bool)
            or not 0 <= index < len(self.arrays)
        ):
            raise ProtocolError("a reference to a missing array")
        array = self.arrays[index]
        self.elements += array.size
        if self.elements > MAX_ELEMENTS:
            raise ProtocolError(f"arrays of more than {MAX_ELEMENTS:,} elements in all")
        return array

    def decode(self, node: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise ProtocolError("values nested too deeply")
        self.items += 1
        if self.items > MAX_TOTAL_ITEMS:
            raise ProtocolError(f"more than {MAX_TOTAL_ITEMS:,} items in all")
        if node is None or isinstance(node, bool | float):
            return node
        if isinstance(node, int):
            if abs(node) >= MAX_INT:
                raise ProtocolError("an integer beyond 64 bits")
            return node
        if isinstance(node, str):
            return clean_text(node[:MAX_STRING])
        if not isinstance(node, dict):
            raise ProtocolError(f"an unexpected JSON value of type {type(node).__name__}")
        kind = node.get("t")
        if kind == "float":
            text = node.get("v")
            if text not in ("nan", "inf", "-inf"):
                raise ProtocolError("a malformed special float")
            return float(text)
        if kind == "array":
            return self._array(node.get("b"))
        if kind == "tensor":
            grad = node.get("grad")
            value = TensorValue(
                array=self._array(node.get("b")),
                dtype=clean_text(str(node.get("dtype", "unknown"))[:40]),
                requires_grad=node.get("requires_grad") is True,
                is_leaf=node.get("is_leaf") is not False,
                grad=None if grad is None else self._array(grad),
            )
            return value if self.tensor is None else self.tensor(value)
        if kind == "handle":
            ident = node.get("id")
            if not isinstance(ident, int) or isinstance(ident, bool):
                raise ProtocolError("a malformed handle")
            ref = HandleRef(ident, clean_text(str(node.get("type", "object"))[:200]))
            return ref if self.handle is None else self.handle(ref)
        items = node.get("items")
        if kind in ("list", "tuple") and isinstance(items, list):
            if len(items) > MAX_ITEMS:
                raise ProtocolError(f"a list of {len(items):,} items")
            decoded = [self.decode(item, depth + 1) for item in items]
            return tuple(decoded) if kind == "tuple" else decoded
        if kind == "dict" and isinstance(items, list):
            if len(items) > MAX_ITEMS:
                raise ProtocolError(f"a dict of {len(items):,} items")
            result = {}
            for pair in items:
                if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                    raise ProtocolError("a malformed dict entry")
                result[clean_text(pair[0][:MAX_STRING])] = self.decode(pair[1], depth + 1)
            return result
        raise ProtocolError(f"an unknown value type {str(kind)[:20]!r}")


def decode(frame: Frame, key: str = "value", **kwargs: Any) -> Any:
    return Decoder(frame.header.get("buffers"), frame.payload, **kwargs).decode(
        frame.header.get(key)
    )


def clean_text(value: str) -> str:
    """Text as UTF-8 can carry it: lone surrogates become "?"."""
    return value.encode("utf-8", "replace").decode("utf-8")


def text_field(header: dict[str, Any], key: str, cap: int = MAX_MESSAGE) -> str:
    value = header.get(key)
    return clean_text(value[:cap]) if isinstance(value, str) else ""


# ---------------------------------------------------------------- messages


@dataclass
class Ref:
    """What a request acts on: a global, a library callable, a stored handle, or an
    attribute of any of these (`{"attr": name, "of": ref}`)."""

    kind: str  # "global" | "lib" | "handle" | "attr"
    name: str = ""
    id: int = 0
    of: Ref | None = None

    def to_json(self) -> dict[str, Any]:
        if self.kind == "attr":
            assert self.of is not None
            return {"attr": self.name, "of": self.of.to_json()}
        if self.kind == "handle":
            return {"handle": self.id}
        return {self.kind: self.name}

    @classmethod
    def from_json(cls, data: Any, depth: int = 0) -> Ref:
        if not isinstance(data, dict) or depth > 64:
            raise ProtocolError("a malformed reference")
        if "attr" in data and isinstance(data["attr"], str):
            return cls("attr", data["attr"][:200], of=cls.from_json(data.get("of"), depth + 1))
        if isinstance(data.get("handle"), int):
            return cls("handle", id=data["handle"])
        for kind in ("global", "lib"):
            if isinstance(data.get(kind), str):
                return cls(kind, data[kind][:200])
        raise ProtocolError("a malformed reference")
