"""Run one file under the probes: start its process through a sandbox, drive it.

The one place that lays out a job; used for student submissions (through the
chosen sandbox) and for the reference and mutants (trusted, in a plain
process) alike, so both are measured by exactly the same probes. Only what
running the script needs enters the job: the entry name, the contract's
names, the forbidden imports, the script's time and the assignment's public
seed. The hidden seed and the probes stay here.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.outputs import HarnessOutput
from autograder.probes import load_probes
from autograder.probing.client import Connection
from autograder.probing.driver import RunPlan, drive, not_run
from autograder.sandbox import Sandbox, SandboxJob, SandboxLimits, SandboxResult
from autograder.spec import Assignment, Limits


@dataclass
class Run:
    output: HarnessOutput
    sandbox: SandboxResult


def sandbox_limits(limits: Limits) -> SandboxLimits:
    return SandboxLimits(
        wall_seconds=limits.wall_seconds,
        cpu_seconds=limits.cpu_seconds,
        memory_bytes=limits.memory_mb * 2**20,
        max_processes=limits.max_processes,
        output_bytes=limits.output_mb * 2**20,
        log_bytes=limits.log_kb * 1024,
    )


def harness_config(assignment: Assignment, limits: Limits, *, notebook: bool = False) -> dict:
    spec = assignment.spec
    return {
        "entry": spec.entry,
        "notebook": notebook,
        "forbidden_imports": spec.forbidden_imports,
        "script_seconds": limits.script_seconds,
        "seed": spec.seed,
    }


def run_harness(
    *,
    sandbox: Sandbox,
    assignment: Assignment,
    source: str,
    seed: int,
    limits: Limits,
    notebook: bool = False,
) -> Run:
    """Run `source` as the assignment's entry file; return what the probes saw."""
    spec = assignment.spec
    plan = RunPlan(
        probes=load_probes(assignment),
        names=spec.probe_names,
        seed=seed,
        entry=spec.entry,
        contract=spec.contract,
        wall_seconds=limits.wall_seconds,
        script_seconds=limits.script_seconds,
        probe_seconds=limits.probe_seconds,
    )
    workdir = Path(tempfile.mkdtemp(prefix="autograde-"))
    outputs: list[HarnessOutput] = []

    def driver(control: socket.socket) -> None:
        connection = Connection(control)
        outputs.append(drive(connection, plan, started))

    try:
        submission_dir = workdir / "submission"
        scratch_dir = workdir / "scratch"
        for directory in (submission_dir, scratch_dir):
            directory.mkdir()
        entry = submission_dir / spec.entry.replace(".ipynb", ".py")
        entry.write_text(source, encoding="utf-8")
        job = SandboxJob(
            submission=entry,
            scratch_dir=scratch_dir,
            harness_config=harness_config(assignment, limits, notebook=notebook),
            limits=sandbox_limits(limits),
            forbidden_packages=tuple(spec.forbidden_imports),
        )
        started = time.monotonic()
        result = sandbox.run(job, driver)
        output = outputs[0] if outputs else not_run(plan.names)
        return Run(output=output, sandbox=result)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
