"""The `none` backend: a plain child process with rlimits and nothing else.

For machines with neither bubblewrap nor a container engine. It isolates
nothing (the submission can read the grader's files and the network), and
says so: the CLI prints a warning and the report records the backend.
"""

from __future__ import annotations

import functools

from autograder.sandbox.base import (
    GRADER_ROOT,
    Driver,
    Sandbox,
    SandboxJob,
    SandboxResult,
    control_pair,
    drive_and_close,
    harness_argv,
    harness_env,
)
from autograder.sandbox.launch import run_capped, set_rlimits


class ProcessSandbox(Sandbox):
    name = "none"
    isolated = False

    def run(self, job: SandboxJob, driver: Driver) -> SandboxResult:
        limits = job.limits
        ours, theirs = control_pair()
        fd = theirs.detach()
        argv = harness_argv(
            self.python,
            str(GRADER_ROOT),
            str(job.submission),
            f"fd:{fd}",
            job.harness_config,
        )
        preexec = functools.partial(
            set_rlimits,
            cpu_seconds=limits.cpu_seconds,
            file_bytes=limits.output_bytes,
            open_files=limits.max_open_files,
            address_space=None,
        )
        captured = run_capped(
            argv,
            env=harness_env(str(job.scratch_dir), str(job.scratch_dir)),
            cwd=str(job.scratch_dir),
            wall_seconds=limits.wall_seconds,
            log_bytes=limits.log_bytes,
            preexec=preexec,
            pass_fds=(fd,),
            handoff=(fd,),
            during=drive_and_close(driver, ours),
        )
        exceeded = []
        if captured.timed_out:
            exceeded.append(f"ran longer than {limits.wall_seconds:g} s")
        if captured.signal == "SIGXCPU":
            exceeded.append(f"used more than {limits.cpu_seconds:g} s of CPU time")
        return SandboxResult(
            backend=self.name,
            isolated=False,
            limits_exceeded=exceeded,
            **vars(captured),
        )
