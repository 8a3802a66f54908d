"""The instructor's mutants: known-wrong solutions, each with its mistake in one line.

They live beside the reference (`reference/mutants/<id>/*.py`), on the trusted
side: a mutant whose bug is elsewhere is a correct solution of everything
else, so a sandbox must never see one. Each file's docstring names its
mistake (its first line, without a leading "Mutant:").
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import SpecError
from autograder.spec import Assignment

_PREFIX = re.compile(r"^(?:\w+\s+)?mutant:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Mutant:
    path: Path
    description: str


def describe(path: Path) -> str:
    try:
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    except (OSError, SyntaxError, ValueError) as exc:
        raise SpecError(f"{path}: the mutant cannot be read ({exc}); fix it") from None
    first = (docstring or "").strip().splitlines()[0] if (docstring or "").strip() else ""
    if not first:
        raise SpecError(
            f"{path}: a mutant needs a docstring whose first line names its mistake; add one"
        )
    return _PREFIX.sub("", first)


def load_mutants(assignment: Assignment) -> list[Mutant]:
    directory = assignment.mutants
    paths = sorted(directory.glob("*.py")) + sorted(directory.glob("*.ipynb"))
    return [Mutant(path, describe(path) if path.suffix == ".py" else path.stem) for path in paths]
