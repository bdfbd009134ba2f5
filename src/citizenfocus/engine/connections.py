"""Responses held in a warehouse: an Ibis connection URL or a configured backend, read in place.

`--input` takes, besides a CSV or Parquet file:

    duckdb:///srv/surveys.duckdb?table=uss_responses
    pyspark:///srv/spark-warehouse?table=uss_responses
    trino://analyst@trino.force.example:8080/hive/surveys?table=uss_responses
    bigquery://project-id/surveys?table=uss_responses
    backend:national          (a name in the TOML file that CITIZENFOCUS_BACKENDS names)

The table must have the import format's columns (as a survey export does); the
engine then sends the same GROUP BY it sends to DuckDB, and only the sums come
back. `table` (and optionally `database`, the schema or dataset) are ours; every
other query parameter goes to the backend, as Ibis's own `ibis.connect` takes it.
"""

from __future__ import annotations

import os
import tomllib
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import ibis

from citizenfocus.surveys.definition import SurveyDefinition

from .sources import Source, SourceError, open_table_source

BACKENDS_SETTING = "CITIZENFOCUS_BACKENDS"
CONFIGURED_PREFIX = "backend:"
# What to install for a backend Ibis names by its URL scheme, said when the package is missing.
INSTALL = {
    "pyspark": "pip install 'ibis-framework[pyspark]' and a Java runtime (Debian: openjdk-17-jre-headless)",
    "trino": "pip install 'ibis-framework[trino]'",
    "bigquery": "pip install 'ibis-framework[bigquery]' and Google application default credentials",
}


def is_connection(text: str) -> bool:
    """Whether `--input` names a connection (a URL or a configured backend) rather than a file."""
    return text.startswith(CONFIGURED_PREFIX) or "://" in text


def open_connection_source(text: str, definition: SurveyDefinition, *,
                           connect: Callable[[str], ibis.BaseBackend] = ibis.connect, shares: bool = False) -> Source:
    """The table a connection URL (or a configured backend's name) points to, as survey responses."""
    url = configured_url(text[len(CONFIGURED_PREFIX):]) if text.startswith(CONFIGURED_PREFIX) else text
    connect_url, table, database = split_table(url)
    described = redact(url)
    scheme = urllib.parse.urlsplit(connect_url).scheme
    try:
        con = connect(connect_url)
    except ImportError as exc:
        hint = INSTALL.get(scheme, f"pip install 'ibis-framework[{scheme}]'")
        raise SourceError(f"{described}: the {scheme} backend is not installed ({hint}; {exc})") from None
    except Exception as exc:  # each backend raises its own connection errors
        raise SourceError(f"{described}: cannot connect ({_first_line(exc)})") from None
    try:
        raw = con.table(table, database=database) if database else con.table(table)
    except Exception as exc:
        raise SourceError(f"{described}: no table {table!r} ({_first_line(exc)})") from None
    return open_table_source(raw, definition, description=described, shares=shares)


def split_table(url: str) -> tuple[str, str, str | None]:
    """(the URL Ibis connects with, the table, its database or schema) from a connection URL."""
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme:
        raise SourceError(f"{url!r} is not a connection URL (expected scheme://...?table=NAME)")
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    ours = {k: v for k, v in query if k in ("table", "database")}
    if not ours.get("table"):
        raise SourceError(f"{redact(url)}: say which table holds the responses, e.g. ?table=uss_responses")
    rest = urllib.parse.urlencode([(k, v) for k, v in query if k not in ours])
    # Cut the query off the text itself: urlunsplit would fold 'duckdb:////srv/x' (no host) to '//srv/x'.
    bare = url.split("?", 1)[0]
    return (f"{bare}?{rest}" if rest else bare), ours["table"], ours.get("database") or None


def configured_url(name: str) -> str:
    """The URL of a backend named in the TOML file CITIZENFOCUS_BACKENDS points to.

        [backends.national]
        url = "trino://analyst@trino.force.example:8080/hive/surveys"
        table = "uss_responses"

    Keeping URLs in a file (readable by the analysts' group only) keeps passwords off command lines.
    """
    setting = os.environ.get(BACKENDS_SETTING)
    if not setting:
        raise SourceError(f"backend {name!r}: set {BACKENDS_SETTING} to the TOML file that names it")
    path = Path(setting)
    try:
        backends = tomllib.loads(path.read_text(encoding="utf-8")).get("backends", {})
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path}: not valid TOML ({exc})") from None
    entry = backends.get(name)
    if not isinstance(entry, dict) or not entry.get("url"):
        known = ", ".join(sorted(backends)) or "none"
        raise SourceError(f"{path}: no backend {name!r} with a url (backends named there: {known})")
    url = str(entry["url"])
    extra = {k: str(entry[k]) for k in ("table", "database") if entry.get(k)}
    if extra:
        url += ("&" if urllib.parse.urlsplit(url).query else "?") + urllib.parse.urlencode(extra)
    return url


def redact(url: str) -> str:
    """The URL without its password, for messages and descriptions."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
