"""Drive one run: wait for the script, then run every probe in its own session.

Runs on the trusted side, against the submission's process (in a sandbox)
or the reference's (a plain process) alike. Probes run in the spec's order,
so the same submission always gets the same report. Time is this side's:
each probe may take its own limit, never so much that the probes still to
come lose their reserve before the run's wall-clock limit; a probe past its
time has its session ended, and the next one starts from a fresh fork.
"""

from __future__ import annotations

import time
import types
import zlib
from dataclasses import dataclass
from typing import Any

from autograder.harness import protocol as wire
from autograder.outputs import (
    HarnessOutput,
    ProbeOutcome,
    ScriptOutcome,
    clean_text,
    imports_from,
)
from autograder.probing.client import Connection, ProbeFailure, SessionLost
from autograder.probing.context import Context, summarise_failure

# What a probe still to come is guaranteed when earlier ones hang: enough to
# read script globals or call a quick function, not to train.
PROBE_RESERVE_SECONDS = 2.0
# Kept back from the run's wall-clock limit: the sandbox starting and stopping.
WALL_MARGIN_SECONDS = 2.0
# Allowed on top of the script's own time for the process to start and say hello.
STARTUP_SECONDS = 30.0


@dataclass(frozen=True)
class RunPlan:
    """What the driver needs to know of the assignment, its seed and its limits."""

    probes: types.ModuleType
    names: list[str]
    seed: int
    entry: str
    contract: dict[str, str]
    wall_seconds: float
    script_seconds: float
    probe_seconds: float


def probe_seed(seed: int, name: str) -> int:
    return (seed * 1_000_003 + zlib.crc32(name.encode())) % 2**63


def probe_allowance(remaining: float, probes_after: int, probe_seconds: float) -> float:
    """Seconds the next probe may take: its own limit, less what the probes after
    it are owed, but at least its own reserve while time remains."""
    reserve = min(probe_seconds, PROBE_RESERVE_SECONDS)
    owed = probes_after * reserve
    return max(0.0, min(probe_seconds, max(remaining - owed, min(reserve, remaining))))


def script_outcome(
    hello: dict[str, Any], contract: dict[str, str]
) -> tuple[ScriptOutcome, dict[str, str]]:
    script: dict[str, Any] = hello["script"] if isinstance(hello.get("script"), dict) else {}
    raw_globals: dict[str, Any] = hello["globals"] if isinstance(hello.get("globals"), dict) else {}
    names = {
        clean_text(k, 200): clean_text(v, 100)
        for k, v in list(raw_globals.items())[:500]
        if isinstance(k, str)
    }
    seconds = script.get("seconds")
    status = clean_text(script.get("status"), 20)
    outcome = ScriptOutcome(
        status=status if status in ("completed", "exited", "error", "timeout") else "error",
        message=clean_text(script.get("message")),
        seconds=float(seconds)
        if isinstance(seconds, int | float) and not isinstance(seconds, bool)
        else None,
        forbidden_imports=imports_from(script.get("forbidden_imports")),
        missing_contract=[n for n in contract if names.get(n) != "function"],
    )
    return outcome, names


def _run_probe(probe: Any, ctx: Context) -> dict[str, Any]:
    values = probe(ctx)
    if not isinstance(values, dict):
        raise TypeError(f"the probe returned {type(values).__name__}, not a dict")
    wire.encode(values)  # what a probe keeps must be data (it is cached and compared)
    return values


def run_one(
    connection: Connection,
    plan: RunPlan,
    name: str,
    allowed: float,
    globals_: dict[str, str],
    problem: str | None,
) -> ProbeOutcome:
    started = time.monotonic()
    deadline = started + allowed
    try:
        session = connection.open_session(name, deadline)
    except TimeoutError:
        return ProbeOutcome(
            "timeout", seconds=round(time.monotonic() - started, 3), limit=round(allowed, 3)
        )
    except wire.ProtocolError:
        return ProbeOutcome("missing")
    ctx = Context(
        session,
        seed=probe_seed(plan.seed, name),
        entry=plan.entry,
        contract=plan.contract,
        globals=globals_,
        script_problem=problem,
    )
    outcome: ProbeOutcome
    try:
        outcome = ProbeOutcome("ok", values=_run_probe(getattr(plan.probes, name), ctx))
    except SessionLost as lost:
        outcome = _lost(lost, allowed)
    except ProbeFailure as exc:
        outcome = ProbeOutcome("error", clean_text(str(exc)))
    except (wire.Unsupported, wire.TooLarge) as exc:
        outcome = ProbeOutcome(
            "error", f"the submission returned {exc}, which the grader cannot compare"
        )
    except Exception as exc:  # the probe choked on what came back
        problem = f"{type(exc).__name__}: {exc}"
        outcome = ProbeOutcome(
            "error",
            clean_text(f"the grader could not use what the submission returned ({problem})"),
        )
    facts = session.close()  # nothing from a session that was lost
    end = connection.end_session(session)
    if outcome.status == "crashed" and connection.broken:
        # The whole process ended, not only this probe's fork: the report says how it ended.
        outcome = ProbeOutcome("missing")
    elif outcome.status == "crashed" and end.signal and end.signal != "SIGKILL":
        outcome.message = f"the process running it was killed by {end.signal}"
    outcome.forbidden_imports = imports_from(facts.get("forbidden_imports"))
    outcome.calls = session.calls
    outcome.seconds = round(time.monotonic() - started, 3)
    return outcome


def _lost(lost: SessionLost, allowed: float) -> ProbeOutcome:
    if lost.reason == "timeout":
        return ProbeOutcome("timeout", limit=round(allowed, 3))
    if lost.reason == "malformed":
        return ProbeOutcome("error", clean_text(f"its answer could not be read: {lost.message}"))
    return ProbeOutcome("crashed", "the process running it ended before answering")


def not_run(names: list[str]) -> HarnessOutput:
    """A run whose process never said hello: nothing ran."""
    return HarnessOutput(
        script=ScriptOutcome("not_run"),
        probes={name: ProbeOutcome("missing") for name in names},
        harness_ran=False,
    )


def drive(connection: Connection, plan: RunPlan, started: float) -> HarnessOutput:
    """Everything one run produces; never raises for anything the submission does."""
    names = plan.names
    try:
        hello = connection.hello(started + plan.script_seconds + STARTUP_SECONDS)
    except (TimeoutError, wire.ProtocolError):
        return not_run(names)
    script, globals_ = script_outcome(hello, plan.contract)
    problem = summarise_failure(script.message) if script.status != "completed" else None
    deadline = started + plan.wall_seconds - WALL_MARGIN_SECONDS
    probes: dict[str, ProbeOutcome] = {}
    for index, name in enumerate(names):
        if connection.broken:
            probes[name] = ProbeOutcome("missing")
            continue
        allowed = probe_allowance(
            deadline - time.monotonic(), len(names) - index - 1, plan.probe_seconds
        )
        if allowed <= 0:
            probes[name] = ProbeOutcome("no_time")
            continue
        probes[name] = run_one(connection, plan, name, allowed, globals_, problem)
    return HarnessOutput(script=script, probes=probes)
