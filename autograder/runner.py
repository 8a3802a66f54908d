"""Run the harness on one file through a sandbox and read back its data.

The one place that lays out a job directory; used for student submissions
(through the chosen sandbox) and for the reference (trusted, in a plain
process) alike, so both are measured by exactly the same probes.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.outputs import HarnessOutput, read_output
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


def harness_config(
    assignment: Assignment,
    seed: int,
    limits: Limits,
    *,
    notebook: bool = False,
) -> dict:
    spec = assignment.spec
    return {
        "seed": seed,
        "entry": spec.entry,
        "notebook": notebook,
        "probes": spec.probe_names,
        "forbidden_imports": spec.forbidden_imports,
        "contract": spec.contract,
        "wall_seconds": limits.wall_seconds,
        "script_seconds": limits.script_seconds,
        "probe_seconds": limits.probe_seconds,
    }


def run_harness(
    *,
    sandbox: Sandbox,
    assignment: Assignment,
    source: str,
    seed: int,
    limits: Limits,
    keep_output: Path | None = None,
    notebook: bool = False,
) -> Run:
    """Run `source` as the assignment's entry file; return what the probes saw.

    With `keep_output`, the harness's output directory is moved there (the
    reference cache keeps it); otherwise everything is deleted.
    """
    workdir = Path(tempfile.mkdtemp(prefix="autograde-"))
    try:
        submission_dir = workdir / "submission"
        output_dir = workdir / "output"
        scratch_dir = workdir / "scratch"
        for directory in (submission_dir, output_dir, scratch_dir):
            directory.mkdir()
        entry = submission_dir / assignment.spec.entry.replace(".ipynb", ".py")
        entry.write_text(source, encoding="utf-8")
        job = SandboxJob(
            submission=entry,
            assignment_dir=assignment.directory.resolve(),
            output_dir=output_dir,
            scratch_dir=scratch_dir,
            harness_config=harness_config(assignment, seed, limits, notebook=notebook),
            limits=sandbox_limits(limits),
        )
        # The harness shares the deadline of the sandbox's wall clock: the monotonic
        # clock is the kernel's, the same inside the sandbox (no time namespace).
        job.harness_config["launched_at"] = time.monotonic()
        result = sandbox.run(job)
        output = read_output(output_dir, assignment.spec.probe_names)
        if keep_output is not None:
            shutil.move(str(output_dir), str(keep_output))
        return Run(output=output, sandbox=result)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
