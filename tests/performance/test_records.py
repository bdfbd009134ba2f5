"""Targets, change points and peer figures: analysts keep them, board members read them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from citizenfocus.performance.models import ChangePoint, PeerFigure, Target


def test_an_analyst_sets_a_target_in_percent_and_it_is_stored_as_a_proportion(client, users):
    client.force_login(users["analyst"])
    response = client.post(reverse("performance:targets"), {
        "survey_key": "uss", "measure": "whole_experience", "group": "all", "rate": "82.5", "note": "Police and crime plan",
    })
    assert response.status_code == 302
    target = Target.objects.get()
    assert target.rate == pytest.approx(0.825) and target.set_by == users["analyst"]
    listing = client.get(reverse("performance:targets"), {"format": "json"}).json()
    assert listing["targets"][0]["measure"] == "whole_experience"


def test_a_target_for_a_measure_the_survey_lacks_is_refused_at_the_field(client, users):
    client.force_login(users["analyst"])
    response = client.post(reverse("performance:targets"), {
        "survey_key": "confidence", "measure": "kept_informed", "group": "all", "rate": "80",
    })
    assert response.status_code == 400
    assert "Not a measure of this survey" in response.content.decode()
    assert not Target.objects.exists()


def test_board_members_read_but_cannot_change_records(client, users):
    client.force_login(users["board_member"])
    assert client.get(reverse("performance:change_points")).status_code == 200
    response = client.post(reverse("performance:change_points"), {
        "survey_key": "uss", "measure": "", "month": "2013-07", "reason": "x",
    })
    assert response.status_code == 403
    assert not ChangePoint.objects.exists()


def test_a_change_point_is_recorded_with_its_reason_and_archived_not_deleted(client, users):
    client.force_login(users["analyst"])
    client.post(reverse("performance:change_points"), {
        "survey_key": "uss", "measure": "", "month": "2013-07", "reason": "recording practice changed",
    })
    point = ChangePoint.objects.get()
    assert str(point.month) == "2013-07-01" and point.recorded_by == users["analyst"]
    html = client.get(reverse("performance:change_points")).content.decode()
    assert "<td>recording practice changed</td>" in html and "<td>2013-07</td>" in html
    assert reverse("performance:change_point_archive", args=[point.pk]) in html
    client.post(reverse("performance:change_point_archive", args=[point.pk]))
    point.refresh_from_db()
    assert point.archived


def test_peer_figures_import_from_csv_all_or_nothing(client, users):
    client.force_login(users["analyst"])
    good = ("survey,measure,period,force,rate,n,deft,source\n"
            "uss,whole_experience,rolling12:2014-03,Eastmoor Police,81.2%,1500,1,MSF table\n"
            "uss,whole_experience,rolling12:2014-03,Highdale Police,0.79,1800,,MSF table\n")
    response = client.post(reverse("performance:peer_figures_upload"),
                           {"file": SimpleUploadedFile("peers.csv", good.encode())})
    assert response.status_code == 302
    assert sorted(PeerFigure.objects.values_list("rate", flat=True)) == [pytest.approx(0.79), pytest.approx(0.812)]
    bad = good + "uss,whole_experience,rolling12:2014-03,Fenwater Police,abc,0,1,MSF table\n"
    PeerFigure.objects.all().delete()
    response = client.post(reverse("performance:peer_figures_upload"),
                           {"file": SimpleUploadedFile("peers.csv", bad.encode())})
    assert response.status_code == 400
    assert "row 4" in response.content.decode()
    assert not PeerFigure.objects.exists()


def test_records_export_as_csv(client, users):
    Target.objects.create(survey_key="uss", measure="treatment", group="bme", rate=0.9)
    client.force_login(users["board_member"])
    body = b"".join(client.get(reverse("performance:targets"), {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0] == "survey_key,measure,group,division,neighbourhood,rate,note"
    assert "treatment,bme" in body
