"""Every plan page: HTML for people (labelled, captioned, not colour alone), a JSON twin, table downloads."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from citizenfocus.plans import services
from citizenfocus.plans.models import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(imported, users):
    action = Action.objects.get(ref="1.1.B")
    meeting = services.meeting_record(plan=imported, user=users["analyst"], title="Board", held_on=timezone.localdate())
    register = services.risk_register_create(title="Risks", user=users["analyst"], plan=imported)
    risk = services.risk_create(register=register, user=users["analyst"], title="Tension", likelihood=2, impact=3)
    return {
        "plans:index": [], "plans:due": [], "plans:mine": [], "plans:risk_registers": [],
        "plans:plan": [imported.pk], "plans:plan_history": [imported.pk], "plans:meetings": [imported.pk],
        "plans:meeting": [meeting.pk], "plans:recommendation": [action.response.recommendation.pk],
        "plans:response": [action.response.pk], "plans:action": [action.pk], "plans:risk_register": [register.pk],
        "plans:risk": [risk.pk], "plans:import_preview": [imported.imports.get().pk],
    }


def test_every_page_has_a_json_twin(client, users, pages):
    client.force_login(users["analyst"])
    for name, args in pages.items():
        response = client.get(reverse(name, args=args), {"format": "json"})
        assert response.status_code == 200 and response["Content-Type"] == "application/json", name
        assert response.json(), name


def test_every_table_downloads_as_csv_and_xlsx(client, users, pages):
    client.force_login(users["analyst"])
    for name, args in pages.items():
        url = reverse(name, args=args)
        html = client.get(url).content.decode()
        tables = set(re.findall(r"table=([a-z_]+)", html)) or {""}
        for table in tables:
            for fmt in ("csv", "xlsx"):
                response = client.get(url, {"format": fmt, "table": table} if table else {"format": fmt})
                assert response.status_code == 200, (name, table, fmt)
                if fmt == "xlsx":
                    assert load_workbook(io.BytesIO(response.content)).active.max_row >= 1


def test_pages_are_structured_for_assistive_technology(client, users, pages):
    client.force_login(users["analyst"])
    for name, args in pages.items():
        html = client.get(reverse(name, args=args)).content.decode()
        assert html.count("<table") == html.count("<caption"), name
        assert '<th scope="col"' in html or "<table" not in html, name
        for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
            if 'type="hidden"' in html.split(f'id="{field_id}"')[0].rsplit("<", 1)[-1]:
                continue
            assert f'for="{field_id}"' in html, (name, field_id)
        assert "<h1>" in html and 'lang="en-GB"' in html, name


def test_rag_is_never_shown_by_colour_alone(client, users, imported):
    client.force_login(users["board_member"])
    html = client.get(reverse("plans:plan", args=[imported.pk])).content.decode()
    for badge in re.findall(r'<span class="rag rag-(\w+)">(\w+)</span>', html):
        assert badge[0] == badge[1].lower()
    cells = re.findall(r'<td data-label="Progress and RAG" class="progress rag-(\w+)[^"]*">(.*?)</td>', html, re.S)
    assert len(cells) == 10
    for colour, cell in cells:  # each says its status and its RAG in words, whatever the shading
        assert f'<span class="rag rag-{colour}">{colour.capitalize()}</span>' in cell
        assert re.search(r'<span class="status">(Not Started|Work Underway|Completed|Blocked)</span>', cell)
    assert html.count('class="rag-reason"') == 5  # overdue / due soon reasons; not a repeat of "Completed"


def test_the_plan_page_shows_refs_in_order_with_merged_recommendations(client, users, imported):
    client.force_login(users["board_member"])
    html = client.get(reverse("plans:plan", args=[imported.pk])).content.decode()
    refs = re.findall(r'href="/plans/actions/\d+/">([\d.A-Z]+)</a>', html)
    assert refs == ["1.1.A", "1.1.B", "1.2.A", "2.1.A", "2.1.B", "3.1.A", "3.2.A", "4.1.A", "4.1.B", "5.2.A"]
    assert 'rowspan="3"' in html  # recommendation 1 spans its three actions
    assert "No action: answered by the force response itself" in html  # response 5.1: "N/A", "Completed"


def test_the_plan_list_counts_actions_by_rag_and_hides_archived_plans(client, users, imported):
    client.force_login(users["board_member"])
    data = client.get(reverse("plans:index"), {"format": "json"}).json()["plans"]
    assert data[0]["actions"] == 10 and data[0]["completed"] == 4
    assert data[0]["red"] + data[0]["amber"] + data[0]["green"] == 10
    services.plan_archive(plan=imported, user=users["analyst"])
    assert client.get(reverse("plans:index"), {"format": "json"}).json()["plans"] == []
    assert len(client.get(reverse("plans:index"), {"archived": "1", "format": "json"}).json()["plans"]) == 1


def test_an_analyst_builds_a_plan_by_hand(client, users):
    client.force_login(users["analyst"])
    response = client.post(reverse("plans:plan_create"), {
        "title": "Race equality scheme 2014", "source": "equality_scheme", "kind": "objectives", "status": "active",
        "owning_body": "Police Authority"})
    assert response.status_code == 302
    plan_url = response["Location"]
    pk = int(plan_url.rstrip("/").rsplit("/", 1)[1])
    rec = client.post(reverse("plans:recommendation_create", args=[pk]), {"ref": "R1", "text": "Assess every policy"})
    rec_pk = int(rec["Location"].rstrip("/").rsplit("/", 1)[1])
    resp = client.post(reverse("plans:response_create", args=[rec_pk]), {"text": "Assess new policies"})
    resp_pk = int(resp["Location"].rstrip("/").rsplit("/", 1)[1])
    act = client.post(reverse("plans:action_create", args=[resp_pk]), {
        "description": "Template issued", "status": "not_started", "target_date": "2014-06-30",
        "manager": users["action_owner"].pk})
    assert act.status_code == 302
    action = Action.objects.get()
    assert (action.ref, action.original_target_date.isoformat(), action.manager) == \
        ("R1.1.A", "2014-06-30", users["action_owner"])
    html = client.get(plan_url).content.decode()
    assert "Objective" in html and "Commitment" in html and "Activity" in html
    bad = client.post(reverse("plans:plan_create"), {"title": "", "source": "nonsense", "kind": "recommendations",
                                                     "status": "active"})
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()
    assert 'aria-invalid="true"' in bad.content.decode()


def test_my_actions_has_a_quick_form_for_each_and_returns_to_it(client, users, owned):
    client.force_login(users["action_owner"])
    html = client.get(reverse("plans:mine")).content.decode()
    assert html.count('action="/plans/actions/') == 1 and f'id="id_a{owned.pk}_status"' in html
    response = client.post(reverse("plans:action_update", args=[owned.pk]),
                           {"status": "work_underway", "text": "On track.", "next": "/plans/mine/#action-1"})
    assert response["Location"] == "/plans/mine/#action-1"
    evil = client.post(reverse("plans:action_update", args=[owned.pk]),
                       {"status": "work_underway", "text": "Again.", "next": "https://evil.example/"})
    assert evil["Location"] == reverse("plans:action", args=[owned.pk])


def test_the_due_lists_split_overdue_from_due_soon(client, users, owned):
    client.force_login(users["board_member"])
    data = client.get(reverse("plans:due"), {"format": "json", "days": "30"}).json()
    assert [a["ref"] for a in data["due_soon"]] == ["1.1.B"]
    assert "1.2.A" in [a["ref"] for a in data["overdue"]]
    assert all(a["status"] != "Completed" for a in data["overdue"])
    client.force_login(users["action_owner"])
    mine = client.get(reverse("plans:due"), {"format": "json", "mine": "1"}).json()
    assert [a["ref"] for a in mine["overdue"] + mine["due_soon"]] == ["1.1.B"]


def test_the_history_page_lists_every_change_and_downloads_it_all(client, users, owned):
    services.action_update(action=owned, user=users["action_owner"], status="completed", text="Done.")
    client.force_login(users["board_member"])
    url = reverse("plans:plan_history", args=[owned.plan.pk])
    data = client.get(url, {"format": "json"}).json()["events"]
    assert data[0]["who"] == "action_owner-user" and {e["field"] for e in data[:3]} == \
        {"status", "completion_date", "position"}
    body = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0] == "at,who,item,ref,field,old,new,note"
