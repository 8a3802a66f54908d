"""What crosses the sandbox boundary: encoded as data, decoded without trust."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch

from autograder.harness.guard import ImportGuard
from autograder.harness.wire import Encoder, UnsupportedValue
from autograder.notebook import neutralise
from autograder.outputs import TensorValue, read_output


def write_probe(directory: Path, name: str, result: dict, arrays: dict | None = None) -> None:
    probes = directory / "probes"
    probes.mkdir(parents=True, exist_ok=True)
    (directory / "run.json").write_text(
        json.dumps({"script": {"status": "completed"}, "probes": {name: {"status": "exited"}}})
    )
    (probes / f"{name}.json").write_text(json.dumps(result))
    if arrays is not None:
        np.savez(probes / f"{name}.npz", **arrays)


def roundtrip(tmp_path: Path, values: dict) -> dict:
    encoder = Encoder()
    encoded = encoder.encode(values)
    write_probe(tmp_path, "p", {"status": "ok", "values": encoded}, encoder.arrays)
    outcome = read_output(tmp_path, ["p"]).probes["p"]
    assert outcome.status == "ok", outcome.message
    return outcome.values


def test_values_roundtrip_as_data(tmp_path):
    w = torch.ones(2, 3, requires_grad=True)
    (w * 2).sum().backward()
    values = roundtrip(
        tmp_path,
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
        },
    )
    assert values["n"] == 3 and values["x"] == 1.5 and values["inf"] == float("inf")
    assert values["flag"] is True and values["none"] is None
    assert values["pair"] == (1, [2.0, 3.0])
    np.testing.assert_array_equal(values["arr"], np.arange(4.0))
    tensor = values["w"]
    assert isinstance(tensor, TensorValue)
    assert tensor.requires_grad and tensor.is_leaf and tensor.dtype == "torch.float32"
    np.testing.assert_array_equal(tensor.grad, np.full((2, 3), 2.0))
    assert values["nested"]["a"].requires_grad is False


def test_objects_are_refused_by_type():
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    with pytest.raises(UnsupportedValue, match=r"a value of type .*Evil"):
        Encoder().encode({"x": Evil()})
    with pytest.raises(UnsupportedValue, match="dtype object"):
        Encoder().encode({"x": np.array([Evil()], dtype=object)})
    with pytest.raises(UnsupportedValue, match="keys are not all strings"):
        Encoder().encode({1: 2})


def test_pickled_arrays_are_never_loaded(tmp_path):
    probes = tmp_path / "probes"
    probes.mkdir()
    np.save(probes / "evil.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with zipfile.ZipFile(probes / "p.npz", "w") as archive:
        archive.write(probes / "evil.npy", "a0.npy")
    write_probe(tmp_path, "p", {"status": "ok", "values": {"type": "array", "array": "a0"}})
    outcome = read_output(tmp_path, ["p"]).probes["p"]
    assert outcome.status == "error"
    assert outcome.message == "its output could not be read: p.npz is not a readable array archive"


@pytest.mark.parametrize(
    ("result", "message"),
    [
        ({"status": "ok", "values": {"type": "array", "array": "a9"}}, "missing array 'a9'"),
        ({"status": "ok", "values": {"type": "mystery"}}, "unknown value type 'mystery'"),
        ({"status": "ok", "values": [1, 2]}, "unexpected JSON value of type list"),
        ({"status": "ok", "values": {"type": "float", "value": "1.0"}}, "finite number"),
    ],
)
def test_malformed_outputs_become_probe_errors(tmp_path, result, message):
    write_probe(tmp_path, "p", result)
    outcome = read_output(tmp_path, ["p"]).probes["p"]
    assert outcome.status == "error"
    assert message in outcome.message


def test_oversized_and_missing_outputs(tmp_path):
    write_probe(tmp_path, "p", {"status": "ok", "values": {}})
    (tmp_path / "probes" / "p.json").write_text(" " * (17 * 2**20))
    assert "larger than" in read_output(tmp_path, ["p"]).probes["p"].message
    nothing = read_output(tmp_path / "absent", ["p"])
    assert nothing.harness_ran is False
    assert nothing.probes["p"].status == "missing"


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


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"status": "ok", "values": {"type": "float", "value": "not-a-number"}}', "malformed"),
        ('{"status": "ok", "values": ' + "[" * 200_000 + "]" * 200_000 + "}", "not valid JSON"),
    ],
)
def test_hostile_json_is_a_probe_error_not_a_crash(tmp_path, raw, message):
    write_probe(tmp_path, "p", {})
    (tmp_path / "probes" / "p.json").write_text(raw)
    outcome = read_output(tmp_path, ["p"]).probes["p"]
    assert outcome.status == "error"
    assert message in outcome.message


def test_planted_messages_and_arrays_are_capped(tmp_path):
    write_probe(tmp_path, "p", {"status": "error", "message": "x" * 5_000_000})
    assert len(read_output(tmp_path, ["p"]).probes["p"].message) == 4000
    write_probe(
        tmp_path,
        "q",
        {"status": "ok", "values": {"type": "array", "array": "a0"}},
        {"a0": np.zeros(5_000_000, dtype=bool)},
    )
    outcome = read_output(tmp_path, ["q"]).probes["q"]
    assert outcome.status == "error"
    assert "returned arrays of 5,000,000 elements in all; the limit is 4,000,000" in outcome.message


def test_a_run_record_the_harness_never_wrote_means_no_run(tmp_path):
    (tmp_path / "run.json").write_text('{"script": {"status": "completed"}, "probes": 7}')
    output = read_output(tmp_path, ["p"])
    assert output.probes["p"].status == "missing"


def test_terminal_control_sequences_are_not_printed():
    from autograder.render import printable

    assert printable("ok\n\x1b[2K\x1b]0;pwned\x07 done\tend") == "ok\n?[2K?]0;pwned? done\tend"


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
    from autograder.harness.main import probe_allowance

    assert probe_allowance(remaining, after, probe_seconds=20.0) == pytest.approx(allowed)


@pytest.mark.parametrize(
    ("entry", "status", "limit"),
    [
        ({"status": "timeout", "limit": 2.5}, "timeout", 2.5),
        ({"status": "timeout"}, "timeout", None),
        ({"status": "timeout", "limit": "2.5"}, "timeout", None),  # planted: ignored
        ({"status": "timeout", "limit": 1e300}, "timeout", None),
        ({"status": "no_time"}, "no_time", None),
    ],
)
def test_probe_time_outs_are_read_from_the_run_record(tmp_path, entry, status, limit):
    (tmp_path / "run.json").write_text(json.dumps({"script": {}, "probes": {"p": entry}}))
    outcome = read_output(tmp_path, ["p"]).probes["p"]
    assert (outcome.status, outcome.limit) == (status, limit)


def test_one_array_named_many_times_counts_every_time(tmp_path):
    reference = {"type": "array", "array": "a0"}
    values = {"type": "list", "items": [reference] * 1000}
    write_probe(tmp_path, "p", {"status": "ok", "values": values}, {"a0": np.zeros(10_000)})
    outcome = read_output(tmp_path, ["p"]).probes["p"]
    assert outcome.status == "error"
    assert outcome.message == (
        "its output could not be read: returned arrays of more than 4,000,000 elements in all"
    )


def test_lone_surrogates_and_huge_integers_are_data_errors_not_crashes(tmp_path):
    write_probe(tmp_path, "p", {"status": "error", "message": "bad \ud800 text"})
    assert read_output(tmp_path, ["p"]).probes["p"].message == "bad ? text"
    huge = {"type": "dict", "items": {"x": 10**400}}
    write_probe(tmp_path, "q", {"status": "ok", "values": huge})
    outcome = read_output(tmp_path, ["q"]).probes["q"]
    assert outcome.message == "its output could not be read: an integer beyond 64 bits"
