"""The Reports page: analysts ask for a pack, see it build, and download it and the packs already made."""

import io

import pikepdf
import pytest
from django.urls import reverse

from citizenfocus.accounts.models import CAPABILITIES
from tests.conftest import ROLES

pytestmark = [pytest.mark.usefixtures("demo_force"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def synchronous(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CITIZENFOCUS_PACKS_BACKGROUND = "0"


@pytest.fixture
def analyst(client, users):
    client.force_login(users["analyst"])
    return client


def _build(client, capture, **fields):
    with capture(execute=True):
        return client.post(reverse("reports:build"), {"survey": "uss", "format": "pdf", **fields})


def test_an_analyst_builds_a_division_pack_and_downloads_it(analyst, django_capture_on_commit_callbacks):
    from citizenfocus.areas.models import Division
    from citizenfocus.reports.models import BoardPack

    southern = Division.objects.get(name="Southern")
    response = _build(analyst, django_capture_on_commit_callbacks, division=southern.pk, period="2014-03",
                      recommendation="That the board notes the Southern figures.")
    pack = BoardPack.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:pack", args=[pack.pk])
    assert pack.status == "done" and pack.step == pack.steps and pack.requested_by_name == "analyst-user"
    page = analyst.get(reverse("reports:pack", args=[pack.pk]))
    assert "board-pack-southern-division-12-months-to-march-2014.pdf" in page.content.decode()
    assert "Board pack: Southern division, 12 months to March 2014" in page.content.decode()
    twin = analyst.get(reverse("reports:pack", args=[pack.pk]), {"format": "json"}).json()
    assert twin["status"] == "done" and twin["percent"] == 100 and twin["division"] == "Southern"
    download = analyst.get(reverse("reports:download", args=[pack.pk]))
    content = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    pdf = pikepdf.open(io.BytesIO(content))
    assert pdf.Root.MarkInfo.Marked is True
    listing = analyst.get(reverse("reports:reports"), {"format": "json"}).json()
    assert [p["id"] for p in listing["packs"]] == [pack.pk]


def test_a_period_that_is_not_twelve_months_is_refused_at_the_field(analyst, django_capture_on_commit_callbacks):
    from citizenfocus.reports.models import BoardPack

    response = _build(analyst, django_capture_on_commit_callbacks, period="quarter:2013-Q4")
    assert response.status_code == 400
    assert "The pack reports rolling 12 months" in response.content.decode()
    assert not BoardPack.objects.exists()


def test_a_pack_that_cannot_be_built_says_why(analyst, django_capture_on_commit_callbacks):
    from citizenfocus.reports.models import BoardPack

    _build(analyst, django_capture_on_commit_callbacks, period="2019-01")
    pack = BoardPack.objects.get()
    assert pack.status == "failed" and "the survey has responses from Apr 2011 to Mar 2014" in pack.error
    page = analyst.get(reverse("reports:pack", args=[pack.pk])).content.decode()
    assert "The pack could not be built" in page and "Mar 2014" in page
    assert analyst.get(reverse("reports:download", args=[pack.pk])).status_code == 404


def test_a_pack_being_built_shows_its_progress(analyst, users):
    from citizenfocus.reports.models import BoardPack

    pack = BoardPack.objects.create(requested_by=users["analyst"], requested_by_name="analyst-user",
                                    status="building", step=3, steps=10, step_words="Ease of contact")
    page = analyst.get(reverse("reports:pack", args=[pack.pk])).content.decode()
    assert '<progress id="pack-progress" max="100" value="30">' in page
    assert "Building: Ease of contact (step 3 of 10)" in page and "reports/progress.js" in page


def test_every_role_gets_exactly_what_build_packs_allows(client, users, django_capture_on_commit_callbacks):
    from citizenfocus.reports.models import BoardPack

    pack = BoardPack.objects.create(requested_by=users["analyst"], requested_by_name="analyst-user",
                                    status="failed", error="x")
    allowed = CAPABILITIES["build_packs"]
    for role in ROLES:
        client.force_login(users[role])
        for url in (reverse("reports:reports"), reverse("reports:pack", args=[pack.pk]),
                    reverse("reports:reports") + "?format=csv", reverse("reports:reports") + "?format=xlsx"):
            assert client.get(url).status_code == (200 if role in allowed else 403), (role, url)
        assert client.get(reverse("reports:download", args=[pack.pk])).status_code == \
            (404 if role in allowed else 403)
        with django_capture_on_commit_callbacks(execute=False):
            posted = client.post(reverse("reports:build"), {"survey": "uss", "format": "docx", "period": "bad"})
        assert posted.status_code == (400 if role in allowed else 403), role
        assert client.get(reverse("reports:build")).status_code == (405 if role in allowed else 403)
        client.logout()
    assert BoardPack.objects.count() == 1


def test_the_list_of_packs_downloads_as_csv_and_xlsx_with_the_pages_columns(analyst, users):
    import csv
    import datetime as dt

    from openpyxl import load_workbook

    from citizenfocus.areas.models import Division
    from citizenfocus.reports.models import BoardPack
    from citizenfocus.reports.views import PACK_LIST_HEADER

    central = Division.objects.get(name="Central")
    done = BoardPack.objects.create(requested_by=users["analyst"], requested_by_name="analyst-user", status="done",
                                    format="docx", division=central, period="rolling12:2014-03",
                                    file_name="board-pack-central.docx",
                                    finished_at=dt.datetime(2026, 12, 6, 9, 30, tzinfo=dt.UTC))
    failed = BoardPack.objects.create(requested_by=users["analyst"], requested_by_name="analyst-user",
                                      status="failed", error="=HYPERLINK(\"http://example.org\")")
    page = analyst.get(reverse("reports:reports")).content.decode()
    assert '<a href="?format=csv">CSV</a> <a href="?format=xlsx">Excel (XLSX)</a> <a href="?format=json">JSON</a>' \
        in page
    expected = [
        [str(failed.pk), failed.requested_at.isoformat(), "analyst-user", "Whole force", "the latest 12 months",
         "PDF (accessible, tagged)", "Failed", "", "", "'=HYPERLINK(\"http://example.org\")"],
        [str(done.pk), done.requested_at.isoformat(), "analyst-user", "Central division", "12 months to March 2014",
         "Word (editable)", "Ready", "2026-12-06T09:30:00+00:00", "board-pack-central.docx", ""],
    ]
    response = analyst.get(reverse("reports:reports") + "?format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="board-packs.csv"'
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    assert list(csv.reader(io.StringIO(text))) == [PACK_LIST_HEADER, *expected]

    response = analyst.get(reverse("reports:reports") + "?format=xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="board-packs.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    got = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert got == [PACK_LIST_HEADER, *expected]
    # the JSON twin lists the same packs in the same order
    assert [p["id"] for p in analyst.get(reverse("reports:reports") + "?format=json").json()["packs"]] == \
        [failed.pk, done.pk]
