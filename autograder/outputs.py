"""What one run produced, as the trusted side recorded it: the script's outcome
and each probe's values or failure.

Probe values are computed on the trusted side from what the submission's
process answered, so they are data already decoded under the protocol's caps.
They are saved (the reference cache) with the same protocol encoding, never
pickled.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from autograder.harness import protocol as wire
from autograder.harness.protocol import TensorValue

__all__ = [
    "HarnessOutput",
    "ProbeOutcome",
    "ProbeStatus",
    "ScriptOutcome",
    "TensorValue",
    "load_output",
    "save_output",
]

MAX_TEXT = wire.MAX_MESSAGE

ProbeStatus = Literal["ok", "error", "timeout", "no_time", "crashed", "missing"]


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
    # The contract calls the probe made, argument digests only (`SessionClient.calls`).
    calls: list[dict[str, Any]] = field(default_factory=list)


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
    harness_ran: bool = True


def clean_text(value: Any, cap: int = MAX_TEXT) -> str:
    return wire.clean_text(value[:cap]) if isinstance(value, str) else ""


def imports_from(data: Any) -> list[dict[str, Any]]:
    """Forbidden-import attempts as the submission's process reported them."""
    if not isinstance(data, list):
        return []
    return [
        {"module": clean_text(str(item.get("module")), 100), "line": item.get("line")}
        for item in data[:50]
        if isinstance(item, dict)
        and (
            item.get("line") is None
            or (isinstance(item.get("line"), int) and 0 < item["line"] < 10**7)
        )
    ]


def save_output(output: HarnessOutput, path: Path) -> None:
    """The reference's outcome, for the cache: protocol-encoded values, JSON text."""
    probes = {}
    payloads = []
    for name, outcome in output.probes.items():
        frame = wire.encode(outcome.values)
        probes[name] = {**asdict(outcome), "values": frame.header}
        payloads.append(frame.payload.hex())
    data = {"script": asdict(output.script), "probes": probes, "payloads": payloads}
    path.write_text(json.dumps(data), encoding="utf-8")


def load_output(path: Path) -> HarnessOutput:
    data = json.loads(path.read_text(encoding="utf-8"))
    probes = {}
    for (name, entry), payload in zip(data["probes"].items(), data["payloads"], strict=True):
        frame = wire.Frame(entry.pop("values"), bytes.fromhex(payload))
        probes[name] = ProbeOutcome(**entry, values=wire.decode(frame))
    return HarnessOutput(script=ScriptOutcome(**data["script"]), probes=probes)
