"""Sandbox backends, picked by name (`--sandbox auto|bwrap|docker|podman|none`)."""

from __future__ import annotations

from autograder.errors import UsageError
from autograder.sandbox.base import Sandbox, SandboxJob, SandboxLimits, SandboxResult
from autograder.sandbox.process import ProcessSandbox

BACKENDS: dict[str, type[Sandbox]] = {"none": ProcessSandbox}


def get_sandbox(name: str) -> Sandbox:
    """The backend called `name`; `auto` picks the strongest one that works here."""
    if name == "auto":
        for candidate in ("bwrap", "docker", "podman"):
            backend = BACKENDS.get(candidate)
            if backend is not None and getattr(backend, "available", lambda: False)():
                return backend()
        return ProcessSandbox()
    if name not in BACKENDS:
        choices = ", ".join(["auto", *BACKENDS])
        raise UsageError(f"unknown sandbox backend {name!r}; choose one of: {choices}")
    return BACKENDS[name]()


__all__ = ["BACKENDS", "Sandbox", "SandboxJob", "SandboxLimits", "SandboxResult", "get_sandbox"]
