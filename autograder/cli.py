"""Command line: parse arguments, call the keyword-only core, map errors to exit codes.

The only place an exception becomes a message and an exit code:
0 graded, 1 graded but under --fail-under, 2 usage or grader error.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import click
from rich.console import Console

from autograder.errors import AutogradeError
from autograder.render import printable

EXIT_GRADED, EXIT_UNDER, EXIT_ERROR = 0, 1, 2

assignments_option = click.option(
    "--assignments",
    "assignments_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Directory of assignments (default: $AUTOGRADE_ASSIGNMENTS, else the bundled ones).",
)

sandbox_option = click.option(
    "--sandbox",
    type=click.Choice(["auto", "bwrap", "docker", "podman", "none"]),
    default="auto",
    show_default=True,
    help="How to isolate the submission.",
)


def fail(message: str) -> None:
    # Messages quote paths and notebook fields: no terminal control sequences.
    click.echo(f"autograde: error: {printable(message)}", err=True)
    sys.exit(EXIT_ERROR)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


class Group(click.Group):
    """Turns any error escaping a command into one line and exit code 2."""

    def invoke(self, ctx: click.Context) -> object:
        # Terminated like interrupted: the sandbox and its mounts are cleaned up
        # on the way out (the default SIGTERM action would skip every `finally`).
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _interrupt)
        try:
            return super().invoke(ctx)
        except AutogradeError as exc:
            fail(str(exc))
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt as exc:
            fail(f"interrupted{f' by {exc}' if str(exc) else ''}: nothing was graded")
        except Exception as exc:
            if os.environ.get("AUTOGRADE_DEBUG"):
                raise
            fail(
                f"internal grader error ({type(exc).__name__}: {exc}); this is a bug in "
                "autograde, not in your submission; rerun with AUTOGRADE_DEBUG=1 and report it"
            )
        return None


@click.group(cls=Group)
@click.version_option(package_name="autograde", prog_name="autograde")
def cli() -> None:
    """Grade deep-learning homework against the instructor's reference."""


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True, exists=False))
@click.option("--assignment", "assignment_id", help="Assignment id (default: the file's stem).")
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("autograde-report.json"),
    show_default=True,
    help="Where to write the JSON report.",
)
@click.option(
    "--seed", type=int, default=None, help="Pin the seed of the hidden inputs (instructors)."
)
@click.option(
    "--secret-file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="File holding the course secret that seeds each submission's hidden inputs "
    "(default: $AUTOGRADE_SECRET).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--fail-under", type=float, default=None, help="Exit 1 when the score is below POINTS."
)
@sandbox_option
@click.option("--wall-seconds", type=float, help="Override the wall-clock limit.")
@click.option("--cpu-seconds", type=float, help="Override the CPU-time limit.")
@click.option("--memory-mb", type=int, help="Override the memory limit.")
@click.option(
    "--show-hidden",
    is_flag=True,
    help="Keep hidden checks' feedback and hints in the report (for instructors).",
)
@assignments_option
def submit(
    file: Path,
    assignment_id: str | None,
    report_path: Path,
    seed: int | None,
    secret_file: Path | None,
    fmt: str,
    fail_under: float | None,
    sandbox: str,
    wall_seconds: float | None,
    cpu_seconds: float | None,
    memory_mb: int | None,
    show_hidden: bool,
    assignments_dir: Path | None,
) -> None:
    """Grade FILE (hwN.py or hwN.ipynb) and write a JSON report."""
    from autograder.render import render_report
    from autograder.submit import submit as run_submit

    outcome = run_submit(
        file=file,
        assignment_id=assignment_id,
        assignments_dir=assignments_dir,
        report_path=report_path,
        seed=seed,
        secret_file=secret_file,
        sandbox=sandbox,
        show_hidden=show_hidden,
        limit_overrides={
            "wall_seconds": wall_seconds,
            "cpu_seconds": cpu_seconds,
            "memory_mb": memory_mb,
        },
    )
    report = outcome.report
    execution = report.execution
    if execution is not None and not execution.isolated:
        click.echo(
            "autograde: warning: sandbox 'none': the submission ran as a plain process, "
            "NOT isolated (no bubblewrap or container engine in use)",
            err=True,
        )
    if fmt == "json":
        click.echo(report.model_dump_json(indent=2))
    else:
        render_report(report, Console(), report_path=str(outcome.report_path))
    if outcome.error is not None:
        fail(outcome.error)
    if fail_under is not None and report.score < fail_under:
        sys.exit(EXIT_UNDER)
    sys.exit(EXIT_GRADED)


@cli.command(name="list")
@assignments_option
def list_assignments(assignments_dir: Path | None) -> None:
    """Show the assignments found."""
    from rich.table import Table

    from autograder.assignments import assignments_root, available
    from autograder.spec import load_assignment

    root = assignments_root(assignments_dir)
    table = Table(title=f"assignments in {root}")
    for column in ("id", "title", "entry", "checks", "points"):
        table.add_column(column)
    for assignment_id in available(root):
        spec = load_assignment(root / assignment_id).spec
        table.add_row(spec.id, spec.title, spec.entry, str(len(spec.checks)), f"{spec.max_score:g}")
    Console().print(table)


@cli.command()
@click.argument("assignment_ids", nargs=-1, metavar="[ID]...")
@sandbox_option
@assignments_option
def validate(assignment_ids: tuple[str, ...], sandbox: str, assignments_dir: Path | None) -> None:
    """Check that the reference scores full marks, the starter scores low and
    every mutant loses points (all assignments when no ID is given)."""
    from rich.table import Table

    from autograder.validate import validate as run_validate

    trials = run_validate(
        assignment_ids=list(assignment_ids), assignments_dir=assignments_dir, sandbox=sandbox
    )
    table = Table(title="autograde validate")
    for column in ("assignment", "file", "role", "score", "verdict"):
        table.add_column(column)
    for trial in trials:
        table.add_row(
            trial.assignment,
            trial.path.name,
            trial.role,
            f"{trial.score:g}/{trial.max_score:g}",
            f"[green]ok[/green] {trial.verdict}"
            if trial.ok
            else f"[red]FAIL[/red] {trial.verdict}",
        )
    Console().print(table)
    bad = [t for t in trials if not t.ok]
    if bad:
        click.echo(
            f"autograde: {len(bad)} of {len(trials)} validation trials failed: "
            + "; ".join(f"{t.assignment}/{t.path.name}: {t.verdict}" for t in bad),
            err=True,
        )
        sys.exit(EXIT_UNDER)
    click.echo(f"all {len(trials)} validation trials passed")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the report."""
    from autograder.report import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


def main() -> None:
    cli(prog_name="autograde")
