"""Read what the harness left in the output directory, as data and nothing else.

The files were written next to student code, so they are untrusted: sizes are
capped before reading, JSON is parsed with `json`, arrays are loaded with
`numpy.load(allow_pickle=False)`, and anything malformed becomes that probe's
error instead of a crash. Nothing here imports or unpickles.
"""

from __future__ import annotations

import json
import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

MAX_JSON_BYTES = 16 * 2**20
MAX_ARRAY_BYTES = 64 * 2**20
"""Per probe, as stored. The homeworks' probes return well under 1 MiB."""
MAX_ARRAY_ELEMENTS = 4_000_000
"""Per probe, counting every reference to an array (an array named a thousand
times is a thousand arrays to compare): comparisons work in float64, so
1-byte elements grow eightfold."""
MAX_INT = 2**63
"""Integers beyond int64 are nothing a homework returns, and overflow floats."""
MAX_TEXT = 4000
"""Characters kept of any message the harness reports (it never writes more)."""

ProbeStatus = Literal["ok", "error", "timeout", "no_time", "crashed", "missing"]


class MalformedOutput(Exception):
    """The output directory holds something the harness would never write."""


@dataclass(frozen=True)
class TensorValue:
    """A torch tensor that crossed the boundary: its data and autograd facts."""

    array: np.ndarray
    dtype: str
    requires_grad: bool
    is_leaf: bool
    grad: np.ndarray | None


@dataclass
class ProbeOutcome:
    status: ProbeStatus
    message: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    forbidden_imports: list[dict[str, Any]] = field(default_factory=list)
    seconds: float | None = None
    # The time-out a timed-out probe had, when the run's remaining time made it
    # shorter than the probe's own limit.
    limit: float | None = None


@dataclass
class ScriptOutcome:
    status: str
    message: str = ""
    seconds: float | None = None
    forbidden_imports: list[dict[str, Any]] = field(default_factory=list)
    missing_contract: list[str] = field(default_factory=list)


@dataclass
class HarnessOutput:
    script: ScriptOutcome
    probes: dict[str, ProbeOutcome]
    missing_probes: list[str] = field(default_factory=list)
    harness_ran: bool = True


def _read_json(path: Path) -> Any:
    if path.stat().st_size > MAX_JSON_BYTES:
        raise MalformedOutput(f"{path.name} is larger than {MAX_JSON_BYTES} bytes")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise MalformedOutput(f"{path.name} is not valid JSON") from exc


def _load_arrays(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        return {}
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
        if total > MAX_ARRAY_BYTES:
            raise MalformedOutput(
                f"returned arrays of {total / 2**20:.0f} MiB in all; the limit is "
                f"{MAX_ARRAY_BYTES / 2**20:.0f} MiB"
            )
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
        elements = sum(array.size for array in arrays.values())
        if elements > MAX_ARRAY_ELEMENTS:
            raise MalformedOutput(
                f"returned arrays of {elements:,} elements in all; the limit is "
                f"{MAX_ARRAY_ELEMENTS:,}"
            )
        return arrays
    except MalformedOutput:
        raise
    except Exception as exc:
        raise MalformedOutput(f"{path.name} is not a readable array archive") from exc


def clean_text(value: str) -> str:
    """Text as UTF-8 can carry it: JSON's lone surrogates (\\ud800) become "?"."""
    return value.encode("utf-8", "replace").decode("utf-8")


def _str(data: dict[str, Any], key: str, default: str = "") -> str:
    value = data.get(key, default)
    return clean_text(value[:MAX_TEXT]) if isinstance(value, str) else default


class _Decoder:
    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.arrays = arrays
        self.elements = 0

    def array(self, key: Any) -> np.ndarray:
        if not isinstance(key, str) or key not in self.arrays:
            raise MalformedOutput(f"reference to a missing array {key!r}")
        array = self.arrays[key]
        if array.dtype.hasobject:
            raise MalformedOutput("an object array")
        self.elements += array.size
        if self.elements > MAX_ARRAY_ELEMENTS:
            raise MalformedOutput(
                f"returned arrays of more than {MAX_ARRAY_ELEMENTS:,} elements in all"
            )
        return array

    def decode(self, node: Any, depth: int = 0) -> Any:
        if depth > 10:
            raise MalformedOutput("values nested too deeply")
        if isinstance(node, str):
            return clean_text(node[:MAX_TEXT])
        if isinstance(node, int) and not isinstance(node, bool) and abs(node) >= MAX_INT:
            raise MalformedOutput("an integer beyond 64 bits")
        if node is None or isinstance(node, bool | int | float):
            return node
        if not isinstance(node, dict):
            raise MalformedOutput(f"unexpected JSON value of type {type(node).__name__}")
        kind = node.get("type")
        if kind == "float":
            value = float(_str(node, "value", "nan"))
            if math.isfinite(value):
                raise MalformedOutput("a finite number encoded as special")
            return value
        if kind == "array":
            return self.array(node.get("array"))
        if kind == "tensor":
            grad = node.get("grad")
            return TensorValue(
                array=self.array(node.get("array")),
                dtype=_str(node, "dtype", "unknown"),
                requires_grad=bool(node.get("requires_grad")),
                is_leaf=bool(node.get("is_leaf")),
                grad=None if grad is None else self.array(grad),
            )
        items = node.get("items")
        if kind in ("list", "tuple") and isinstance(items, list):
            decoded = [self.decode(item, depth + 1) for item in items]
            return tuple(decoded) if kind == "tuple" else decoded
        if kind == "dict" and isinstance(items, dict):
            return {
                clean_text(str(k)[:MAX_TEXT]): self.decode(v, depth + 1) for k, v in items.items()
            }
        raise MalformedOutput(f"unknown value type {kind!r}")


def _imports(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, list):
        return []
    return [
        {"module": str(item.get("module"))[:100], "line": item.get("line")}
        for item in data[:50]
        if isinstance(item, dict) and isinstance(item.get("line"), int | None)
    ]


def _names(data: Any) -> list[str]:
    if not isinstance(data, list):
        return []
    return [clean_text(n[:200]) for n in data[:50] if isinstance(n, str)]


def read_probe(directory: Path, name: str, run_entry: Any) -> ProbeOutcome:
    """One probe's outcome, combining the harness's process view and its files."""
    entry = run_entry if isinstance(run_entry, dict) else {}
    seconds = entry.get("seconds") if isinstance(entry.get("seconds"), int | float) else None
    if entry.get("status") == "timeout":
        limit = entry.get("limit")
        limit = float(limit) if isinstance(limit, int | float) and 0 < limit < 1e6 else None
        return ProbeOutcome("timeout", seconds=seconds, limit=limit)
    if entry.get("status") == "no_time":
        return ProbeOutcome("no_time")
    path = directory / f"{name}.json"
    if not path.exists():
        if entry.get("status") == "crashed":
            signal = _str(entry, "signal", "a signal")
            return ProbeOutcome(
                "crashed", f"the process running it was killed by {signal}", seconds=seconds
            )
        if entry:
            return ProbeOutcome(
                "crashed",
                "the process running it ended before reporting a result",
                seconds=seconds,
            )
        return ProbeOutcome("missing", seconds=seconds)
    try:
        data = _read_json(path)
        if not isinstance(data, dict):
            raise MalformedOutput("probe result is not an object")
        imports = _imports(data.get("forbidden_imports"))
        if data.get("status") == "ok":
            values = _Decoder(_load_arrays(directory / f"{name}.npz")).decode(data.get("values"))
            if not isinstance(values, dict):
                raise MalformedOutput("probe values are not a dict")
            return ProbeOutcome("ok", values=values, forbidden_imports=imports, seconds=seconds)
        return ProbeOutcome(
            "error",
            _str(data, "message", "the probe failed"),
            forbidden_imports=imports,
            seconds=seconds,
        )
    except (MalformedOutput, OSError) as exc:
        return ProbeOutcome("error", f"its output could not be read: {exc}", seconds=seconds)
    except Exception:  # anything else in untrusted data: malformed, never a grader crash
        return ProbeOutcome(
            "error", "its output could not be read: malformed values", seconds=seconds
        )


def read_output(output_dir: Path, probe_names: list[str]) -> HarnessOutput:
    run_path = output_dir / "run.json"
    try:
        run = _read_json(run_path) if run_path.exists() else None
    except (MalformedOutput, OSError):
        run = None
    try:
        return _harness_output(run, output_dir, probe_names)
    except Exception:  # a run.json the harness never wrote: treat as no run at all
        return _harness_output(None, output_dir, probe_names)


def _harness_output(run: Any, output_dir: Path, probe_names: list[str]) -> HarnessOutput:
    if not isinstance(run, dict):
        return HarnessOutput(
            script=ScriptOutcome("not_run"),
            probes={name: ProbeOutcome("missing") for name in probe_names},
            harness_ran=False,
        )
    script: dict[str, Any] = run["script"] if isinstance(run.get("script"), dict) else {}
    seconds = script.get("seconds")
    outcome = ScriptOutcome(
        status=_str(script, "status", "not_run"),
        message=_str(script, "message"),
        seconds=seconds if isinstance(seconds, int | float) else None,
        forbidden_imports=_imports(script.get("forbidden_imports")),
        missing_contract=_names(script.get("missing_contract")),
    )
    entries: dict[str, Any] = run["probes"] if isinstance(run.get("probes"), dict) else {}
    missing = run.get("missing_probes")
    return HarnessOutput(
        script=outcome,
        probes={
            name: read_probe(output_dir / "probes", name, entries.get(name)) for name in probe_names
        },
        missing_probes=[str(m) for m in missing] if isinstance(missing, list) else [],
    )
