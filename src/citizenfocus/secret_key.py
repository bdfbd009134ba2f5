"""Where a laptop installation keeps its secret key: in a file beside its SQLite database.

`citizenfocus demo` makes the file; every later command and `citizenfocus serve` against the
same database reads it, so none of them needs SECRET_KEY set. SECRET_KEY in the environment
always wins (and is the way on PostgreSQL, where there is no file to sit beside).
"""

from __future__ import annotations

import secrets
from pathlib import Path

FILE_NAME = ".citizenfocus-secret-key"


def key_file_for(database: Path) -> Path:
    return Path(database).with_name(FILE_NAME)


def read_key_beside(database: Path) -> str | None:
    try:
        return key_file_for(database).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def make_key_beside(database: Path) -> str:
    """The key beside the database, made (readable by its owner only) when there is none yet."""
    key_file = key_file_for(database)
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return read_key_beside(database) or ""
