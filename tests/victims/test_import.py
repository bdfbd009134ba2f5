"""Importing a crime system export: real headers through a mapping file, all or nothing, idempotent."""

import shutil

import pytest

from citizenfocus.surveys.importing.errors import ImportRefused
from citizenfocus.victims.importing import victims_import
from citizenfocus.victims.models import Officer, Team, VictimEvent, VictimImport, VictimRecord

from .conftest import AS_AT, FIXTURES


def _import(*paths, mapping=FIXTURES / "mapping.toml"):
    return victims_import(paths=list(paths), mapping=mapping, user_name="test", today=AS_AT)


@pytest.mark.django_db
def test_it_stores_crimes_victims_and_events_from_the_forces_own_headers(victims):
    assert VictimRecord.objects.count() == 6 and VictimEvent.objects.count() == 11
    case = VictimRecord.objects.get(crime_reference="NV/24/0002")
    assert (case.crime_type, case.ethnicity, case.language, case.enhanced_reasons) == (
        "violent_crime", "A2", "ur", ["vulnerable"])
    assert case.team.name == "North Team A" and case.team.division.name == "North"
    assert case.officer.identifier == "PC 101"
    assert VictimRecord.objects.get(crime_reference="NV/24/0005").opted_out is True
    arrest = case.events.get(kind="key_event")
    assert (arrest.key_event, arrest.told_on, arrest.source) == ("arrest", None, "import")
    assert set(Team.objects.values_list("name", flat=True)) == {"North Team A", "South Team A"}


@pytest.mark.django_db
def test_importing_the_same_files_again_changes_nothing(victims):
    summary = _import(FIXTURES / "crimes.csv", FIXTURES / "events.csv")
    assert (summary.crimes_new, summary.crimes_changed, summary.crimes_unchanged) == (0, 0, 6)
    assert (summary.events_new, summary.events_changed, summary.events_unchanged) == (0, 0, 11)
    assert VictimRecord.objects.count() == 6 and VictimEvent.objects.count() == 11


@pytest.mark.django_db
def test_a_later_export_telling_the_victim_updates_the_key_event(victims, tmp_path):
    events = tmp_path / "events.csv"
    events.write_text(
        "Occurrence No,Contact Type,Contact Date,Key Event Type,Date Victim Told\n"
        "NV/24/0002,Key event,22/03/2024,Arrest,25/03/2024\n", encoding="utf-8")
    summary = _import(events)
    assert (summary.events_new, summary.events_changed) == (0, 1)
    assert VictimRecord.objects.get(crime_reference="NV/24/0002").events.get(kind="key_event").told_on == AS_AT


@pytest.mark.django_db
def test_a_file_with_bad_rows_is_refused_whole_naming_file_row_column_value(victims, tmp_path):
    crimes = tmp_path / "crimes.csv"
    shutil.copy(FIXTURES / "crimes.csv", crimes)
    with crimes.open("a", encoding="utf-8") as f:
        f.write("NV/24/0007,Shoplifting,31/02/2024,North,PC 101,North Team A,P1009,W1,,,en,No,\n")
        f.write("NV/24/0008,ASB,01/03/2024,Eastern,PC 999,,P1010,Martian,,Scared,Klingon!,maybe,\n")
    before = (VictimRecord.objects.count(), VictimEvent.objects.count(), Officer.objects.count())
    with pytest.raises(ImportRefused) as refused:
        _import(crimes, FIXTURES / "events.csv")
    problems = {(e.file, e.row, e.column): e for e in refused.value.errors}
    assert problems[("crimes.csv", 8, "Offence Type")].value == "Shoplifting"
    assert "not a known crime type" in problems[("crimes.csv", 8, "Offence Type")].expected
    assert "not a date" in problems[("crimes.csv", 8, "Date Reported")].expected
    for column in ("Self Defined Ethnicity", "Enhanced Entitlement", "Preferred Language", "Opted Out Of Updates"):
        assert ("crimes.csv", 9, column) in problems, column
    assert "not a division of this force" in problems[("crimes.csv", 9, "BCU")].expected
    assert "a new officer needs their team" in problems[("crimes.csv", 9, "OIC Team")].expected
    assert str(refused.value.errors[0]).startswith("crimes.csv row 8")
    assert (VictimRecord.objects.count(), VictimEvent.objects.count(), Officer.objects.count()) == before
    assert VictimImport.objects.filter(status="refused").count() == 1


@pytest.mark.django_db
def test_an_event_for_an_unknown_crime_or_a_key_event_without_its_kind_is_refused(victims, tmp_path):
    events = tmp_path / "events.csv"
    events.write_text("Occurrence No,Contact Type,Contact Date,Key Event Type,Date Victim Told\n"
                      "NV/99/0001,Update given,01/03/2024,,\n"
                      "NV/24/0001,Key event,23/03/2024,,\n"
                      "NV/24/0001,Key event,23/03/2024,Charge,20/03/2024\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        _import(events)
    found = [(e.row, e.column) for e in refused.value.errors]
    assert found == [(2, "Occurrence No"), (3, "Key Event Type"), (4, "Date Victim Told")]


@pytest.mark.django_db
def test_a_missing_column_is_named_with_how_to_map_it(small_force, tmp_path):
    crimes = tmp_path / "crimes.csv"
    crimes.write_text("Crime Number,Date Reported,BCU,Victim Ref\nNV/1,01/03/2024,North,P1\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        victims_import(paths=[crimes], user_name="test", today=AS_AT)
    assert [e.column for e in refused.value.errors] == ["crime_type"]
    assert "mapping file" in refused.value.errors[0].expected


@pytest.mark.django_db
def test_an_excel_export_imports_like_the_csv(small_force, tmp_path):
    import csv

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Crime system export, run 25/03/2024"])  # a title above the header, as exports have
    with (FIXTURES / "crimes.csv").open(encoding="utf-8") as f:
        for row in csv.reader(f):
            sheet.append(row)
    path = tmp_path / "crimes.xlsx"
    workbook.save(path)
    summary = _import(path)
    assert summary.crimes_new == 6
    assert VictimRecord.objects.get(crime_reference="NV/24/0006").closed_on.isoformat() == "2024-02-09"
