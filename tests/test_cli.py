"""The CLI as users run it: exit codes, one-line errors, the report on disk."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat

from autograder.mutants import describe
from tests.conftest import REFERENCE, run_cli


def one_line_error(result) -> str:
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("autograde: error: ")
    return lines[0]


def test_missing_file_is_one_line_and_exit_2(tmp_path):
    line = one_line_error(run_cli("submit", "hw1.py", cwd=tmp_path))
    assert line == (
        "autograde: error: hw1.py: no such file; give the path to your hw*.py or hw*.ipynb"
    )
    assert not (tmp_path / "autograde-report.json").exists()


def test_directory_instead_of_file(tmp_path):
    (tmp_path / "hw1.py").mkdir()
    line = one_line_error(run_cli("submit", "hw1.py", cwd=tmp_path))
    assert "hw1.py: is a directory" in line


def test_unknown_assignment_lists_the_known_ones(tmp_path):
    (tmp_path / "hw9.py").write_text("x = 1\n")
    line = one_line_error(run_cli("submit", "hw9.py", cwd=tmp_path))
    assert "unknown assignment 'hw9'" in line
    assert "hw1" in line and "hw5" in line
    assert line.endswith("pass --assignment ID")


def test_assignment_is_inferred_from_a_prefixed_stem(tmp_path):
    shutil.copy(REFERENCE / "hw1.py", tmp_path / "hw1_alice.py")
    result = run_cli(
        "submit", "hw1_alice.py", "--sandbox", "none", "--format", "json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["assignment"]["id"] == "hw1"


def test_non_utf8_file_writes_an_error_report_and_exits_2(tmp_path):
    (tmp_path / "hw1.py").write_bytes(b"x = '\xff\xfe caf\xe9'\n")
    line = one_line_error(run_cli("submit", "hw1.py", "--sandbox", "none", cwd=tmp_path))
    assert line == (
        "autograde: error: hw1.py: not UTF-8 text (byte 5 is 0xff); "
        "save the file as UTF-8 and submit again"
    )
    report = json.loads((tmp_path / "autograde-report.json").read_text())
    assert report["status"] == "error"
    assert report["score"] == 0
    assert report["message"].startswith("hw1.py: not UTF-8 text")


def test_broken_notebook_is_a_clear_error(tmp_path):
    (tmp_path / "hw1.ipynb").write_text('{"cells": [ oops')
    line = one_line_error(run_cli("submit", "hw1.ipynb", "--sandbox", "none", cwd=tmp_path))
    assert "hw1.ipynb: not a valid notebook (the file is not JSON)" in line
    (tmp_path / "hw1.ipynb").write_text('{"hello": 1}')
    line = one_line_error(run_cli("submit", "hw1.ipynb", "--sandbox", "none", cwd=tmp_path))
    assert "hw1.ipynb: not a Jupyter notebook (no `cells`)" in line


def test_a_notebook_with_megabytes_of_code_is_refused_before_parsing(tmp_path):
    notebook = nbformat.v4.new_notebook()
    plot = {"image/png": "A" * (4 * 2**20)}  # outputs may be large: they are dropped
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.outputs = [nbformat.v4.new_output("display_data", data=plot)]
    notebook.cells = [cell, nbformat.v4.new_code_cell("data = [" + "1, " * 400_000 + "]")]
    nbformat.write(notebook, tmp_path / "hw1.ipynb")
    line = one_line_error(run_cli("submit", "hw1.ipynb", "--sandbox", "none", cwd=tmp_path))
    assert line == (
        "autograde: error: hw1.ipynb: its cells hold 1.1 MiB of code (limit 1 MiB); keep data "
        "out of the notebook's cells"
    )


def test_an_encoding_that_is_not_for_text_is_a_clear_error(tmp_path):
    (tmp_path / "hw1.py").write_text("# coding: rot13\nvzcbeg ahzcl\n")
    line = one_line_error(run_cli("submit", "hw1.py", "--sandbox", "none", cwd=tmp_path))
    assert line == (
        "autograde: error: hw1.py: declares the encoding rot13, which is not a text encoding; "
        "save the file as UTF-8 and submit again"
    )


def test_syntax_error_is_graded_zero_with_the_line(tmp_path):
    (tmp_path / "hw1.py").write_text("import numpy as np\n\ndef forward(x, w1, w2)\n    pass\n")
    result = run_cli("submit", "hw1.py", "--sandbox", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "autograde-report.json").read_text())
    assert report["status"] == "graded"
    assert report["score"] == 0
    assert report["message"] == "hw1.py has a syntax error at line 3: expected ':'"
    assert {c["status"] for c in report["checks"]} == {"error"}
    assert "hw1.py has a syntax error at line 3" in result.stdout


def test_empty_file_scores_zero(tmp_path):
    (tmp_path / "hw1.py").write_text("\n\n")
    result = run_cli("submit", "hw1.py", "--sandbox", "none", cwd=tmp_path)
    assert result.returncode == 0
    report = json.loads((tmp_path / "autograde-report.json").read_text())
    assert report["score"] == 0
    assert report["message"] == "hw1.py is empty: nothing to grade"


def test_fail_under_exit_code_and_json_format(tmp_path):
    shutil.copy(REFERENCE / "hw1.py", tmp_path / "hw1.py")
    report_path = tmp_path / "out" / "r.json"
    result = run_cli(
        "submit",
        "hw1.py",
        "--sandbox",
        "none",
        "--format",
        "json",
        "--report",
        str(report_path),
        "--fail-under",
        "100",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    printed = json.loads(result.stdout)
    assert printed == json.loads(report_path.read_text())
    assert printed["score"] == 17
    assert "NOT isolated" in result.stderr


def test_text_output_shows_table_score_and_report_path(tmp_path):
    (tmp_path / "hw1.py").write_text(
        (REFERENCE / "hw1.py").read_text().replace("np.maximum(h, 0)", "h", 1)
    )
    result = run_cli("submit", "hw1.py", "--sandbox", "none", cwd=tmp_path)
    assert result.returncode == 0
    out = result.stdout
    assert "autograde hw1" in out
    assert "FAIL" in out and "PASS" in out
    assert "Score: " in out and " / 17" in out
    assert "Report written to autograde-report.json" in out


def test_list_and_schema(tmp_path):
    listed = run_cli("list", cwd=tmp_path)
    assert listed.returncode == 0
    assert "hw1" in listed.stdout and "hw5" in listed.stdout
    schema = json.loads(run_cli("schema", cwd=tmp_path).stdout)
    assert schema["title"] == "Report"
    assert {"schema_version", "score", "max_score", "status", "checks", "execution"} <= set(
        schema["properties"]
    )


def test_bad_spec_names_file_and_field(tmp_path):
    root = tmp_path / "assignments"
    shutil.copytree(Path(__file__).parent.parent / "assignments" / "hw1", root / "hw1")
    spec = root / "hw1" / "assignment.toml"
    spec.write_text(
        spec.read_text().replace(
            'points = 2\nprobe = "forward_hidden"', 'points = "two"\nprobe = "forward_hidden"'
        )
    )
    shutil.copy(REFERENCE / "hw1.py", tmp_path / "hw1.py")
    line = one_line_error(
        run_cli("submit", "hw1.py", "--assignments", str(root), "--sandbox", "none", cwd=tmp_path)
    )
    assert str(spec) in line
    assert "field `checks.1.allclose.points`" in line
    assert line.endswith("fix the spec and try again")


def test_notebook_with_magics_grades_like_the_script(tmp_path):
    code = (REFERENCE / "hw1.py").read_text()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# hw1"),
        nbformat.v4.new_code_cell("%matplotlib inline\n!pip install numpy\nimport numpy as np"),
        nbformat.v4.new_code_cell("%%time\nx_unused = np.zeros(3)"),
        nbformat.v4.new_code_cell("%%bash\necho this is not python"),
        nbformat.v4.new_code_cell("from IPython.display import display, clear_output"),
        nbformat.v4.new_code_cell(code),
        nbformat.v4.new_code_cell("files = !ls\n%timeit forward\nforward?\n??backward"),
        nbformat.v4.new_code_cell("display(forward)\nclear_output()"),
    ]
    nbformat.write(notebook, tmp_path / "hw1.ipynb")
    result = run_cli("submit", "hw1.ipynb", "--sandbox", "none", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["score"] == 17, [c["feedback"] for c in report["checks"]]
    assert report["execution"]["script_status"] == "completed"


def test_notebook_time_magics_run_their_statement_and_continuations_stay_python(tmp_path):
    functions = (REFERENCE / "hw1.py").read_text().split('if __name__ == "__main__":')[0]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(functions),
        nbformat.v4.new_code_cell(
            "import numpy as np\n"
            "x, y = np.random.randn(64, 1000), np.random.randn(64, 10)\n"
            "w1, w2 = np.random.randn(1000, 100), np.random.randn(100, 10)\n"
            "%time w1, w2, losses = train(x, y, w1, w2)"
        ),
        # `%` starting a physical line continues the format string: Python, not a magic.
        nbformat.v4.new_code_cell('print("final loss %.3e"\n% losses[-1])'),
        nbformat.v4.new_code_cell("%%time\nloss = losses[-1]"),
    ]
    nbformat.write(notebook, tmp_path / "hw1.ipynb")
    result = run_cli("submit", "hw1.ipynb", "--sandbox", "none", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["execution"]["script_status"] == "completed"
    assert "final loss " in report["execution"]["stdout"]
    assert report["score"] == 17, [c["feedback"] for c in report["checks"]]


def test_unwritable_cache_is_one_line(tmp_path):
    shutil.copy(REFERENCE / "hw1.py", tmp_path / "hw1.py")
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    line = one_line_error(
        run_cli("submit", "hw1.py", cwd=tmp_path, env={"AUTOGRADE_CACHE": str(blocker)})
    )
    assert line.startswith(f"autograde: error: {blocker}: cannot write the reference cache")
    assert line.endswith("set AUTOGRADE_CACHE to a writable directory")


def test_notebook_errors_point_at_cells(tmp_path):
    code = (REFERENCE / "hw1.py").read_text().replace('if __name__ == "__main__":', "if False:")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# hw1"),
        nbformat.v4.new_code_cell("import numpy as np"),
        nbformat.v4.new_code_cell(code),
        nbformat.v4.new_code_cell("display(np.zeros(2))\n\ndata = np.load('train.npy')"),
    ]
    nbformat.write(notebook, tmp_path / "hw1.ipynb")
    result = run_cli("submit", "hw1.ipynb", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["notes"][0].startswith(
        "Running hw1.ipynb as a script did not finish: FileNotFoundError: "
    )
    assert (
        "(hw1.ipynb, code cell 3, line 3, in <module>: data = np.load('train.npy'))"
        in (report["notes"][0])
    )
    assert not any("hw1.py" in c["feedback"] for c in report["checks"])
    assert [c["id"] for c in report["checks"] if c["status"] != "passed"] == []
    script = next(c["feedback"] for c in report["checks"] if c["id"] == "script_loss")
    assert script.endswith(
        "(on its own: hw1.ipynb leaves no global `x`, `y`, `w1`, `w2` after running as a "
        "script; train at top level (or under `if __name__ == '__main__':`) with the "
        "tutorial's names x, y, w1, w2)"
    )


def test_notebook_syntax_error_names_the_cell(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import numpy as np"),
        nbformat.v4.new_code_cell("x = 1\ndef forward(x, w1, w2)\n    return x"),
    ]
    nbformat.write(notebook, tmp_path / "hw1.ipynb")
    result = run_cli("submit", "hw1.ipynb", "--format", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert report["message"] == "hw1.ipynb has a syntax error in code cell 2, line 2: expected ':'"


def test_file_names_match_assignments_case_insensitively(tmp_path):
    shutil.copy(REFERENCE / "hw1.py", tmp_path / "HW1 (1).py")
    result = run_cli("submit", "HW1 (1).py", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["assignment"]["id"] == "hw1"


def test_invalid_limit_override_names_the_option(tmp_path):
    shutil.copy(REFERENCE / "hw1.py", tmp_path / "hw1.py")
    line = one_line_error(run_cli("submit", "hw1.py", "--memory-mb", "10", cwd=tmp_path))
    assert line == "autograde: error: --memory-mb 10: input should be greater than or equal to 256"


def test_upper_case_extension_is_accepted(tmp_path):
    shutil.copy(REFERENCE / "hw1.py", tmp_path / "HW1.PY")
    result = run_cli("submit", "HW1.PY", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["score"] == 17


def test_links_devices_and_huge_files_are_not_submissions(tmp_path):
    (tmp_path / "hw1.py").symlink_to(REFERENCE / "hw1.py")
    line = one_line_error(run_cli("submit", "hw1.py", cwd=tmp_path))
    assert line == (
        "autograde: error: hw1.py: not a regular file (a link or device); submit the file itself"
    )
    (tmp_path / "hw1.py").unlink()
    os.mkfifo(tmp_path / "hw1.py")
    assert "not a regular file" in one_line_error(run_cli("submit", "hw1.py", cwd=tmp_path))
    (tmp_path / "hw1.py").unlink()
    (tmp_path / "hw1.py").write_text("#" * (3 * 2**20))
    assert "3.0 MiB is too large for a submission (limit 1 MiB)" in one_line_error(
        run_cli("submit", "hw1.py", cwd=tmp_path)
    )


def test_source_too_deep_to_compile_is_graded_zero(tmp_path):
    (tmp_path / "hw1.py").write_text("x = " + "1 + " * 200_000 + "1\n")
    result = run_cli("submit", "hw1.py", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["score"] == 0
    assert report["message"] == (
        "hw1.py cannot be compiled: an expression is nested or chained too deeply"
    )


def test_paths_print_as_text_not_markup_or_terminal_codes(tmp_path):
    work = tmp_path / "[/x]" / "[bold green]Score 17 of 17[/]"
    work.mkdir(parents=True)
    name = "hw1\x1b]0;owned\x07\x1b[2J.py"
    shutil.copy(REFERENCE / "hw1.py", work / name)
    result = run_cli("submit", name, "--sandbox", "none", cwd=work)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert f"submission {name.replace(chr(27), '?').replace(chr(7), '?')}" in result.stdout
    line = one_line_error(run_cli("submit", "hw1\x1b[2J-missing.py", cwd=work))
    assert line == (
        "autograde: error: hw1?[2J-missing.py: no such file; give the path to your hw*.py or "
        "hw*.ipynb"
    )


def test_hidden_checks_keep_their_details_out_of_the_report(tmp_path):
    root = tmp_path / "assignments"
    shutil.copytree(Path(__file__).parent.parent / "assignments" / "hw1", root / "hw1")
    shutil.copytree(REFERENCE, tmp_path / "reference")
    spec = root / "hw1" / "assignment.toml"
    spec.write_text(
        spec.read_text().replace('id = "loss"\n', 'id = "loss"\nvisibility = "hidden"\n', 1)
    )
    source = (REFERENCE / "hw1.py").read_text().replace(".sum()", ".mean()", 1)
    (tmp_path / "hw1.py").write_text(source)
    args = ("submit", "hw1.py", "--assignments", str(root), "--sandbox", "none")

    text = run_cli(*args, cwd=tmp_path)
    report = json.loads((tmp_path / "autograde-report.json").read_text())
    loss = next(c for c in report["checks"] if c["id"] == "loss")
    assert (loss["status"], loss["score"], loss["visibility"]) == ("failed", 0, "hidden")
    assert (loss["feedback"], loss["hint"], loss["mistakes"]) == (
        "hidden check: details are not shown",
        None,
        [],
    )
    mistake, hint = describe(REFERENCE / "mutants" / "hw1" / "mean_loss.py")
    assert hint is not None and hint[:40] not in text.stdout

    run_cli(*args, "--show-hidden", cwd=tmp_path)
    report = json.loads((tmp_path / "autograde-report.json").read_text())
    loss = next(c for c in report["checks"] if c["id"] == "loss")
    assert loss["feedback"].startswith("`loss`")
    assert loss["feedback"].endswith(f"; this matches a known mistake: {mistake}")
    assert (loss["mistakes"], loss["hint"]) == ([mistake], hint)
