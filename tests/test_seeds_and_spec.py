"""Secret seeds, spec names resolved against the probes, and mutants on the trusted side."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from autograder.errors import SpecError
from autograder.expected import mutant_outputs, reference_output
from autograder.mutants import load_mutants
from autograder.spec import load_assignment
from autograder.submit import submit
from tests.conftest import ASSIGNMENTS, REFERENCE, run_cli

SECRET = "course-secret-5f1d2e9a7c"


def test_a_secret_gives_each_submission_its_own_hidden_seed_and_never_shows(tmp_path, cache_dir):
    first = tmp_path / "hw2.py"
    shutil.copy(REFERENCE / "hw2.py", first)
    env = {"AUTOGRADE_SECRET": SECRET, "AUTOGRADE_CACHE": str(cache_dir)}
    graded = run_cli("submit", "hw2.py", "--format", "json", cwd=tmp_path, env=env)
    assert graded.returncode == 0, graded.stderr
    report = json.loads(graded.stdout)
    assert report["seed"] is None and report["seed_source"] == "secret"
    assert report["score"] == report["max_score"]
    written = (tmp_path / "autograde-report.json").read_text()
    for text in (graded.stdout, graded.stderr, written):
        assert SECRET not in text
    text = run_cli("submit", "hw2.py", cwd=tmp_path, env=env)
    assert "secret seed" in text.stdout and SECRET not in text.stdout + text.stderr


def test_the_seed_follows_the_content_and_pins_and_public_seeds_say_so(tmp_path, monkeypatch):
    from autograder.seeds import choose_seed

    def seed(sha: str, secret: bytes | None = SECRET.encode(), pinned: int | None = None):
        return choose_seed(
            public_seed=7, pinned=pinned, secret=secret, assignment_id="hw1", sha256=sha
        )

    assert seed("a" * 64).seed == seed("a" * 64).seed != seed("b" * 64).seed
    assert seed("a" * 64).shown is None
    assert seed("a" * 64, secret=None).seed == 7 and seed("a" * 64, secret=None).shown == 7
    assert seed("a" * 64, pinned=3).source == "pinned" and seed("a" * 64, pinned=3).shown == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the secret file (No such file or directory); check --secret-file"),
        ("  \n", "the secret file is empty; write a secret into it"),
    ],
)
def test_a_bad_secret_file_is_one_line_and_exit_2(tmp_path, content, message):
    (tmp_path / "hw1.py").write_text("")
    secret = tmp_path / "secret.txt"
    if content is not None:
        secret.write_text(content)
    result = run_cli("submit", "hw1.py", "--secret-file", str(secret), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"autograde: error: {secret}: {message}\n"


def _assignment_copy(tmp_path: Path, edit: str, replacement: str) -> Path:
    root = tmp_path / "assignments"
    shutil.copytree(ASSIGNMENTS / "hw1", root / "hw1")
    spec = root / "hw1" / "assignment.toml"
    text = spec.read_text()
    assert edit in text
    spec.write_text(text.replace(edit, replacement, 1))
    (tmp_path / "reference").mkdir()
    shutil.copy(REFERENCE / "hw1.py", tmp_path / "reference" / "hw1.py")
    return root


def test_a_misspelt_probe_is_a_spec_error_listing_the_probes(tmp_path):
    root = _assignment_copy(tmp_path, 'probe = "loss_hidden"', 'probe = "loss_hiden"')
    (tmp_path / "hw1.py").write_text("")
    with pytest.raises(SpecError) as info:
        submit(file=tmp_path / "hw1.py", assignments_dir=root, report_path=tmp_path / "r.json")
    assert str(info.value) == (
        f"{root / 'hw1' / 'probes.py'}: check 'loss' names probe 'loss_hiden', which probes.py "
        "does not define (it defines: backward_hidden, backward_numeric, forward_hidden, "
        "loss_hidden, script_loss, squared_error, sum_squared_error, train_hidden, "
        "train_tutorial); fix the check's `probe`"
    )


def test_a_misspelt_value_is_a_spec_error_listing_the_values(tmp_path, cache_dir):
    root = _assignment_copy(tmp_path, 'value = "y_pred"', 'value = "y_prd"')
    assignment = load_assignment(root / "hw1", tmp_path / "reference")
    with pytest.raises(SpecError) as info:
        reference_output(assignment, 1, cache_dir)
    assert str(info.value) == (
        f"{root / 'hw1' / 'assignment.toml'}: check 'forward': `value` 'y_prd' is not among the "
        "values probe 'forward_hidden' produces (y_pred); fix the check"
    )


def test_mutants_live_beside_the_reference_each_naming_its_mistake(cache_dir):
    assignment = load_assignment(ASSIGNMENTS / "hw1")
    mutants = {m.path.name: m.description for m in load_mutants(assignment)}
    assert mutants["mean_loss.py"] == "mean instead of sum in the loss and its gradient"
    assert not (ASSIGNMENTS / "hw1" / "mutants").exists()
    outputs = {m.path.name: o for m, o in mutant_outputs(assignment, 5, cache_dir).items()}
    reference = reference_output(assignment, 5, cache_dir)
    expected = reference.probes["loss_hidden"].values["loss"]
    mean = outputs["mean_loss.py"].probes["loss_hidden"].values["loss"]
    assert mean != pytest.approx(expected) and mean > 0


def test_a_mutant_without_a_docstring_is_a_spec_error(tmp_path):
    root = _assignment_copy(tmp_path, "seed = 2024", "seed = 2024")
    mutants = tmp_path / "reference" / "mutants" / "hw1"
    mutants.mkdir(parents=True)
    (mutants / "bare.py").write_text("x = 1\n")
    with pytest.raises(SpecError, match=r"bare\.py: a mutant needs a docstring"):
        load_mutants(load_assignment(root / "hw1", tmp_path / "reference"))
