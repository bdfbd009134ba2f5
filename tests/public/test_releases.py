"""Releases: nothing is public until an analyst approves it, and what is approved is frozen."""

import datetime as dt

import pytest
from django.urls import reverse

from citizenfocus.areas.models import Neighbourhood
from citizenfocus.communities.services import priority_create
from citizenfocus.public.models import Release

pytestmark = pytest.mark.usefixtures("demo_data")


def _approve(client, user, title="Figures for the November board"):
    client.force_login(user)
    preview = client.get(reverse("public:approve"), {"format": "json"}).json()
    response = client.post(reverse("public:approve"), {"sha256": preview["sha256"], "title": title, "note": "n"})
    assert response.status_code == 302, response
    client.logout()
    return preview


def test_nothing_is_public_before_a_release_is_approved(client, db):
    assert client.get(reverse("public:index")).status_code == 404
    assert client.get(reverse("public:releases_json")).json()["releases"] == []


def test_an_analyst_approves_exactly_what_they_previewed_with_who_and_when(client, users):
    preview = _approve(client, users["analyst"])
    release = Release.objects.get()
    assert release.approved_by == users["analyst"] and release.approved_by_name == "analyst-user"
    assert release.sha256 == preview["sha256"]
    assert release.snapshot == preview["snapshot"]
    assert release.approved_at.date() == dt.date.today()


def test_a_preview_the_figures_have_moved_on_from_is_refused_and_nothing_is_released(client, users):
    client.force_login(users["analyst"])
    response = client.post(reverse("public:approve"), {"sha256": "0" * 64, "title": "stale"}, follow=True)
    assert "the figures changed since you previewed them" in response.content.decode()
    assert not Release.objects.exists()


def test_the_public_pages_show_the_frozen_release_not_live_records(client, users):
    _approve(client, users["analyst"])
    hood = Neighbourhood.objects.first()
    priority_create(neighbourhood=hood, title="Speeding on the high street", raised_by="panel",
                    raised_on=dt.date(2026, 10, 1), you_said="Cars speed past the school", user=users["inspector"])
    page = client.get(reverse("public:neighbourhood", args=[hood.code]))
    assert page.status_code == 200
    assert "Speeding on the high street" not in page.content.decode()
    _approve(client, users["analyst"], title="After the panel")
    page = client.get(reverse("public:neighbourhood", args=[hood.code]))
    assert "Speeding on the high street" in page.content.decode()
    assert "Cars speed past the school" in page.content.decode()


def test_a_board_member_cannot_approve_a_release(client, users):
    client.force_login(users["board_member"])
    assert client.get(reverse("public:approve")).status_code == 403
    assert client.post(reverse("public:approve"), {"sha256": "x", "title": "t"}).status_code == 403
    assert not Release.objects.exists()


def test_every_public_page_needs_no_log_in(client, users):
    _approve(client, users["analyst"])
    release = Release.objects.get()
    hood = release.snapshot["neighbourhoods"][0]["code"]
    for url in (reverse("public:index"), reverse("public:neighbourhood", args=[hood]), reverse("public:releases"),
                reverse("public:releases_json"), reverse("public:table", args=[release.pk, "force-satisfaction", "csv"])):
        assert client.get(url).status_code == 200, url
