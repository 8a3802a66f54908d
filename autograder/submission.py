"""Read a submission from disk into the Python source the harness will run."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import SubmissionError, UsageError
from autograder.notebook import notebook_to_script

SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class Submission:
    path: Path
    sha256: str
    source: str

    @property
    def is_empty(self) -> bool:
        return not self.source.strip()


def read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise UsageError(f"{path}: no such file; give the path to your hw*.py or hw*.ipynb")
    if path.is_dir():
        raise UsageError(f"{path}: is a directory; give the path to your .py or .ipynb file")
    if path.suffix not in SUFFIXES:
        raise UsageError(f"{path}: not a .py or .ipynb file; submit your Python file or notebook")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(
            f"{path}: cannot be read ({exc.strerror}); check its permissions"
        ) from None


def load_submission(path: Path) -> Submission:
    """Raises UsageError for a file that is not there, SubmissionError for one that
    is there but is not Python (not UTF-8, a broken notebook)."""
    raw = read_bytes(path)
    digest = hashlib.sha256(raw).hexdigest()
    if path.suffix == ".ipynb":
        source = notebook_to_script(path, raw)
    else:
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SubmissionError(
                f"{path}: not UTF-8 text (byte {exc.start} is {raw[exc.start]:#04x}); "
                "save the file as UTF-8 and submit again"
            ) from None
        source = source.removeprefix("\ufeff")
    return Submission(path=path, sha256=digest, source=source)
