"""Targets, peer figures and change points keep an append-only history: who, when, which field, old and new."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citizenfocus.performance import services
from citizenfocus.performance.models import ChangePoint, PeerFigure, RecordEvent, Target

pytestmark = pytest.mark.django_db
TARGET = {"survey_key": "uss", "measure": "whole_experience", "group": "all", "rate": "82.5", "note": "Police and crime plan"}
PEERS = ("survey,measure,period,force,rate,n,deft,source\n"
         "uss,whole_experience,rolling12:2014-03,Eastmoor Police,81.2%,1500,1,MSF table\n")


def _history(client, **params) -> list[dict]:
    response = client.get(reverse("performance:records_history"), {"format": "json", **params})
    assert response.status_code == 200
    return response.json()["events"]


def _edit(client, kind: str, record, **changes):
    """Open the record's Edit form, as a person would, and save it with some fields changed."""
    page = client.get(reverse(f"performance:{kind}"), {"edit": record.pk})
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(changes, id=record.pk)
    return client.post(reverse(f"performance:{kind}"), data)


def test_a_target_keeps_who_created_it_and_each_later_change(client, users, make_user):
    client.force_login(users["analyst"])
    client.post(reverse("performance:targets"), TARGET)
    target = Target.objects.get()
    colleague = make_user("analyst", "second-analyst")
    client.force_login(colleague)

    assert _edit(client, "targets", target, rate="85").status_code == 302

    events = _history(client, kind="target", item=target.pk)
    assert [(e["field"], e["old"], e["new"], e["who"]) for e in events] == [
        ("rate", "0.825", "0.85", "second-analyst"),
        ("created", "", "uss/whole_experience/all: 82.5%", "analyst-user"),
    ]
    target.refresh_from_db()
    assert (target.rate, target.set_by, target.version) == (0.85, colleague, 2)


def test_only_the_fields_that_changed_are_saved_and_recorded(client, users):
    client.force_login(users["analyst"])
    client.post(reverse("performance:targets"), TARGET)
    target = Target.objects.get()

    with CaptureQueriesContext(connection) as queries:
        _edit(client, "targets", target, note="Revised plan")
    update = next(q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "performance_target" in q["sql"])
    assert '"note"' in update and '"rate"' not in update and '"measure"' not in update
    assert [e["field"] for e in _history(client, kind="target")] == ["note", "created"]

    _edit(client, "targets", Target.objects.get())  # saved with nothing changed: no write, no history
    assert Target.objects.get().version == 2 and len(_history(client, kind="target")) == 2


def test_peer_figures_from_files_and_forms_are_recorded_with_the_file_named(client, users):
    client.force_login(users["analyst"])
    client.post(reverse("performance:peer_figures_upload"), {"file": SimpleUploadedFile("peers.csv", PEERS.encode())})
    revised = PEERS.replace("81.2%", "80.9%")
    client.post(reverse("performance:peer_figures_upload"), {"file": SimpleUploadedFile("revised.csv", revised.encode())})
    figure = PeerFigure.objects.get()
    _edit(client, "peer_figures", figure, source="MSF table, corrected")

    events = _history(client, kind="peer_figure")
    assert [(e["field"], e["old"], e["new"], e["note"]) for e in events] == [
        ("source", "MSF table", "MSF table, corrected", ""),
        ("rate", "0.812", "0.809", "from revised.csv"),
        ("created", "", events[-1]["new"], "from peers.csv"),
    ]
    assert PeerFigure.objects.get().version == 3


def test_a_change_point_keeps_who_recorded_it_and_who_archived_it(client, users, make_user):
    client.force_login(users["analyst"])
    client.post(reverse("performance:change_points"),
                {"survey_key": "uss", "measure": "", "month": "2013-07", "reason": "new call handling"})
    point = ChangePoint.objects.get()
    other = make_user("administrator", "head-of-performance")
    client.force_login(other)
    client.post(reverse("performance:change_point_archive", args=[point.pk]), {"version": point.version})

    events = _history(client, kind="change_point", item=point.pk)
    assert [(e["field"], e["old"], e["new"], e["who"]) for e in events] == [
        ("archived", "no", "yes", "head-of-performance"),
        ("created", "", "Jul 2013: new call handling", "analyst-user"),
    ]


def test_the_history_is_for_analysts_and_administrators_and_exports(client, users):
    services.change_point_record(user=users["analyst"], survey_key="uss", measure="", month=dt.date(2013, 7, 1),
                                 reason="new call handling")
    client.force_login(users["board_member"])
    assert client.get(reverse("performance:records_history")).status_code == 403
    client.force_login(users["analyst"])
    html = client.get(reverse("performance:records_history")).content.decode()
    assert "new call handling" in html and "analyst-user" in html
    body = b"".join(client.get(reverse("performance:records_history"), {"format": "csv"}).streaming_content)
    assert body.decode("utf-8-sig").splitlines()[0] == "at,who,kind,item_id,item,field,old,new,note"
    client.force_login(users["administrator"])
    assert client.get(reverse("admin:performance_recordevent_changelist")).status_code == 200
    event = RecordEvent.objects.get()
    assert client.post(reverse("admin:performance_recordevent_delete", args=[event.pk]),
                       {"post": "yes"}).status_code == 403


def test_a_change_and_its_history_are_one_transaction(users, monkeypatch):
    target = services.target_create(user=users["analyst"], survey_key="uss", measure="treatment", group="bme",
                                    division=None, neighbourhood=None, rate=0.9)

    def fail(*args, **kwargs):
        raise RuntimeError("the history could not be written")

    monkeypatch.setattr(RecordEvent.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        services.target_edit(target_id=target.pk, version=1, user=users["analyst"], rate=0.95)
    target.refresh_from_db()
    assert (target.rate, target.version) == (0.9, 1)


def test_the_demo_loads_peer_figures_once_and_a_second_run_records_nothing(db):
    from citizenfocus.demo.peers import peer_figure_rows

    rows = peer_figure_rows(periods=["rolling12:2013-03", "rolling12:2014-03"])
    assert services.peer_figures_store(user=None, rows=rows) == len(rows)
    created = RecordEvent.objects.count()
    assert created == len(rows) == PeerFigure.objects.count()
    assert set(RecordEvent.objects.values_list("who_name", flat=True)) == {"command line"}

    services.peer_figures_store(user=None, rows=rows)

    assert RecordEvent.objects.count() == created and set(PeerFigure.objects.values_list("version", flat=True)) == {1}
