"""Expected values: the probes drive the reference solution, cached.

The reference is trusted instructor code, so it runs in a plain process
(never in a student's sandbox, and never mounted into one), driven by the
same probes through the same protocol as a submission. Its outcomes are
cached on disk under a key covering everything that could change them: the
spec, the probes, the reference, the grader's code, the seed and library
versions. A check whose `value` (or `numeric`) names nothing the reference's
probe produced is a SpecError naming the check and what exists.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import autograder
from autograder.checks import COMPARATORS
from autograder.errors import SpecError, UsageError
from autograder.mutants import Mutant, load_mutants
from autograder.outputs import HarnessOutput, load_output, save_output
from autograder.runner import run_harness
from autograder.sandbox.process import ProcessSandbox
from autograder.spec import SPEC_FILENAME, Assignment

PACKAGE_DIR = Path(autograder.__file__).parent
CODE_DIRS = ("harness", "probing")


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


def cache_key(assignment: Assignment, seed: int, solution: Path | None = None) -> str:
    """Everything that could change a solution's outcomes: spec, probes, the solution,
    the grader's harness and probe client, the seed and library versions."""
    digest = hashlib.sha256()
    files = [
        assignment.directory / SPEC_FILENAME,
        assignment.probes,
        solution or assignment.reference,
        *(path for name in CODE_DIRS for path in sorted((PACKAGE_DIR / name).glob("*.py"))),
    ]
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    versions = [autograder.__version__, platform.python_version()]
    versions += [library_version(name) or "-" for name in ("numpy", "torch")]
    digest.update(f"seed={seed};{';'.join(versions)}".encode())
    return digest.hexdigest()[:32]


def _paths(values: Any, prefix: str = "") -> list[str]:
    """Every dotted key a check's `value` could name in a probe's output."""
    if not isinstance(values, dict):
        return []
    found = []
    for key, value in values.items():
        path = f"{prefix}{key}"
        found.append(path)
        found += _paths(value, f"{path}.")
    return found


def _verify(assignment: Assignment, output: HarnessOutput) -> None:
    """Every probe a check needs worked on the reference, and names the check's values."""
    where = assignment.reference
    if not output.harness_ran:
        raise SpecError(f"{where}: the reference run produced no output; run it with python")
    for check in assignment.spec.checks:
        probe = getattr(check, "probe", None)
        if probe is None:
            continue
        outcome = output.probes[probe]
        if outcome.status != "ok":
            if COMPARATORS[check.kind].expected != "reference":
                continue
            detail = outcome.message.splitlines()[0] if outcome.message else outcome.status
            raise SpecError(
                f"{where}: probe {probe!r} (check {check.id!r}) failed on the reference: "
                f"{detail}; fix the reference or the probe"
            )
        paths = _paths(outcome.values)
        for field_name in ("value", "numeric"):
            name = getattr(check, field_name, None)
            if name is not None and name not in paths:
                raise SpecError(
                    f"{assignment.directory / SPEC_FILENAME}: check {check.id!r}: `{field_name}` "
                    f"{name!r} is not among the values probe {probe!r} produces "
                    f"({', '.join(paths) or 'none'}); fix the check"
                )


def reference_output(
    assignment: Assignment, seed: int, cache_dir: Path | None = None
) -> HarnessOutput:
    """The reference's outcomes, verified against the spec's names."""
    if not assignment.reference.is_file():
        raise SpecError(
            f"{assignment.reference}: reference solution not found; "
            f"assignment {assignment.spec.id!r} needs it to compute expected values"
        )
    output = solution_output(assignment, assignment.reference, seed, cache_dir)
    _verify(assignment, output)
    return output


def mutant_outputs(
    assignment: Assignment, seed: int, cache_dir: Path | None = None
) -> dict[Mutant, HarnessOutput]:
    """Each mutant's outcomes under the same probes, trusted and cached like the reference.

    One after another: the sandbox launcher forks with a `preexec_fn`, which is
    not safe with several threads spawning at once.
    """
    return {
        mutant: solution_output(assignment, mutant.path, seed, cache_dir)
        for mutant in load_mutants(assignment)
    }


def solution_output(
    assignment: Assignment, solution: Path, seed: int, cache_dir: Path | None = None
) -> HarnessOutput:
    """An instructor's file (the reference, a mutant) driven by the probes in a plain
    process, from the cache when it has run before with the same inputs."""
    cache_dir = cache_dir or default_cache_dir()
    target = cache_dir / assignment.spec.id / f"{cache_key(assignment, seed, solution)}.json"
    if target.is_file():
        try:
            return load_output(target)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a torn or foreign file: compute it again
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, staging = tempfile.mkstemp(prefix=".staging-", dir=target.parent)
        os.close(handle)
    except OSError as exc:
        raise UsageError(
            f"{cache_dir}: cannot write the reference cache ({exc.strerror}); "
            "set AUTOGRADE_CACHE to a writable directory"
        ) from None
    try:
        run = run_harness(
            sandbox=ProcessSandbox(),
            assignment=assignment,
            source=solution.read_text(encoding="utf-8"),
            seed=seed,
            limits=assignment.spec.limits,
        )
        # Time-outs and crashes may be the machine's doing: only a clean run is kept.
        if run.output.harness_ran and all(
            outcome.status in ("ok", "error") for outcome in run.output.probes.values()
        ):
            save_output(run.output, Path(staging))
            # Another run may have cached it first; both are the same.
            with contextlib.suppress(OSError):
                Path(staging).replace(target)
        return run.output
    finally:
        Path(staging).unlink(missing_ok=True)
