"""Backing up and restoring the whole database, while the server runs.

SQLite: the online backup API (sqlite3.Connection.backup), which copies a consistent
snapshot page by page through SQLite's own locking. Never a file copy: in WAL mode the
database file alone misses every change still in the -wal file, and a copy taken during
a write is torn. PostgreSQL: pg_dump's custom format (one consistent snapshot), restored
with pg_restore --clean. Either way a backup is one file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, for a person."""


@dataclass(frozen=True)
class Database:
    vendor: str  # "sqlite" or "postgresql"
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, settings_dict: dict) -> Database:
        engine = settings_dict["ENGINE"]
        vendor = "sqlite" if engine.endswith("sqlite3") else "postgresql" if "postgresql" in engine else engine
        return cls(vendor=vendor, name=str(settings_dict["NAME"]), host=settings_dict.get("HOST") or "",
                   port=str(settings_dict.get("PORT") or ""), user=settings_dict.get("USER") or "",
                   password=settings_dict.get("PASSWORD") or "")

    def pg_env(self) -> dict:
        env = {**os.environ, "PGDATABASE": self.name}
        for key, value in (("PGHOST", self.host), ("PGPORT", self.port), ("PGUSER", self.user),
                           ("PGPASSWORD", self.password)):
            if value:
                env[key] = value
        return env


def database_backup(*, database: Database, target: Path) -> Path:
    """One file holding the whole database as it was at one moment."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} already exists: choose a new file name (a backup never overwrites one)")
    target.parent.mkdir(parents=True, exist_ok=True)
    if database.vendor == "sqlite":
        _sqlite_copy(Path(database.name), target)
    elif database.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], database)
    else:
        raise BackupError(f"cannot back up a {database.vendor} database: only SQLite and PostgreSQL")
    return target


def database_restore(*, database: Database, source: Path) -> None:
    """Replace the whole database with a backup made by database_backup."""
    source = Path(source)
    try:
        with source.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise BackupError(f"cannot read {source}: {exc.strerror or exc}") from exc
    if database.vendor == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} is not a SQLite backup (a PostgreSQL backup restores only into PostgreSQL)")
        _sqlite_copy(source, Path(database.name), check=True)
    elif database.vendor == "postgresql":
        if not head.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{source} is not a pg_dump backup (a SQLite backup restores only into SQLite)")
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", f"--dbname={database.name}", str(source)], database)
    else:
        raise BackupError(f"cannot restore into a {database.vendor} database: only SQLite and PostgreSQL")


def _sqlite_copy(source: Path, target: Path, *, check: bool = False) -> None:
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    try:
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)) as reader:
            if check and reader.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is damaged (SQLite's quick check failed): it was not restored")
            with closing(sqlite3.connect(target, timeout=30)) as writer:
                reader.backup(writer, pages=1024)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not copy {source} to {target}: {exc}") from exc


def _run(command: list[str], database: Database) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed: install PostgreSQL's client tools "
                          "(Debian: apt-get install postgresql-client) and try again")
    result = subprocess.run(command, env=database.pg_env(), capture_output=True, text=True)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise BackupError(f"{command[0]} failed: {lines[-1] if lines else f'exit status {result.returncode}'}")
