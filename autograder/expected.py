"""Expected values: the probes run against the reference solution, cached.

The reference is trusted instructor code, so it runs in a plain process
(never in a student's sandbox, and never mounted into one). Its outputs are
cached on disk under a key covering everything that could change them: the
spec, the probes, the reference, the harness, the seed and library versions.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

import autograder
from autograder.checks import COMPARATORS
from autograder.errors import SpecError, UsageError
from autograder.outputs import HarnessOutput, read_output
from autograder.runner import run_harness
from autograder.sandbox.process import ProcessSandbox
from autograder.spec import SPEC_FILENAME, Assignment

HARNESS_DIR = Path(autograder.__file__).parent / "harness"


def default_cache_dir() -> Path:
    if os.environ.get("AUTOGRADE_CACHE"):
        return Path(os.environ["AUTOGRADE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "autograde"


def library_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def cache_key(assignment: Assignment, seed: int) -> str:
    digest = hashlib.sha256()
    files = [
        assignment.directory / SPEC_FILENAME,
        assignment.probes,
        assignment.reference,
        *sorted(HARNESS_DIR.glob("*.py")),
    ]
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    versions = [autograder.__version__, platform.python_version()]
    versions += [library_version(name) or "-" for name in ("numpy", "torch")]
    digest.update(f"seed={seed};{';'.join(versions)}".encode())
    return digest.hexdigest()[:32]


def _verify(assignment: Assignment, output: HarnessOutput) -> None:
    """Every probe a reference comparison needs must have worked on the reference."""
    where = assignment.reference
    if not output.harness_ran:
        raise SpecError(f"{where}: the reference run produced no output; run it with python")
    if output.missing_probes:
        raise SpecError(
            f"{assignment.probes}: no probe function named {output.missing_probes[0]!r}; "
            "define it or fix the check's `probe`"
        )
    for check in assignment.spec.checks:
        probe = getattr(check, "probe", None)
        if probe is None or COMPARATORS[check.kind].expected != "reference":
            continue
        outcome = output.probes[probe]
        if outcome.status != "ok":
            detail = outcome.message.splitlines()[0] if outcome.message else outcome.status
            raise SpecError(
                f"{where}: probe {probe!r} (check {check.id!r}) failed on the reference: "
                f"{detail}; fix the reference or the probe"
            )


def reference_output(
    assignment: Assignment, seed: int, cache_dir: Path | None = None
) -> HarnessOutput:
    if not assignment.reference.is_file():
        raise SpecError(
            f"{assignment.reference}: reference solution not found; "
            f"assignment {assignment.spec.id!r} needs it to compute expected values"
        )
    cache_dir = cache_dir or default_cache_dir()
    target = cache_dir / assignment.spec.id / cache_key(assignment, seed)
    names = assignment.spec.probe_names
    if (target / "run.json").is_file():
        return read_output(target, names)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=target.parent))
    except OSError as exc:
        raise UsageError(
            f"{cache_dir}: cannot write the reference cache ({exc.strerror}); "
            "set AUTOGRADE_CACHE to a writable directory"
        ) from None
    try:
        run = run_harness(
            sandbox=ProcessSandbox(),
            assignment=assignment,
            source=assignment.reference.read_text(encoding="utf-8"),
            seed=seed,
            limits=assignment.spec.limits,
            keep_output=staging / "output",
        )
        _verify(assignment, run.output)
        # Another run may have cached it first; both are the same.
        with contextlib.suppress(OSError):
            (staging / "output").replace(target)
        return read_output(target, names)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
