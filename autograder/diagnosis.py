"""Diagnosis by known mistakes: a failing value that a mutant also produces names it.

The instructor's mutants run under the same probes on the same hidden inputs
(trusted, cached like the reference). A check that a student fails is
compared with each mutant that fails it too; where the comparator finds the
two answers alike, the mutant's one-line description is the likely mistake,
and its hint replaces the check's general one. A mutant that passes a check
never diagnoses it: its value there is the reference's, not a mistake.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from autograder.checks import COMPARATORS
from autograder.checks.alike import Observed
from autograder.mutants import Mutant
from autograder.spec import Check

MAX_NAMED = 3
"""Mistakes named on one check: more is a list, not a diagnosis."""


@dataclass(frozen=True)
class KnownMistake:
    """A mutant as the checks saw it: what each check observed, and which it failed."""

    mutant: Mutant
    observed: Mapping[str, Observed]
    failed: frozenset[str]


@dataclass(frozen=True)
class Diagnosis:
    mistakes: tuple[Mutant, ...]

    @property
    def text(self) -> str:
        names = [m.description.rstrip(".") for m in self.mistakes]
        if len(names) == 1:
            return f"this matches a known mistake: {names[0]}"
        return "this matches known mistakes: " + "; or ".join(names)

    @property
    def hint(self) -> str | None:
        """The first matching mistake's own advice; none when it has none."""
        return next((m.hint for m in self.mistakes if m.hint), None)


def diagnose(check: Check, mine: Observed, known: list[KnownMistake]) -> Diagnosis | None:
    alike = COMPARATORS[check.kind].alike
    matches = []
    for mistake in known:
        theirs = mistake.observed.get(check.id)
        if check.id not in mistake.failed or theirs is None:
            continue
        try:
            if alike(check, mine, theirs):
                matches.append(mistake.mutant)
        except Exception:  # an odd value is no match, never a crash
            continue
    return Diagnosis(tuple(matches[:MAX_NAMED])) if matches else None


def diagnose_all(
    checks: list[Check],
    failed: Mapping[str, Observed],
    known: Callable[[], list[KnownMistake]],
) -> dict[str, Diagnosis]:
    """Diagnoses of the failed checks; the mutants are run (or read) only if one failed."""
    if not failed:
        return {}
    mistakes = known()
    found = {}
    for check in checks:
        if check.id in failed:
            diagnosis = diagnose(check, failed[check.id], mistakes)
            if diagnosis is not None:
                found[check.id] = diagnosis
    return found
