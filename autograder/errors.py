"""The grader's own errors: each one is a full sentence a user can act on.

    AutogradeError            anything that stops a run; the CLI prints it on one line, exit 2
    ├── UsageError            bad command-line input: missing file, unknown assignment
    ├── SpecError             an assignment's spec, probes or reference is broken
    ├── SubmissionError       the submission cannot be read at all (not UTF-8, broken notebook)
    └── SandboxError          the sandbox backend is missing or failed to start

A student's mistake is never one of these: it becomes a score and a message in
the report. These are for input the grader cannot grade and for grader faults.
"""


class AutogradeError(Exception):
    """A run cannot continue; the message says what, where and what to do."""


class UsageError(AutogradeError):
    """The command line asks for something that does not exist or cannot work."""


class SpecError(AutogradeError):
    """An assignment's spec, probes or reference solution is broken."""


class SubmissionError(AutogradeError):
    """The submission file cannot be turned into Python source."""


class SandboxError(AutogradeError):
    """The chosen sandbox backend is unavailable or could not start."""
