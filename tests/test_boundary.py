"""What crosses the sandbox boundary: encoded as data, decoded without trust.

The protocol (`autograder.harness.protocol`) is shared by both ends; these
tests feed the trusted side's decoder what a hostile process could send over
its socket, and check that every value is refused by its type or its size
before anything is allocated.
"""

from __future__ import annotations

import json
import socket
import struct
import threading

import numpy as np
import pytest
import torch

from autograder.harness import protocol as wire
from autograder.harness.guard import ImportGuard
from autograder.harness.protocol import TensorValue
from autograder.notebook import neutralise


def roundtrip(value: object) -> object:
    """`value` sent over a real socket pair and decoded as the trusted side does."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        wire.send_frame(theirs, wire.encode(value))
        return wire.decode(wire.read_frame(ours))


def raw_frame(header: object, payload: bytes = b"") -> object:
    """Decode bytes a hostile process wrote by hand."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        raw = json.dumps(header).encode()
        theirs.sendall(struct.pack("<IQ", len(raw), len(payload)) + raw + payload)
        return wire.decode(wire.read_frame(ours))


def test_values_roundtrip_as_data():
    w = torch.ones(2, 3, requires_grad=True)
    (w * 2).sum().backward()
    values = roundtrip(
        {
            "n": 3,
            "x": 1.5,
            "inf": float("inf"),
            "flag": True,
            "none": None,
            "arr": np.arange(4.0),
            "pair": (1, [2.0, np.float32(3.0)]),
            "w": w,
            "nested": {"a": torch.zeros(2)},
            "big_endian": np.arange(3, dtype=">i4"),
        }
    )
    assert isinstance(values, dict)
    assert values["n"] == 3 and values["x"] == 1.5 and values["inf"] == float("inf")
    assert values["flag"] is True and values["none"] is None
    assert values["pair"] == (1, [2.0, 3.0])
    np.testing.assert_array_equal(values["arr"], np.arange(4.0))
    np.testing.assert_array_equal(values["big_endian"], [0, 1, 2])
    tensor = values["w"]
    assert isinstance(tensor, TensorValue)
    assert tensor.requires_grad and tensor.is_leaf and tensor.dtype == "torch.float32"
    np.testing.assert_array_equal(tensor.grad, np.full((2, 3), 2.0))
    assert values["nested"]["a"].requires_grad is False


def test_objects_are_refused_by_type():
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    with pytest.raises(wire.Unsupported, match=r"a value of type .*Evil"):
        wire.encode({"x": Evil()})
    with pytest.raises(wire.Unsupported, match="dtype object"):
        wire.encode({"x": np.array([Evil()], dtype=object)})
    with pytest.raises(wire.Unsupported, match="dtype <U"):
        wire.encode({"x": np.array(["a", "b"])})
    with pytest.raises(wire.Unsupported, match="keys are not all strings"):
        wire.encode({1: 2})


def test_size_caps_hold_on_the_sending_side():
    with pytest.raises(wire.TooLarge, match="list of 2,000,000 items"):
        wire.encode([0] * 2_000_000)
    with pytest.raises(wire.TooLarge, match="nested too deeply"):
        nested: list = []
        for _ in range(50):
            nested = [nested]
        wire.encode(nested)
    with pytest.raises(wire.TooLarge, match="beyond 64 bits"):
        wire.encode(10**400)


@pytest.mark.parametrize(
    ("header", "payload", "message"),
    [
        ({"value": {"t": "array", "b": 9}, "buffers": []}, b"", "missing array"),
        ({"value": {"t": "mystery"}}, b"", "unknown value type 'mystery'"),
        ({"value": {"t": "float", "v": "1.0"}}, b"", "malformed special float"),
        ({"value": 10**30}, b"", "beyond 64 bits"),
        ({"value": {"t": "array", "b": 0}, "buffers": [["|O", [1]]]}, b"\0" * 8, "dtype '|O'"),
        ({"value": {"t": "array", "b": 0}, "buffers": [["<U1", [1]]]}, b"\0" * 4, "dtype '<U1'"),
        ({"value": {"t": "array", "b": 0}, "buffers": [["<f8", [2]]]}, b"\0" * 8, "shorter"),
        ({"value": {"t": "array", "b": 0}, "buffers": [["<f8", [1]]]}, b"\0" * 16, "longer"),
        ({"value": {"t": "array", "b": 0}, "buffers": [["<f8", [-1]]]}, b"", "malformed shape"),
        ({"value": {"t": "dict", "items": [[1, 2]]}}, b"", "malformed dict entry"),
        ({"value": {"t": "handle", "id": "x"}}, b"", "malformed handle"),
    ],
)
def test_malformed_values_are_refused(header, payload, message):
    with pytest.raises(wire.ProtocolError, match=message):
        raw_frame(header, payload)


def test_a_huge_declared_size_is_refused_before_allocation():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(struct.pack("<IQ", 10, 2**40))
        with pytest.raises(wire.ProtocolError, match="MiB of array data in one message"):
            wire.read_frame(ours)
        theirs.sendall(struct.pack("<IQ", 2**31, 0))
        with pytest.raises(wire.ProtocolError, match="message header of 2,147,483,648 bytes"):
            wire.read_frame(ours)


def test_a_closed_channel_is_its_own_error():
    ours, theirs = socket.socketpair()
    theirs.sendall(struct.pack("<IQ", 100, 0) + b"{")
    theirs.close()
    with ours, pytest.raises(wire.ChannelClosed):
        wire.read_frame(ours)


def test_one_array_named_many_times_counts_every_time():
    items = [{"t": "array", "b": 0}] * 1000
    header = {"value": {"t": "list", "items": items}, "buffers": [["<f8", [10_000]]]}
    with pytest.raises(wire.ProtocolError, match="more than 4,000,000 elements in all"):
        raw_frame(header, b"\0" * 80_000)


def test_hostile_json_is_a_protocol_error_not_a_crash():
    ours, theirs = socket.socketpair()
    raw = ("[" * 200_000 + "]" * 200_000).encode()
    sender = threading.Thread(target=theirs.sendall, args=(struct.pack("<IQ", len(raw), 0) + raw,))
    sender.start()
    with ours, theirs:
        with pytest.raises(wire.ProtocolError, match="not JSON"):
            wire.read_frame(ours)
        sender.join()


def test_lone_surrogates_become_text():
    assert raw_frame({"value": "bad \ud800 text"}) == "bad ? text"
    assert raw_frame({"value": "x" * 50_000}) == "x" * wire.MAX_STRING


def test_import_guard_blocks_every_route_and_records_attempts(tmp_path):
    guard = ImportGuard(["fakeforbidden"], submission=str(tmp_path / "hw.py"))
    guard.install()
    try:
        import importlib

        with pytest.raises(ImportError, match="not allowed"):
            __import__("fakeforbidden")
        with pytest.raises(ImportError, match="not allowed"):
            importlib.import_module("fakeforbidden.sub")
        with pytest.raises(ImportError, match="not allowed"):
            exec("import fakeforbidden")
        assert [a["module"] for a in guard.attempts] == ["fakeforbidden", "fakeforbidden.sub"]
    finally:
        import builtins
        import sys

        builtins.__import__ = guard._original_import
        importlib.import_module = guard._original_import_module
        sys.meta_path.remove(guard)


def test_notebook_magics_are_neutralised_keeping_line_count():
    cell = "%matplotlib inline\nimport numpy as np\nif True:\n    !ls\nout = !pwd\nx = 1 % 2\nnet?"
    assert neutralise(cell).splitlines() == [
        "get_ipython().run_line_magic('matplotlib', 'inline')",
        "import numpy as np",
        "if True:",
        "    get_ipython().system('ls')",
        "out = get_ipython().getoutput('pwd')",
        "x = 1 % 2",
        "get_ipython().run_line_magic('pinfo', 'net')",
    ]
    assert neutralise("%%bash\necho hi").splitlines()[1].startswith("# autograde: %%bash")
    assert neutralise("%%time\ny = 2").splitlines()[1] == "y = 2"
    continued = 'print("%d"\n% 3)'
    assert neutralise(continued) == continued


def test_terminal_control_sequences_are_not_printed():
    from autograder.render import printable

    assert printable("ok\n\x1b[2K\x1b]0;pwned\x07 done\tend") == "ok\n?[2K?]0;pwned? done\tend"
    assert printable("passed\u202e \u200bdeliaf\u2066") == "passed? ?deliaf?"


@pytest.mark.parametrize(
    ("remaining", "after", "allowed"),
    [
        (100.0, 3, 20.0),  # plenty of time: the probe's own limit
        (30.0, 5, 20.0),  # 30 - 5 * 2 still covers the limit
        (16.0, 5, 6.0),  # the five after it keep their 2 s each
        (5.0, 5, 2.0),  # too little for everyone: at least its own reserve
        (1.5, 5, 1.5),  # then whatever is left
        (0.0, 0, 0.0),  # nothing left: not run
        (-3.0, 2, 0.0),
    ],
)
def test_each_probe_leaves_the_later_ones_their_reserve(remaining, after, allowed):
    from autograder.probing.driver import probe_allowance

    assert probe_allowance(remaining, after, probe_seconds=20.0) == pytest.approx(allowed)
