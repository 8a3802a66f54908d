"""The report in a terminal: a table of checks, feedback for failures, notes."""

from __future__ import annotations

import re

from rich.console import Console
from rich.table import Table
from rich.text import Text

from autograder.report import HIDDEN_FEEDBACK, Report
from autograder.seeds import PUBLIC_SEED_HINT

STATUS_STYLE = {
    "passed": ("PASS", "green"),
    "failed": ("FAIL", "red"),
    "error": ("ERROR", "red"),
    "timeout": ("TIMEOUT", "yellow"),
}


# C0/C1 controls, and the invisible ones that reorder or hide text (bidi
# overrides and isolates, zero-width characters): "Trojan Source" feedback.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def printable(text: str) -> str:
    """Student-controlled text without terminal control sequences or invisible controls.

    Feedback quotes exception messages from the submission; an ESC in one
    could rewrite lines or the title of the terminal or CI log showing it.
    """
    return _CONTROL.sub("?", text)


def points(value: float) -> str:
    return f"{value:g}"


def render_report(report: Report, console: Console, *, report_path: str | None = None) -> None:
    console.print(
        Text.assemble(
            ("autograde ", "bold"),
            (f"{report.assignment.id}", "bold cyan"),
            f" — {report.assignment.title}",
        )
    )
    sub = report.submission
    digest = f" (sha256 {sub.sha256[:12]})" if sub.sha256 else ""
    seed = "secret seed" if report.seed is None else f"{report.seed_source} seed {report.seed}"
    if report.seed_source == "public":
        seed += f" ({PUBLIC_SEED_HINT})"
    line = f"submission {sub.path}{digest} · {seed}"
    if report.execution is not None:
        ex = report.execution
        iso = "" if ex.isolated else ", NOT isolated"
        line += f" · sandbox {ex.sandbox}{iso} · {ex.wall_seconds:.1f} s"
        lim = ex.limits
        if {"wall_seconds", "memory_mb", "max_processes"} <= lim.keys():
            line += (
                f" (limits {lim['wall_seconds']:g} s, {lim['memory_mb']:g} MiB, "
                f"{lim['max_processes']:g} processes)"
            )
    console.print(Text(printable(line), style="dim"))

    if report.status == "error":
        console.print(Text(f"Not graded: {printable(report.message)}", style="bold red"))
        return
    table = Table(show_lines=False, expand=False)
    table.add_column("check", no_wrap=True)
    table.add_column("result", no_wrap=True)
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("feedback", overflow="fold")
    for check in report.checks:
        label, style = STATUS_STYLE[check.status]
        if check.status == "passed":
            feedback = Text(check.description, style="dim")
        elif check.visibility == "hidden" and check.feedback == HIDDEN_FEEDBACK:
            feedback = Text(HIDDEN_FEEDBACK, style="dim italic")
        else:
            feedback = Text(printable(check.feedback))
            if check.hint and check.status in ("failed", "error"):
                feedback.append(f"\nhint: {check.hint}", style="italic cyan")
        table.add_row(
            check.id,
            Text(label, style=style),
            f"{points(check.score)}/{points(check.max_score)}",
            feedback,
        )
    console.print(table)
    if report.message:
        console.print(Text(printable(report.message), style="bold yellow"))
    for note in report.notes:
        console.print(Text(f"note: {printable(note)}", style="yellow"))
    if report.execution and report.execution.limits_exceeded:
        console.print(
            Text(
                f"limits: the submission {' and '.join(report.execution.limits_exceeded)}",
                style="yellow",
            )
        )
    console.print(
        Text.assemble(
            ("Score: ", "bold"),
            (f"{points(report.score)} / {points(report.max_score)}", "bold"),
        )
    )
    if report_path:
        console.print(Text(printable(f"Report written to {report_path}"), style="dim"))
