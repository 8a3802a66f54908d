"""`autograde validate`: every shipped homework proves its own rubric."""

from __future__ import annotations

import shutil

import pytest

from autograder.validate import validate
from tests.conftest import ASSIGNMENTS, REFERENCE, run_cli

SHIPPED = sorted(p.parent.name for p in ASSIGNMENTS.glob("*/assignment.toml"))


def test_all_five_homeworks_ship():
    assert SHIPPED == ["hw1", "hw2", "hw3", "hw4", "hw5"]


@pytest.mark.parametrize("assignment_id", SHIPPED)
def test_shipped_assignment_validates(assignment_id, cache_dir):
    trials = validate(assignment_ids=[assignment_id], sandbox="auto", cache_dir=cache_dir)
    assert [t for t in trials if not t.ok] == []
    roles = [t.role for t in trials]
    assert roles[:2] == ["reference", "starter"] and roles[-1] == "probes"
    assert roles.count("mutant") >= 3


def test_a_rubric_hole_is_named_and_exits_1(tmp_path):
    root = tmp_path / "assignments"
    shutil.copytree(ASSIGNMENTS / "hw1", root / "hw1")
    reference = tmp_path / "reference"
    (reference / "mutants" / "hw1").mkdir(parents=True)
    shutil.copy(REFERENCE / "hw1.py", reference / "hw1.py")
    correct = (REFERENCE / "hw1.py").read_text().split("\n", 1)[1]
    (reference / "mutants" / "hw1" / "not_really_wrong.py").write_text(
        '"""Mutant: nothing is wrong with this one."""\n' + correct
    )
    result = run_cli(
        "validate", "hw1", "--sandbox", "none", "--assignments", str(root), cwd=tmp_path
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "autograde: 1 of 4 validation trials failed: hw1/not_really_wrong.py: "
        "RUBRIC HOLE: this known-wrong solution scores full marks"
    )
