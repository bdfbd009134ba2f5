"""The one form-submit routine every change view shares, and the view modules' imports without a circle."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from citizenfocus.plans.models import Action, PlanResponse, Recommendation

pytestmark = pytest.mark.django_db
VIEWS = Path(__file__).resolve().parents[2] / "src" / "citizenfocus" / "plans" / "views"


def test_a_valid_form_saves_and_redirects_or_answers_json(client, users, imported):
    client.force_login(users["analyst"])
    rec = Recommendation.objects.get(ref="1")
    url = reverse("plans:response_create", args=[rec.pk])
    made = client.post(url, {"text": "A third response."})
    response = PlanResponse.objects.get(text="A third response.")
    assert made.status_code == 302 and made["Location"] == reverse("plans:response", args=[response.pk])
    as_json = client.post(url + "?format=json", {"text": "A fourth response."})
    assert as_json.status_code == 201 and as_json.json() == {
        "status": "created", "id": PlanResponse.objects.get(text="A fourth response.").pk}
    edit = client.post(reverse("plans:recommendation_edit", args=[rec.pk]) + "?format=json",
                       {"ref": "1", "text": rec.text})
    assert (edit.status_code, edit.json()) == (200, {"status": "saved"})


def test_a_service_error_is_shown_at_its_field_and_the_page_comes_back(client, users, imported):
    client.force_login(users["analyst"])
    rec = Recommendation.objects.get(ref="1")
    url = reverse("plans:recommendation_edit", args=[rec.pk])
    page = client.post(url, {"ref": "2", "text": rec.text})  # recommendation 2 exists
    html = page.content.decode()
    assert page.status_code == 400 and 'role="alert"' in html
    assert "Another recommendation already has the ref 2." in html and 'aria-invalid="true"' in html
    as_json = client.post(url + "?format=json", {"ref": "2", "text": rec.text})
    assert as_json.status_code == 400
    assert as_json.json()["errors"]["ref"][0]["message"] == "Another recommendation already has the ref 2."
    rec.refresh_from_db()
    assert rec.ref == "1"


def test_an_owners_update_says_so_and_returns_where_it_came_from(client, users, owned):
    client.force_login(users["action_owner"])
    url = reverse("plans:action_update", args=[owned.pk])
    done = client.post(url, {"status": "work_underway", "text": "Halfway.", "next": "/plans/mine/"}, follow=True)
    assert done.redirect_chain == [("/plans/mine/", 302)]
    assert f"{owned.ref} updated: Work Underway." in done.content.decode()
    as_json = client.post(url + "?format=json", {"status": "completed", "text": "Done."}).json()
    assert as_json["status"] == "saved" and as_json["action"]["status"] == "Completed"
    bad = client.post(url + "?format=json", {"status": "nonsense"})
    assert bad.status_code == 400 and "status" in bad.json()["errors"]
    assert Action.objects.get(pk=owned.pk).status == "completed"


def _view_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.add(node.module or "")
    return found


def test_the_view_modules_import_each_other_without_a_circle():
    graph = {path.stem: _view_imports(path) & {p.stem for p in VIEWS.glob("*.py")} for path in VIEWS.glob("*.py")}
    assert graph["payloads"] == set() and graph["common"] == set()  # the shapes and helpers import no view
    seen, done = set(), set()

    def visit(name, trail):
        assert name not in trail, f"import circle: {' -> '.join([*trail, name])}"
        if name in done:
            return
        for other in graph[name]:
            visit(other, [*trail, name])
        done.add(name)

    for name in graph:
        visit(name, [])
    assert "plans" not in graph["payloads"] and "payloads" in graph["plans"]
    seen |= done
    assert seen == set(graph)
