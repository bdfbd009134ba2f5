"""Where responses come from: an export file (CSV or Parquet, read by DuckDB) or the stored responses.

Both give an Ibis table in the canonical shape (engine.columns), so everything
after this module is one code path for DuckDB, SQLite and PostgreSQL.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import ibis
import ibis.expr.types as ir

from citizenfocus.surveys.definition import (
    DefinitionError,
    Measure,
    SurveyDefinition,
    get_definition,
    parse_definition,
)
from citizenfocus.surveys.packing import WIDTH as PACKED_WIDTH

from .columns import DATE_COLUMNS, TEXT_COLUMNS
from .file_columns import answer_maps, canonical_file_table, match_headers, parquet_ranges


class SourceError(ValueError):
    """A source cannot be read as survey responses; the message says which and why."""


@dataclass(frozen=True)
class Source:
    """Responses in the canonical shape, with the survey definition that gives them meaning.

    `make_table` builds the canonical Ibis table, once, on the first read of `table`: a request the
    persisted cube answers (engine.stored.cube_for: the board suite from the stored database) never
    builds the joins of the stored responses at all.
    """

    make_table: Callable[[], ir.Table]
    definition: SurveyDefinition
    description: str
    measures: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())
    # The survey key when these are the stored responses of Django's own database, read with the stored
    # definition: the persisted monthly sums (engine.stored) then answer for them without a scan.
    stored_survey: str | None = None

    @cached_property
    def table(self) -> ir.Table:
        return self.make_table()

    def require_measure(self, key: str) -> None:
        """Refuse a measure the survey does not have, or the source holds no answers to."""
        try:
            self.definition.measure(key)
        except KeyError as exc:
            raise SourceError(exc.args[0]) from None
        if key not in self.measures:
            raise SourceError(f"{self.description} has no column for measure {key!r}")


FILE_READERS = {".parquet": "read_parquet", ".pq": "read_parquet", ".csv": "read_csv", ".txt": "read_csv"}


def open_file_source(path: str | Path, definition: SurveyDefinition, *, shares: bool = False) -> Source:
    """A CSV or Parquet export (the import format's columns), read in place by DuckDB.

    Answers may be codes or labels: the distinct values of each answer column are
    read once and mapped through the survey's scale, so the per-row work is an
    exact IN-list match. Values the scale does not know are left out of the base
    and named in `warnings`, never silently. `shares`: see open_table_source.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceError(f"{path}: no such file")
    reader = FILE_READERS.get(path.suffix.lower())
    if reader is None:
        raise SourceError(f"{path}: not a CSV or Parquet file (expected .csv or .parquet)")
    raw = _read_file(path, reader)
    known = None
    if reader == "read_parquet":
        known = lambda columns: parquet_ranges(path, columns)  # noqa: E731 - footer statistics, no scan
    return open_table_source(raw, definition, description=str(path), known=known, shares=shares)


def open_table_source(raw: ir.Table, definition: SurveyDefinition, *, description: str, known=None,
                      shares: bool = False) -> Source:
    """Any Ibis table with the import format's columns (a file's view, a Spark or warehouse table).

    `known`, if given, returns (min, max) of some columns without a scan (a Parquet footer). With
    `shares`, the measures are each question's answer-code shares (its distribution) instead of the
    definition's measures.
    """
    headers = match_headers(raw.columns, definition)
    for required in ("interview_date", "ethnicity"):
        if required not in headers:
            raise SourceError(f"{description}: no {required} column")
    ranges = known(list(headers.values())) if known is not None else {}
    maps, warnings = answer_maps(raw, headers=headers, definition=definition, known=ranges)
    wanted = definition.all_share_measures if shares else definition.measures
    table = canonical_file_table(raw, headers=headers, definition=definition, maps=maps, measures=wanted)
    measures = tuple(m.key for m in wanted if m.item_key in headers)
    return Source(lambda: table, definition, description, measures, tuple(warnings))


_thread = threading.local()


def _duckdb() -> ibis.BaseBackend:
    """One in-memory DuckDB per thread, reused: connecting costs more than a small query."""
    con = getattr(_thread, "duckdb", None)
    if con is None:
        con = _thread.duckdb = ibis.duckdb.connect()
    return con


def _read_file(path: Path, reader: str) -> ir.Table:
    """The file as a DuckDB view, named after its path, size and time, so re-opening reuses it."""
    stat = path.stat()
    key = f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    name = "file_" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:16]
    con = _duckdb()
    views = _thread.__dict__.setdefault("views", {})
    if name not in views:
        try:
            views[name] = getattr(con, reader)(str(path), table_name=name)
        except Exception as exc:  # DuckDB raises several error classes for unreadable files
            raise SourceError(f"{path}: cannot be read ({_first_line(exc)})") from None
    return views[name]


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


# Connection settings Django passes to libpq that matter for reading (TLS, timeouts, search path).
LIBPQ_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "options", "application_name")


def connect_database(database: dict) -> ibis.BaseBackend:
    """An Ibis connection to the database Django uses (a settings.DATABASES entry)."""
    engine = database.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        name = Path(str(database.get("NAME", "")))
        if not name.is_file():
            raise SourceError(f"{name}: no such SQLite database")
        return ibis.sqlite.connect(str(name))
    if "postgresql" in engine:
        params = {
            "host": database.get("HOST") or None,
            "port": int(database["PORT"]) if database.get("PORT") else None,
            "user": database.get("USER") or None,
            "password": database.get("PASSWORD") or None,
            "database": database.get("NAME"),
        }
        options = database.get("OPTIONS") or {}
        params.update({k: v for k, v in options.items() if k in LIBPQ_OPTIONS})
        try:
            return ibis.postgres.connect(**{k: v for k, v in params.items() if v is not None})
        except Exception as exc:  # psycopg's OperationalError and friends
            raise SourceError(f"cannot connect to PostgreSQL ({_first_line(exc)})") from None
    raise SourceError(f"database engine {engine!r} is not supported (SQLite or PostgreSQL)")


def _django_database() -> dict | None:
    """Django's database; None where Django is not set up (a command given a database path of its own)."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        return settings.DATABASES["default"]
    except ImproperlyConfigured:
        return None


def open_db_source(
    definition_key: str,
    *,
    definition: SurveyDefinition | None = None,
    database: dict | None = None,
    shares: bool = False,
    where=None,
) -> Source:
    """The stored responses of one survey, joined to area names, in the canonical shape.

    Connects Ibis to the same database as Django (settings.DATABASES['default']
    unless `database` is given). The definition defaults to the one stored with
    the survey, so a force's own ethnicity grouping or deft is the one used. With `shares`, the
    measures are each question's share measures (one per answer code: its distribution) instead.
    `where(r)`, if given, narrows the responses (the surveys_response table) before their answers are
    pivoted: a page that reads one period passes its dates, so only that period's answers are looked up,
    by the response index.
    """
    django = _django_database()
    if database is None and django is None:
        raise SourceError("no database: set DATABASE_URL or give the database's path or URL")
    own = database is None or (django is not None and _same_database(database, django))
    con = connect_database(database if database is not None else django)
    try:
        surveys = con.table("surveys_survey")
    except Exception:
        raise SourceError("the database has no survey tables (run `citizenfocus migrate`)") from None
    found = surveys.filter(surveys.key == definition_key).select("id", "definition_toml").to_pyarrow()
    if found.num_rows == 0:
        raise SourceError(f"survey {definition_key!r} is not in the database")
    survey_id = found.column("id")[0].as_py()
    stored = definition is None
    if definition is None:
        definition = _stored_definition(definition_key, found.column("definition_toml")[0].as_py())
    measures = definition.all_share_measures if shares else definition.measures

    def table() -> ir.Table:  # built when first read (Source.table), so a persisted cube's answer never joins
        return _canonical_db_table(con, survey_id=survey_id, definition=definition, measures=measures, where=where)

    return Source(table, definition, f"stored responses of survey {definition_key!r}",
                  tuple(m.key for m in measures), stored_survey=definition_key if own and stored else None)


def _same_database(one: dict, other: dict) -> bool:
    """Whether two settings.DATABASES entries name the same database."""
    if one.get("ENGINE") != other.get("ENGINE"):
        return False
    if str(one.get("ENGINE", "")).endswith("sqlite3"):
        return Path(str(one.get("NAME", ""))).resolve() == Path(str(other.get("NAME", ""))).resolve()
    return all(one.get(k) == other.get(k) for k in ("NAME", "HOST", "PORT"))


def _stored_definition(key: str, toml_text: str | None) -> SurveyDefinition:
    try:
        return parse_definition(tomllib.loads(toml_text or ""), source=f"survey {key}")
    except (tomllib.TOMLDecodeError, DefinitionError):
        return get_definition(key)


@functools.lru_cache(maxsize=64)
def parsed_definition(key: str, toml_text: str | None) -> SurveyDefinition:
    """_stored_definition, parsed once per survey key and definition text (a dashboard request reads the text,
    not a parse of it: the definition is immutable, and a changed text is another key)."""
    return _stored_definition(key, toml_text)


def packed_code(codes: ir.StringValue, slot: int | None) -> ir.IntegerValue:
    """One question's code from a response's packed codes (surveys/packing.py: two characters at 2·slot),
    NULL when not answered (two spaces, or past the text's end) or when the survey never stored the
    question (slot None). Plain string functions, which every Ibis backend runs."""
    if slot is None:
        return ibis.null("int16")
    return codes.substr(slot * PACKED_WIDTH, PACKED_WIDTH).strip().nullif("").cast("int16")


def stored_slots(con: ibis.BaseBackend, survey_id: int) -> dict[str, int]:
    """question → slot of a stored survey's packed codes (surveys_surveyitem)."""
    items = con.table("surveys_surveyitem")
    found = items.filter(items.survey_id == survey_id).select("item", "slot").to_pyarrow()
    return dict(zip(found.column("item").to_pylist(), found.column("slot").to_pylist(), strict=True))


def measure_outcome(code: ir.IntegerValue, measure: Measure) -> ir.IntegerValue:
    """1 / 0 / NULL for one measure, derived from its question's code (satisfied = 1-3, and so on)."""
    positive, negative = measure.outcome_codes()
    one, zero = ibis.literal(1, "int8"), ibis.literal(0, "int8")
    return ibis.cases((code.isin(sorted(positive)), one), (code.isin(sorted(negative)), zero),
                      else_=ibis.null("int8"))


def _canonical_db_table(con: ibis.BaseBackend, *, survey_id: int, definition: SurveyDefinition,
                        measures: tuple[Measure, ...], where=None, wide: bool = False,
                        with_codes: bool = False, slots: dict[str, int] | None = None) -> ir.Table:
    """surveys_response with its answers' codes (a column per question, read from its packed codes at each
    question's slot) and joined to division, neighbourhood and ward names (left joins: areas below the
    division are optional). `where(r)`, if given, narrows the responses first (engine.stored's months).

    `wide`: con's surveys_response already holds one code column per question (an import's checked rows,
    engine.stored's refresh of the months only that import holds), so there are no codes to unpack; the
    rest (areas, measures derived from codes) is the same. `with_codes`: each question's code column too
    (with no measures, whose keys may be the questions': engine.stored counts the answer-code shares from
    them). `slots`: the survey's questions' slots in the packed codes, when con's tables cannot be read here
    (None: read from con's surveys_surveyitem)."""
    r = con.table("surveys_response")
    r = r.filter(r.survey_id == survey_id)
    if where is not None:
        r = r.filter(where(r))
    if not wide:
        slots = stored_slots(con, survey_id) if slots is None else slots
        r = r.mutate(**{item: packed_code(r.answer_codes, slots.get(item)) for item in definition.item_keys})
    joined = _with_areas(con, r, r)
    columns = _response_columns(joined)
    columns.update({m.key: measure_outcome(joined[m.item_key], m) for m in measures})
    columns["weight"] = joined.weight.cast("float64")
    columns["response_id"] = joined.response_id
    if with_codes:
        columns.update({item: joined[item] for item in definition.item_keys})
    return joined.select(**columns)


def _with_areas(con: ibis.BaseBackend, joined: ir.Table, r: ir.Table) -> ir.Table:
    """The responses (`r`, or a join of it) joined to their division, neighbourhood and ward names (left
    joins: areas below the division are optional)."""
    divisions = con.table("areas_division").select(division_pk="id", division="name")
    neighbourhoods = con.table("areas_neighbourhood").select(neighbourhood_pk="id", neighbourhood="name")
    wards = con.table("areas_ward").select(ward_pk="id", ward="name")
    return (
        joined.left_join(divisions, r.division_id == divisions.division_pk)
        .left_join(neighbourhoods, r.neighbourhood_id == neighbourhoods.neighbourhood_pk)
        .left_join(wards, r.ward_id == wards.ward_pk)
    )


def _response_columns(joined: ir.Table) -> dict:
    """The canonical shape's dates and text columns of the responses joined to their areas' names."""
    columns = {name: joined[name] for name in DATE_COLUMNS}
    columns.update({name: joined[name].cast("string") for name in TEXT_COLUMNS})
    return columns
