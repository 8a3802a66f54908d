"""Sandbox backends, picked by name (`--sandbox auto|bwrap|docker|podman|none`)."""

from __future__ import annotations

from autograder.errors import UsageError
from autograder.sandbox.base import Sandbox, SandboxJob, SandboxLimits, SandboxResult
from autograder.sandbox.bwrap import BwrapSandbox
from autograder.sandbox.container import DockerSandbox, PodmanSandbox
from autograder.sandbox.process import ProcessSandbox

BACKENDS: dict[str, type[Sandbox]] = {
    "bwrap": BwrapSandbox,
    "docker": DockerSandbox,
    "podman": PodmanSandbox,
    "none": ProcessSandbox,
}


def get_sandbox(name: str) -> Sandbox:
    """The backend called `name`; `auto` picks the strongest one that works here.

    An explicitly named backend that cannot run here is a SandboxError saying
    what to install, never a silent fallback to less isolation.
    """
    if name == "auto":
        for candidate in ("bwrap", "docker", "podman"):
            if BACKENDS[candidate].available():
                return BACKENDS[candidate]()
        return ProcessSandbox()
    if name not in BACKENDS:
        choices = ", ".join(["auto", *BACKENDS])
        raise UsageError(f"unknown sandbox backend {name!r}; choose one of: {choices}")
    backend = BACKENDS[name]
    backend.ensure_available()
    return backend()


__all__ = ["BACKENDS", "Sandbox", "SandboxJob", "SandboxLimits", "SandboxResult", "get_sandbox"]
