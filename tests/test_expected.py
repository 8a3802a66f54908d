"""Reference values are computed once and recomputed whenever an input changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from autograder.errors import SpecError
from autograder.expected import cache_key, reference_output
from autograder.outputs import load_output, save_output
from autograder.spec import load_assignment
from tests.conftest import ASSIGNMENTS, REFERENCE


@pytest.fixture
def hw1_copy(tmp_path: Path):
    shutil.copytree(ASSIGNMENTS / "hw1", tmp_path / "assignments" / "hw1")
    (tmp_path / "reference").mkdir()
    shutil.copy(REFERENCE / "hw1.py", tmp_path / "reference" / "hw1.py")
    return tmp_path


def test_cache_key_covers_spec_probes_reference_and_seed(hw1_copy):
    directory = hw1_copy / "assignments" / "hw1"
    original = cache_key(load_assignment(directory), seed=1)
    assert cache_key(load_assignment(directory), seed=1) == original
    assert cache_key(load_assignment(directory), seed=2) != original
    keys = {original}
    for path in (
        directory / "assignment.toml",
        directory / "probes.py",
        hw1_copy / "reference" / "hw1.py",
    ):
        path.write_text(path.read_text() + "\n# changed\n")
        keys.add(cache_key(load_assignment(directory), seed=1))
    assert len(keys) == 4


def test_reference_runs_once_then_comes_from_cache(hw1_copy, tmp_path):
    assignment = load_assignment(hw1_copy / "assignments" / "hw1")
    cache = tmp_path / "cache"
    first = reference_output(assignment, 5, cache)
    entries = list((cache / "hw1").iterdir())
    assert len(entries) == 1
    assert entries[0].name == f"{cache_key(assignment, 5)}.json"
    cached = load_output(entries[0])
    assert cached.probes["loss_hidden"].values == first.probes["loss_hidden"].values
    # Mark the cached entry: a second call must return it rather than run again.
    marked = {key: 123.0 for key in first.probes["loss_hidden"].values}
    cached.probes["loss_hidden"].values = marked
    save_output(cached, entries[0])
    stamp = entries[0].stat().st_mtime_ns
    second = reference_output(assignment, 5, cache)
    assert entries[0].stat().st_mtime_ns == stamp
    assert list((cache / "hw1").iterdir()) == entries
    assert second.probes["loss_hidden"].values == marked


def test_broken_reference_is_a_spec_error_naming_probe(hw1_copy, tmp_path):
    reference = hw1_copy / "reference" / "hw1.py"
    reference.write_text(reference.read_text().replace("def loss_fn(", "def _gone("))
    assignment = load_assignment(hw1_copy / "assignments" / "hw1")
    with pytest.raises(SpecError) as error:
        reference_output(assignment, 5, tmp_path / "cache")
    message = str(error.value)
    assert message.startswith(f"{reference}: probe 'loss_hidden' (check 'loss') failed")
    assert "does not define loss_fn(y_pred, y) -> float" in message
    # The run may be cached (mutants share the cache and fail probes on purpose), but a
    # broken reference is checked on every use: the cached run raises the same error.
    with pytest.raises(SpecError) as again:
        reference_output(assignment, 5, tmp_path / "cache")
    assert str(again.value) == message
    assert not any((tmp_path / "cache" / "hw1").glob(".staging-*"))


def test_missing_reference(hw1_copy, tmp_path):
    (hw1_copy / "reference" / "hw1.py").unlink()
    assignment = load_assignment(hw1_copy / "assignments" / "hw1")
    with pytest.raises(SpecError, match="reference solution not found"):
        reference_output(assignment, 5, tmp_path / "cache")
