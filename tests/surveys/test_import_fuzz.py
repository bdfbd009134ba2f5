"""Fuzzing the import: a few hundred generated files per run, seeded, most of them bad.

For every file: refused → the database is unchanged (a checksum of every table) and a refusal is
recorded, naming the row and column that were spoiled; accepted → every stored value equals
what the file says, read by the simple, strict oracle below (which knows only the spellings the
generator writes). A value the oracle cannot read that the import accepted is a miscoding.

CITIZENFOCUS_FUZZ_SEED and CITIZENFOCUS_FUZZ_FILES change the run (the suite's run is fixed).
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.apps import apps

from citizenfocus.surveys.definition import get_definition
from citizenfocus.surveys.importing import ImportRefused, survey_import
from citizenfocus.surveys.importing.columns import header_key
from citizenfocus.surveys.importing.errors import shown
from citizenfocus.surveys.importing.service import UNEXPECTED
from citizenfocus.surveys.models import ImportBatch, Response

from .conftest import TODAY, USS_COLUMNS
from .damaged import write_xlsx

pytestmark = pytest.mark.django_db

SEED = int(os.environ.get("CITIZENFOCUS_FUZZ_SEED", "20131201"))
FILES = int(os.environ.get("CITIZENFOCUS_FUZZ_FILES", "300"))
USS = get_definition("uss")
MEASURES = [i.key for i in USS.items]
PLACES = [("Northern", "Hightown Central", "Castle"), ("Northern", "Hightown East", "Abbey"),
          ("Southern", "Riverside", "Quayside"), ("Southern", "Riverside", ""), ("", "Hightown East", "")]
COMMENTS = ["", "Kept me informed", 'He said "thanks", twice', "Polite; helpful | quick", "Très bien",
            "Line one\nline two", "  padded  "]
BAD_VALUES = {
    "age_band": ["-5", "-1", "(7)", "(3)", "-16", "0", "200", "16-23", "abc", "5"],
    "weight": ["1e308", "nan", "inf", "-1", "0", "2e6", "1e-9", "abc", "1,2,3", "-inf"],
    "treatment": ["0", "10", "-1", "3.5", "x", "(2)", "-3"],
    "whole_experience": ["11", "-9", "1e9"],
    "ethnicity": ["W9", "Z1", "-1", "(W1)", "-W1"],
    "sex": ["Robot", "-1", "(m)", "mf"],
    "disability": ["maybe", "2", "-1", "(0)"],
    "recontact_consent": ["maybe", "2", "-1", "(1)"],
    "crime_type": ["burglar", "7", "", "-asb"],
    "interview_date": ["31/02/2013", "2013-13-01", "2099-01-01", "not a date", ""],
    "neighbourhood": ["Nowhere", "-Riverside"],
    "response_id": ["", "x" * 65],
}
NASTY_COLUMNS = [*MEASURES, "age_band", "weight", "sex", "disability", "ethnicity", "recontact_consent"]
NASTY_ALPHABET = "0123456789-+.,()=@ aAxé\t"


class Unreadable(Exception):
    pass


# The oracle: what each cell the generator writes means, strictly ----------------------------

def _text(raw) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return "" if raw is None else str(raw).strip()


def _plain(text: str) -> bool:
    return text[:1].isalnum() and (text[-1:].isalnum() or text[-1:] == "+")


def _named(text: str, names: dict[str, str]) -> str:
    """A name matched ignoring case, spaces and inner punctuation, never by a leading sign."""
    if not _plain(text):
        raise Unreadable(text)
    try:
        return names[header_key(text)]
    except KeyError:
        raise Unreadable(text) from None


def oracle_answer(raw, scale) -> int | None:
    text = _text(raw)
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        code = {header_key(v): k for k, v in scale.labels.items()}.get(header_key(text)) if _plain(text) else None
    else:
        code = int(number) if number.is_integer() and int(number) in scale.labels else None
    if code is None:
        raise Unreadable(text)
    return code


def oracle_age(raw) -> str:
    text = _text(raw)
    if text == "":
        return "Not stated"
    if re.fullmatch(r"\d{1,3}(\.\d+)?", text):
        age = float(text)
        if age > 120:
            raise Unreadable(text)
        for band in USS.age_bands:
            if m := re.fullmatch(r"(\d+)-(\d+)", band):
                if int(m[1]) <= age < int(m[2]) + 1:
                    return band
            elif m := re.fullmatch(r"(\d+)\+", band):
                if age >= int(m[1]):
                    return band
        raise Unreadable(text)
    names = {header_key(b): b for b in USS.age_bands}
    names |= {header_key(f"{lo} to {hi}"): f"{lo}-{hi}" for lo, hi in (b.split("-") for b in USS.age_bands if "-" in b)}
    names |= {"75 and over": "75+", "not stated": "Not stated"}
    return _named(text, names)


def oracle_choice(raw, values, *, extra=None) -> str:
    text = _text(raw)
    if text == "":
        return "Not stated"
    names = {header_key(v): v for v in values} | {"not stated": "Not stated"} | (extra or {})
    if len(text) == 1 and text.isalpha():
        matches = [v for v in values if v.lower().startswith(text.lower())]
        if len(matches) == 1:
            return matches[0]
    return _named(text, names)


def oracle_weight(raw) -> float:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return 1.0
    text = _text(raw)
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        weight = float(text)
    except ValueError:
        raise Unreadable(text) from None
    if not (math.isfinite(weight) and 1e-6 <= weight <= 1e6):
        raise Unreadable(text)
    return weight


def oracle_consent(raw) -> bool | None:
    text = _text(raw)
    if text == "":
        return None
    words = {"yes": True, "y": True, "true": True, "t": True, "1": True,
             "no": False, "n": False, "false": False, "f": False, "0": False}
    return _named(text, words)


def oracle_date(raw) -> date | None:
    text = _text(raw)
    if text == "":
        return None
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d\d)/(\d\d)/(\d{4})", text):
        return date(int(m[3]), int(m[2]), int(m[1]))
    raise Unreadable(text)


def oracle_row(cells: dict, areas: dict) -> dict:
    """The stored values the file's row must become."""
    division, hood, ward = (_text(cells.get(c)) for c in ("division", "neighbourhood", "ward"))
    ethnicity = _text(cells["ethnicity"])
    codes = {header_key(c): c for c in USS.ethnicity_labels} | {header_key(v): c for c, v in USS.ethnicity_labels.items()}
    expected = {
        "interview_date": oracle_date(cells["interview_date"]),
        "incident_date": oracle_date(cells.get("incident_date")),
        "crime_type": _named(_text(cells["crime_type"]), {header_key(c.key): c.key for c in USS.crime_types}
                             | {header_key(c.label): c.key for c in USS.crime_types}),
        "division_id": areas[hood or division].division_id if hood else areas[division].pk,
        "neighbourhood_id": areas[hood].pk if hood else None,
        "ward_id": areas[ward].pk if ward else None,
        "ethnicity": _named(ethnicity, codes) if ethnicity else "NS",
        "age_band": oracle_age(cells.get("age_band")),
        "sex": oracle_choice(cells.get("sex"), USS.sexes),
        "disability": oracle_choice(cells.get("disability"), USS.disabilities,
                                    extra={w: "Yes" for w in ("yes", "y", "true", "t", "1")}
                                    | {w: "No" for w in ("no", "n", "false", "f", "0")}),
        "weight": oracle_weight(cells.get("weight")),
        "recontact_consent": oracle_consent(cells.get("recontact_consent")),
        "comment": _text(cells.get("comment")),
    }
    expected["answers"] = {
        item.key: code for item in USS.items if (code := oracle_answer(cells[item.key], item.scale)) is not None
    }
    return expected


# The generator ----------------------------------------------------------------------------

@dataclass
class Case:
    kind: str
    fmt: str
    rows: list[dict]
    columns: list[str]
    must_name: tuple | None = None  # (row, column, value) a refusal must name
    must_refuse: bool = False
    nasty: tuple | None = None  # (row, column): a random value; refused → it is named; stored → oracle
    damage: dict = field(default_factory=dict)


def _good_row(rng: random.Random, n: int) -> dict:
    interview = date(2012, 4, 1) + timedelta(days=rng.randrange(600))
    incident = interview - timedelta(days=rng.randrange(90))
    division, hood, ward = rng.choice(PLACES)
    scale = USS.measures[0].scale
    crime = rng.choice(USS.crime_types)
    ethnicity = rng.choice(list(USS.ethnicity_labels))
    row = {
        "response_id": f"F{n:05d}",
        "interview_date": interview.isoformat() if rng.random() < 0.7 else interview.strftime("%d/%m/%Y"),
        "incident_date": rng.choice(["", incident.isoformat()]),
        "crime_type": rng.choice([crime.key, crime.label, crime.label.upper()]),
        "division": division, "neighbourhood": hood, "ward": ward,
        "ethnicity": rng.choice([ethnicity, ethnicity.lower(), USS.ethnicity_labels[ethnicity], ""]),
        "age_band": rng.choice([*USS.age_bands, "35 to 44", str(rng.randrange(16, 99)), ""]),
        "sex": rng.choice([*USS.sexes, "m", "F", "female", ""]),
        "disability": rng.choice([*USS.disabilities, "1", "0", ""]),
        "weight": rng.choice(["", "1", "0.5", "2.25", "1.75", "1000000", "0.000001"]),
        "recontact_consent": rng.choice(["yes", "no", "Y", "n", "1", "0", "true", ""]),
        "comment": rng.choice(COMMENTS),
    }
    for measure in MEASURES:
        code = rng.choice([*scale.labels, None])
        row[measure] = "" if code is None else rng.choice([str(code), scale.labels[code], scale.labels[code].lower()])
    return row


def _nasty(rng: random.Random) -> str:
    return "".join(rng.choice(NASTY_ALPHABET) for _ in range(rng.randint(1, 5)))


def make_case(rng: random.Random, number: int) -> Case:
    fmt = rng.choices(["csv", "xlsx", "parquet"], weights=[6, 2, 2])[0]
    first = rng.randrange(1, 40)  # some ids already stored: those rows update
    rows = [_good_row(rng, first + i) for i in range(rng.randint(1, 8))]
    columns = list(USS_COLUMNS)
    case = Case(kind="clean", fmt=fmt, rows=rows, columns=columns)
    target = rng.randrange(len(rows))
    sheet_row = target + 2
    kinds = ["clean", "bad_value", "bad_value", "nasty", "nasty", "duplicate_id", "damaged"]
    kinds += {"csv": ["short_row", "cut", "nul"], "xlsx": ["formula"], "parquet": ["nul", "nan_weight"]}[fmt]
    case.kind = rng.choice(kinds)
    if case.kind == "bad_value":
        column = rng.choice(list(BAD_VALUES))
        value = rng.choice(BAD_VALUES[column])
        if column == "neighbourhood":
            rows[target]["division"] = rows[target]["ward"] = ""
        rows[target][column] = value
        case.must_name = (sheet_row, column, shown(value))
    elif case.kind == "nasty":
        column = rng.choice(NASTY_COLUMNS)
        rows[target][column] = _nasty(rng)
        case.nasty = (sheet_row, column)
    elif case.kind == "duplicate_id" and len(rows) > 1:
        rows[-1]["response_id"] = rows[0]["response_id"]
        case.must_name = (len(rows) + 1, "response_id", rows[0]["response_id"])
    elif case.kind == "nul":
        column = rng.choice(["comment", "response_id"])
        rows[target][column] = rows[target][column][:3] + "\x00" + rows[target][column][3:]
        case.must_name = (sheet_row, column, shown(rows[target][column]))
    elif case.kind == "formula":
        column = rng.choice([*MEASURES, "weight", "age_band", "comment", "ethnicity"])
        rows[target][column] = f"=1+{rng.randrange(5)}"
        case.must_name = (sheet_row, column, rows[target][column])
    elif case.kind == "nan_weight":
        case.damage["weights"] = {target: rng.choice([float("nan"), float("inf"), 1e308])}
        case.must_name = (sheet_row, "weight", None)
    elif case.kind == "short_row":
        case.damage["short"] = (target, rng.randrange(1, len(columns) - 1))
        case.must_refuse = True
    elif case.kind == "cut":
        case.damage["cut"] = (target, rng.random())
        case.must_refuse = True
    elif case.kind == "damaged":
        case.damage["bytes"] = (rng.random(), rng.choice(["cut", "overwrite"]), rng.randrange(1, 200))
    else:
        case.kind = "clean"
    return case


def _csv_records(case: Case) -> list[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    records = []
    for values in [case.columns] + [[r[c] for c in case.columns] for r in case.rows]:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        records.append(buffer.getvalue().encode("utf-8"))
    return records


def write_case(case: Case, folder: Path, number: int) -> Path:
    path = folder / f"fuzz-{number}.{case.fmt}"
    if case.fmt == "csv":
        records = _csv_records(case)
        if "short" in case.damage:
            target, keep = case.damage["short"]
            values = [case.rows[target][c] for c in case.columns[:keep]]
            records[target + 1] = _csv_records(Case("", "", [dict(zip(case.columns, values, strict=False))],
                                                    case.columns[:keep]))[1]
        if "cut" in case.damage:
            target, where = case.damage["cut"]
            records = records[: target + 2]
            content = records[-1].rstrip(b"\r\n")
            records[-1] = content[: 1 + int(where * (len(content) - 1))]
        path.write_bytes(b"".join(records))
    elif case.fmt == "xlsx":
        write_xlsx(path, case.rows, columns=case.columns)
    else:
        columns = {c: [r[c] for r in case.rows] for c in case.columns}
        if "weights" in case.damage:
            weights = [oracle_weight(w) for w in columns["weight"]]
            for target, weight in case.damage["weights"].items():
                weights[target] = weight
            columns["weight"] = pa.array(weights, type=pa.float64())
        pq.write_table(pa.table(columns), path, write_page_checksum=True)
    if "bytes" in case.damage:
        where, how, span = case.damage["bytes"]
        data = bytearray(path.read_bytes())
        at = int(where * (len(data) - 1))
        if how == "cut":
            data = data[:at]
        else:
            data[at: at + span] = bytes((b + 1) % 256 for b in data[at: at + span])
        path.write_bytes(bytes(data))
    return path


# The run ----------------------------------------------------------------------------------

def database_checksum(*, batches_up_to: int) -> str:
    """Every row of every table, in primary key order (import batches: those that already existed)."""
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.db_table):
        rows = model._default_manager.order_by("pk")
        if model is ImportBatch:
            rows = rows.filter(pk__lte=batches_up_to)
        digest.update(model._meta.db_table.encode())
        for row in rows.values_list(*[f.attname for f in model._meta.concrete_fields]):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _areas_by_name() -> dict:
    from citizenfocus.areas.models import Division, Neighbourhood, Ward

    found = {}
    for model in (Division, Neighbourhood, Ward):
        found |= {obj.name: obj for obj in model.objects.all() if obj.name not in found}
    return found


def _file_rows(path: Path, fmt: str) -> list[dict]:
    """The rows as the file holds them (after any damage), by our column names."""
    ours = {header_key(c): c for c in USS_COLUMNS}
    if fmt == "csv":
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        records = list(csv.reader(io.StringIO(text, newline="")))
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        records = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    else:
        table = pq.read_table(path)
        records = [table.column_names] + [list(r) for r in zip(*(c.to_pylist() for c in table.columns), strict=True)]
    header = [ours.get(header_key(h)) for h in records[0]]
    rows = []
    for record in records[1:]:
        if any(v not in (None, "") and str(v).strip() for v in record):
            rows.append({c: v for c, v in zip(header, record, strict=False) if c})
    return rows


def _check_stored(case: Case, path: Path, areas: dict) -> None:
    for row in _file_rows(path, case.fmt):
        try:
            expected = oracle_row(row, areas)
        except Unreadable as exc:
            pytest.fail(f"{case.kind} {case.fmt}: stored a value the oracle cannot read: {exc!s} in {row}")
        response = Response.objects.get(response_id=_text(row["response_id"]))
        stored = Response.objects.filter(pk=response.pk).values(*(k for k in expected if k != "answers")).get()
        stored["answers"] = response.codes()
        assert stored == expected, (case.kind, case.fmt, row)


def _check_refused(case: Case, refusal: ImportRefused, before: str, last_batch: int) -> None:
    assert database_checksum(batches_up_to=last_batch) == before, f"a refused {case.kind} file changed the database"
    batch = ImportBatch.objects.get(pk=refusal.batch.pk)
    assert batch.pk > last_batch and batch.status == "refused" and batch.error_count >= 1 and batch.errors
    assert not any(UNEXPECTED in e.expected for e in refusal.errors), [str(e) for e in refusal.errors]
    named = {(e.row, e.column) for e in refusal.errors}
    if case.must_name:
        row, column, value = case.must_name
        assert (row, column) in named, (case.kind, case.fmt, case.must_name, [str(e) for e in refusal.errors])
        if value is not None:
            assert any(e.value == value for e in refusal.errors if (e.row, e.column) == (row, column))
    if case.nasty:
        assert case.nasty in named, (case.kind, case.fmt, case.nasty, [str(e) for e in refusal.errors])


def test_generated_bad_files_are_refused_whole_and_good_ones_stored_exactly(areas, tmp_path):
    rng = random.Random(SEED)
    survey_import(path=write_case(Case("clean", "csv", [_good_row(rng, n) for n in range(1, 30)], list(USS_COLUMNS)),
                                  tmp_path, 0), survey="uss", today=TODAY)
    names = _areas_by_name()
    outcomes: dict[str, int] = {}
    for number in range(1, FILES + 1):
        case = make_case(rng, number)
        path = write_case(case, tmp_path, number)
        last_batch = ImportBatch.objects.order_by("-pk").values_list("pk", flat=True).first()
        before = database_checksum(batches_up_to=last_batch)
        try:
            survey_import(path=path, survey="uss", today=TODAY)
        except ImportRefused as refusal:
            _check_refused(case, refusal, before, last_batch)
            outcomes[f"{case.kind} refused"] = outcomes.get(f"{case.kind} refused", 0) + 1
        else:
            assert not case.must_name and not case.must_refuse, f"accepted a {case.kind} {case.fmt} file: {case}"
            _check_stored(case, path, names)
            outcomes[f"{case.kind} stored"] = outcomes.get(f"{case.kind} stored", 0) + 1
        path.unlink()
    # The run covers both outcomes and every kind of damage.
    assert outcomes.get("clean stored", 0) > 10 and sum(v for k, v in outcomes.items() if "refused" in k) > FILES / 2
    assert {k.split()[0] for k in outcomes} >= {"clean", "bad_value", "nasty", "duplicate_id", "damaged", "short_row",
                                                 "cut", "nul", "formula", "nan_weight"}, outcomes
