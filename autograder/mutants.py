"""The instructor's mutants: known-wrong solutions, each with its mistake in one line.

They live beside the reference (`reference/mutants/<id>/*.py`), on the trusted
side: a mutant whose bug is elsewhere is a correct solution of everything
else, so a sandbox must never see one. Each file's docstring names its
mistake (its first line, without a leading "Mutant:") and may give the
advice for a student who made it (a paragraph starting "Hint:"): a student
whose failing value matches the mutant's is shown both.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import SpecError
from autograder.spec import Assignment

_PREFIX = re.compile(r"^(?:\w+\s+)?mutant:\s*", re.IGNORECASE)
_HINT = re.compile(r"^hint:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Mutant:
    path: Path
    description: str
    hint: str | None = None

    @property
    def name(self) -> str:
        return self.path.name


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def describe(path: Path) -> tuple[str, str | None]:
    """The mistake's one-line description and the hint for it, from the docstring."""
    try:
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    except (OSError, SyntaxError, ValueError) as exc:
        raise SpecError(f"{path}: the mutant cannot be read ({exc}); fix it") from None
    first = docstring.strip().splitlines()[0] if docstring.strip() else ""
    if not first:
        raise SpecError(
            f"{path}: a mutant needs a docstring whose first line names its mistake; add one"
        )
    hints = [_HINT.sub("", p) for p in _paragraphs(docstring) if _HINT.match(p)]
    return _PREFIX.sub("", first.strip()).rstrip("."), (hints[0] if hints else None)


def load_mutants(assignment: Assignment) -> list[Mutant]:
    directory = assignment.mutants
    return [Mutant(path, *describe(path)) for path in sorted(directory.glob("*.py"))]
