"""Which seed draws a submission's hidden inputs, and who may know it.

With a course secret (`AUTOGRADE_SECRET`, or `--secret-file PATH`) every
submission gets its own seed, an HMAC of its content: a resubmission with
numbers copied from feedback meets new inputs, and the seed is never shown.
Without one, the assignment's public seed is used, and the report says so.
`--seed N` pins a seed (an instructor reproducing a run).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from autograder.errors import UsageError

SECRET_ENV = "AUTOGRADE_SECRET"
MAX_SECRET_BYTES = 4096

SeedSource = Literal["secret", "pinned", "public"]


@dataclass(frozen=True)
class SeedChoice:
    seed: int
    source: SeedSource

    @property
    def shown(self) -> int | None:
        """What a report may print: never a seed derived from the secret."""
        return None if self.source == "secret" else self.seed


def read_secret(secret_file: Path | None = None) -> bytes | None:
    """The course secret: `secret_file` if given, else $AUTOGRADE_SECRET, else none."""
    if secret_file is not None:
        try:
            if secret_file.stat().st_size > MAX_SECRET_BYTES:
                raise UsageError(
                    f"{secret_file}: a secret file holds a short secret (at most "
                    f"{MAX_SECRET_BYTES} bytes); point --secret-file at the secret itself"
                )
            secret = secret_file.read_bytes().strip()
        except OSError as exc:
            raise UsageError(
                f"{secret_file}: cannot read the secret file ({exc.strerror}); check --secret-file"
            ) from None
        if not secret:
            raise UsageError(f"{secret_file}: the secret file is empty; write a secret into it")
        return secret
    value = os.environ.get(SECRET_ENV, "")
    return value.encode() if value else None


def choose_seed(
    *,
    public_seed: int,
    pinned: int | None,
    secret: bytes | None,
    assignment_id: str,
    sha256: str,
) -> SeedChoice:
    if pinned is not None:
        return SeedChoice(pinned, "pinned")
    if secret is None:
        return SeedChoice(public_seed, "public")
    digest = hmac.new(secret, f"{assignment_id}\0{sha256}".encode(), hashlib.sha256).digest()
    return SeedChoice(int.from_bytes(digest[:8], "big") >> 1, "secret")


PUBLIC_SEED_HINT = f"anyone can reproduce it; set {SECRET_ENV} for inputs per submission"
