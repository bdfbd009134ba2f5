"""Import a crime system export: check every row of every file, then store all or nothing.

`victims_import` reads crimes files and events files (CSV or XLSX, headers matched
like survey imports, a mapping file for a force's own names). Any problem anywhere
refuses the whole import, naming file, row, column, value and what was expected;
nothing is stored but the record of the refusal. Re-importing the same files changes
nothing: crimes are matched on their reference, imported events on (crime, event,
key event, date).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from citizenfocus.areas.models import Division, Neighbourhood
from citizenfocus.surveys.importing.columns import _read_mapping_file, header_key
from citizenfocus.surveys.importing.errors import FileRefused, ImportRefused, ProblemLog
from citizenfocus.surveys.importing.readers import open_table
from citizenfocus.surveys.importing.values import Bad

from .columns import crime_columns, event_columns, lookup_for
from .models import Officer, Team, VictimEvent, VictimImport, VictimRecord


@dataclass
class ParsedFile:
    name: str
    kind: str  # "crimes" or "events"
    rows: list[tuple[int, dict]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # our column: the file's own header

    def header(self, column: str) -> str:
        return self.headers.get(column, column)


@dataclass
class VictimImportSummary:
    crimes_new: int = 0
    crimes_changed: int = 0
    crimes_unchanged: int = 0
    events_new: int = 0
    events_changed: int = 0
    events_unchanged: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    def __str__(self) -> str:
        return (f"crimes: {self.crimes_new} new, {self.crimes_changed} changed, {self.crimes_unchanged} unchanged; "
                f"events: {self.events_new} new, {self.events_changed} changed, {self.events_unchanged} unchanged")


def load_victims_mapping(path: Path | None) -> dict[str, str]:
    """A mapping file ({their header: our column}, TOML [columns] or two-column CSV), keys matched like headers."""
    if path is None:
        return {}
    return {header_key(theirs): str(ours or "").strip() for theirs, ours in _read_mapping_file(Path(path)).items()}


def _parse_file(path: Path, mapping: dict[str, str], today: date, log: ProblemLog) -> ParsedFile | None:
    crimes, events = crime_columns(today), event_columns(today)
    lookups = {"crimes": lookup_for(crimes), "events": lookup_for(events)}

    def our(cell, kind):
        key = header_key(cell)
        return mapping[key] if key in mapping else lookups[kind].get(key)

    def score(values) -> int:
        return max(len({our(v, k) for v in values if v is not None} - {None, ""}) for k in lookups)

    table = open_table(path, recognise=score)
    try:
        kind = "events" if any(our(c, "events") == "event" for c in table.header) else "crimes"
        columns = {c.name: c for c in (events if kind == "events" else crimes)}
        positions = {}
        for position, cell in enumerate(table.header):
            name = our(cell, kind)
            if name in columns:
                positions[name] = position
        for name, column in columns.items():
            if column.required and name not in positions:
                log.add(None, name, "", f"is missing: a {kind} file needs this column; name it so, or map your "
                        "header to it in a mapping file", file=path.name)
        if log:
            return None
        parsed = ParsedFile(path.name, kind, headers={n: str(table.header[p]) for n, p in positions.items()})
        for number, values in table.rows():
            row = {}
            for name, position in positions.items():
                raw = values[position] if position < len(values) else None
                try:
                    row[name] = columns[name].read(raw)
                except Bad as exc:
                    log.add(number, str(table.header[position]), raw, str(exc), file=path.name)
            parsed.rows.append((number, row))
        return parsed
    finally:
        table.close()


class _Areas:
    """Divisions and neighbourhoods by name or code, case-insensitive."""

    def __init__(self):
        self.divisions = {}
        for d in Division.objects.all():
            self.divisions[header_key(d.name)] = self.divisions[header_key(d.code)] = d
        self.hoods = {}
        for n in Neighbourhood.objects.all():
            self.hoods[(n.division_id, header_key(n.name))] = self.hoods[(n.division_id, header_key(n.code))] = n


def _check_crimes(parsed: ParsedFile, areas: _Areas, log: ProblemLog, seen: dict) -> None:
    for number, row in parsed.rows:
        division = areas.divisions.get(header_key(row.get("division", "")))
        if row.get("division") and division is None:
            log.add(number, parsed.header("division"), row["division"], "is not a division of this force: add it, or map the "
                    f"name; divisions: {', '.join(sorted({d.name for d in areas.divisions.values()}))}",
                    file=parsed.name)
        elif division and row.get("neighbourhood") and (division.pk, header_key(row["neighbourhood"])) not in areas.hoods:
            log.add(number, parsed.header("neighbourhood"), row["neighbourhood"], f"is not a neighbourhood of {division.name}",
                    file=parsed.name)
        if row.get("officer") and not row.get("team") and not Officer.objects.filter(
                identifier=row["officer"]).exists():
            log.add(number, parsed.header("team"), "", "is blank: a new officer needs their team", file=parsed.name)
        ref = row.get("crime_reference")
        if ref and ref in seen:
            log.add(number, parsed.header("crime_reference"), ref, f"is given twice: also {seen[ref]}", file=parsed.name)
        elif ref:
            seen[ref] = f"{parsed.name} row {number}"


def _check_events(parsed: ParsedFile, known: set[str], log: ProblemLog) -> None:
    for number, row in parsed.rows:
        ref = row.get("crime_reference")
        if ref and ref not in known:
            log.add(number, parsed.header("crime_reference"), ref, "is not a crime in this import or already stored",
                    file=parsed.name)
        if row.get("event") == "key_event" and not row.get("key_event"):
            log.add(number, parsed.header("key_event"), "", "is blank: a key event needs its kind (arrest, charge, bail, release, "
                    "no_further_action, court_date)", file=parsed.name)
        if row.get("told_on") and row.get("on") and row["told_on"] < row["on"]:
            log.add(number, parsed.header("told_on"), row["told_on"], "is before the event: the victim cannot be told earlier",
                    file=parsed.name)


def victims_import(*, paths: list[Path], mapping: Path | None = None, user=None, user_name: str = "",
                   today: date | None = None) -> VictimImportSummary:
    """Check every file, then store everything in one transaction, or nothing (ImportRefused)."""
    today = today or timezone.localdate()
    who = user_name or (user.get_username() if user else "")
    log = ProblemLog(", ".join(p.name for p in paths))
    parsed: list[ParsedFile] = []
    try:
        names = load_victims_mapping(mapping)
    except FileRefused as exc:
        log.add(None, exc.column, exc.value, exc.expected, file=Path(mapping).name)
        names = {}
    for path in paths:
        try:
            if (found := _parse_file(Path(path), names, today, log)) is not None:
                parsed.append(found)
        except FileRefused as exc:
            log.add(exc.row, exc.column, exc.value, exc.expected, file=Path(path).name)
    areas, seen = _Areas(), {}
    for p in (p for p in parsed if p.kind == "crimes"):
        _check_crimes(p, areas, log, seen)
    known = set(seen) | set(VictimRecord.objects.filter(crime_reference__in=_event_refs(parsed))
                            .values_list("crime_reference", flat=True))
    for p in (p for p in parsed if p.kind == "events"):
        _check_events(p, known, log)
    files = [Path(p).name for p in paths]
    if log:
        refusal = VictimImport.objects.create(who=user, who_name=who, files=files, status="refused",
                                              errors=[e.as_dict() for e in log.problems[:200]])
        raise ImportRefused(log.problems, batch=refusal, error_count=log.count)
    summary = _store(parsed, areas, user=user, who=who)
    VictimImport.objects.create(who=user, who_name=who, files=files, status="stored", counts=summary.as_dict())
    return summary


def _event_refs(parsed: list[ParsedFile]) -> set[str]:
    return {row.get("crime_reference") for p in parsed if p.kind == "events" for _, row in p.rows}


def _hash(row: dict) -> str:
    return hashlib.md5(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()  # noqa: S324 - not security


class _People:
    """Teams and officers by name, created as the export first names them (a new team in the row's division)."""

    def __init__(self):
        self.teams = {t.name: t for t in Team.objects.all()}
        self.officers = {o.identifier: o for o in Officer.objects.all()}

    def team_and_officer(self, row: dict, division: Division) -> tuple[Team | None, Officer | None]:
        team = None
        if name := row.get("team"):
            if name not in self.teams:
                self.teams[name] = Team.objects.create(name=name, division=division)
            team = self.teams[name]
        if not row.get("officer"):
            return team, None
        officer = self.officers.get(row["officer"])
        if officer is None:
            officer = self.officers[row["officer"]] = Officer.objects.create(identifier=row["officer"], team=team)
        elif team and officer.team_id != team.pk:
            officer.team = team  # the officer moved team: the export says where they are now
            officer.save(update_fields=["team"])
        return team or officer.team, officer


@transaction.atomic
def _store(parsed: list[ParsedFile], areas: _Areas, *, user, who: str) -> VictimImportSummary:
    summary, people = VictimImportSummary(), _People()
    crime_rows = [row for p in parsed if p.kind == "crimes" for _, row in p.rows]
    stored = VictimRecord.objects.in_bulk([r["crime_reference"] for r in crime_rows], field_name="crime_reference")
    for row in crime_rows:
        _store_crime(row, areas, people, stored.get(row["crime_reference"]), summary)
    event_rows = [row for p in parsed if p.kind == "events" for _, row in p.rows]
    records = VictimRecord.objects.in_bulk({r["crime_reference"] for r in event_rows}, field_name="crime_reference")
    existing = {(e.record_id, e.kind, e.key_event, e.on): e
                for e in VictimEvent.objects.filter(record__in=records.values(), source="import")}
    new = []
    for row in event_rows:
        record = records[row["crime_reference"]]
        key = (record.pk, row["event"], row.get("key_event") or "", row["on"])
        if key in existing:
            _update_event(existing[key], row, summary)
        else:
            existing[key] = None  # the same event twice in one file is stored once
            new.append(VictimEvent(record=record, kind=row["event"], key_event=row.get("key_event") or "",
                                   on=row["on"], source="import", who=user, who_name=who, **_event_values(row)))
    VictimEvent.objects.bulk_create(new, batch_size=2000)
    summary.events_new += len(new)
    return summary


def _store_crime(row: dict, areas: _Areas, people: _People, stored: VictimRecord | None,
                 summary: VictimImportSummary) -> None:
    division = areas.divisions[header_key(row["division"])]
    hood = areas.hoods.get((division.pk, header_key(row.get("neighbourhood") or ""))) if row.get("neighbourhood") else None
    team, officer = people.team_and_officer(row, division)
    values = {k: v for k, v in row.items() if k not in ("division", "neighbourhood", "officer", "team",
                                                           "crime_reference")}
    values |= {"division": division, "neighbourhood": hood, "team": team, "officer": officer,
               "row_hash": _hash(row)}
    if stored is None:
        VictimRecord.objects.create(crime_reference=row["crime_reference"], **values)
        summary.crimes_new += 1
    elif stored.row_hash == values["row_hash"]:
        summary.crimes_unchanged += 1
    else:
        for name, value in values.items():
            setattr(stored, name, value)
        stored.save()
        summary.crimes_changed += 1


def _event_values(row: dict) -> dict:
    return {"told_on": row.get("told_on"), "method": row.get("method", ""), "detail": row.get("detail", "")}


def _update_event(stored: VictimEvent | None, row: dict, summary: VictimImportSummary) -> None:
    values = _event_values(row)
    if stored is None or all(getattr(stored, k) == v for k, v in values.items()):
        summary.events_unchanged += 1
        return
    # The crime system's later export is the record (a key event told since): it updates the imported row.
    VictimEvent.objects.filter(pk=stored.pk).update(**values)
    summary.events_changed += 1
