"""Read a submission from disk into the Python source the harness will run."""

from __future__ import annotations

import hashlib
import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import SubmissionError, UsageError
from autograder.notebook import LineMap, notebook_to_script

SUFFIXES = (".py", ".ipynb")
MAX_BYTES = {".py": 2**20, ".ipynb": 50 * 2**20}
"""A homework is kilobytes; a notebook may carry plots. Beyond this, it is not a homework
(and parsing it would cost the grader, outside any sandbox, gigabytes)."""


@dataclass(frozen=True)
class Submission:
    path: Path
    sha256: str
    source: str
    cells: LineMap | None = None
    """For notebooks: where each line of `source` sits in the notebook."""

    @property
    def is_notebook(self) -> bool:
        return self.cells is not None

    def relabel(self, text: str, entry: str) -> str:
        """Speak of the notebook's cells, not of the script made from it.

        Messages name `entry` (hw1.py) and its line numbers; for a notebook
        those point into a file the student never saw.
        """
        if self.cells is None or not text:
            return text
        name = self.path.name
        entry_re = re.escape(entry)
        text = re.sub(
            rf"{entry_re}, line (\d{{1,9}})", lambda m: f"{name}, {self.cell_of(int(m[1]))}", text
        )
        text = re.sub(
            rf"{entry_re} has a syntax error at line (\d{{1,9}})",
            lambda m: f"{name} has a syntax error in {self.cell_of(int(m[1]))}",
            text,
        )
        return text.replace(entry, self.path.name)

    def cell_of(self, line: int) -> str:
        """`code cell 3, line 2` for a line of the converted script."""
        if self.cells is None or line not in self.cells:
            return f"line {line}"
        cell, within = self.cells[line]
        return f"code cell {cell}, line {within}"

    @property
    def is_empty(self) -> bool:
        return not self.source.strip()


def read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise UsageError(f"{path}: no such file; give the path to your hw*.py or hw*.ipynb")
    if path.is_dir():
        raise UsageError(f"{path}: is a directory; give the path to your .py or .ipynb file")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(f"{path}: not a .py or .ipynb file; submit your Python file or notebook")
    # A link could point a class's grading run at the reference or /dev/zero;
    # a FIFO would hang it. Only a plain file is a submission.
    if path.is_symlink() or not path.is_file():
        raise UsageError(f"{path}: not a regular file (a link or device); submit the file itself")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES[suffix]:
            raise UsageError(
                f"{path}: {size / 2**20:.1f} MiB is too large for a submission (limit "
                f"{MAX_BYTES[suffix] // 2**20} MiB); submit the source file only"
            )
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(
            f"{path}: cannot be read ({exc.strerror}); check its permissions"
        ) from None


def load_submission(path: Path, raw: bytes | None = None) -> Submission:
    """Raises UsageError for a file that is not there, SubmissionError for one that
    is there but is not Python (not UTF-8, a broken notebook). `raw`: the bytes,
    when the caller already read them."""
    raw = read_bytes(path) if raw is None else raw
    digest = hashlib.sha256(raw).hexdigest()
    if path.suffix.lower() == ".ipynb":
        source, cells = notebook_to_script(path, raw)
        return Submission(path=path, sha256=digest, source=source, cells=cells)
    return Submission(path=path, sha256=digest, source=decode_source(path, raw))


_CODING_COOKIE = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def decode_source(path: Path, raw: bytes) -> str:
    """Bytes to text as Python itself would: UTF-8 unless a PEP 263 line says otherwise.

    The text is handed on as UTF-8, so a declaration of another encoding is
    blanked (same line count) lest it be applied a second time.
    """
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as exc:
        if "unknown encoding" in str(exc.msg):
            raise SubmissionError(
                f"{path}: {exc.msg}; save the file as UTF-8 and submit again"
            ) from None
        encoding = "utf-8"  # undecodable without a declaration: say which byte below
    try:
        text = raw.decode(encoding)
    except LookupError:  # a codec Python knows, but not one for text (rot13)
        raise SubmissionError(
            f"{path}: declares the encoding {encoding}, which is not a text encoding; "
            "save the file as UTF-8 and submit again"
        ) from None
    except UnicodeDecodeError as exc:
        raise SubmissionError(
            f"{path}: not {'UTF-8' if encoding.startswith('utf-8') else encoding} text "
            f"(byte {exc.start} is {raw[exc.start]:#04x}); save the file as UTF-8 and submit again"
        ) from None
    lines = text.removeprefix("\ufeff").split("\n")
    for number in range(min(2, len(lines))):
        if _CODING_COOKIE.match(lines[number]):
            lines[number] = f"# (encoding declaration {encoding}: converted to UTF-8 by autograde)"
    return "\n".join(lines)
