"""Where assignments live: --assignments DIR, $AUTOGRADE_ASSIGNMENTS, or bundled."""

from __future__ import annotations

import os
from pathlib import Path

from autograder.errors import UsageError
from autograder.sandbox.base import GRADER_ROOT
from autograder.spec import SPEC_FILENAME, Assignment, load_assignment

BUNDLED = GRADER_ROOT / "assignments"


def assignments_root(explicit: Path | None = None) -> Path:
    if explicit is not None:
        root = explicit
    elif os.environ.get("AUTOGRADE_ASSIGNMENTS"):
        root = Path(os.environ["AUTOGRADE_ASSIGNMENTS"])
    else:
        root = BUNDLED
    if not root.is_dir():
        raise UsageError(f"{root}: assignments directory not found; pass --assignments DIR")
    return root


def available(root: Path) -> list[str]:
    return sorted(p.parent.name for p in root.glob(f"*/{SPEC_FILENAME}"))


def find_assignment(assignment_id: str, root: Path) -> Assignment:
    directory = root / assignment_id
    if not (directory / SPEC_FILENAME).is_file():
        known = ", ".join(available(root)) or "none"
        raise UsageError(
            f"unknown assignment {assignment_id!r} in {root} (available: {known}); "
            "pass --assignment ID"
        )
    return load_assignment(directory)
