"""Every filter and query parameter of every page, given garbage: the answer is 400 or 404 (or the
page, the garbage ignored), never a server error. The pages read these parameters (grep request.GET
and the filter forms); each is sent alone, so a bad one is not hidden behind another."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.performance.conftest import demo_data  # noqa: F401  (fixture)
from tests.plans.conftest import imported, plan_docx  # noqa: F401  (fixtures)
from tests.web.test_exports_are_safe import _community_kwargs, _plant_communities

GARBAGE = ("99999999999999999999", "-1", "1e309", "ä½ å¥½ ✓ ﷽", "\x00", "' OR 1=1 --", "x" * 3000, "[]",
           "2013-13-45")
EVERY_PAGE = ("format", "table", "page")
PARAMETERS = {
    "performance": ("survey", "measure", "period", "crime_type", "division", "neighbourhood", "chart", "publication",
                    "edit", "item", "kind"),
    "surveys": ("survey", "division", "neighbourhood", "crime_type", "ethnicity", "date_from", "date_to", "batch",
                "q"),
    "plans": ("archived", "since", "only", "days", "mine", "all"),
    "equality": ("basis", "first", "last", "section_60", "neighbourhood", "metric", "years", "chart", "publication",
                 "choose"),
    "": ("next",),
}
PARAMETERS |= {"communities": ("month", "week", "chart", "publication"), "public": ("lang",)}
ALLOWED = {200, 400, 404, 405}


def _named_patterns(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver) and entry.app_name != "admin":
            yield from _named_patterns(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _objects(imported, users):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from citizenfocus.plans import services
    from citizenfocus.plans.models import Action, Evidence
    from citizenfocus.surveys.models import ImportBatch

    action = Action.objects.filter(response__recommendation__plan=imported).first()
    update = services.action_update(action=action, user=users["analyst"], text="Minutes attached.",
                                    files=[SimpleUploadedFile("note.txt", b"minutes")])
    register = services.risk_register_create(title="Risks", user=users["analyst"], plan=imported)
    risk = services.risk_create(register=register, user=users["analyst"], title="Tension", likelihood=2, impact=2)
    meeting = services.meeting_record(plan=imported, user=users["analyst"], title="Board", held_on=timezone.localdate())
    return {"plan": imported.pk, "action": action.pk, "response": action.response.pk,
            "recommendation": action.response.recommendation.pk, "register": register.pk, "risk": risk.pk,
            "meeting": meeting.pk, "batch": ImportBatch.objects.latest("pk").pk,
            "evidence": Evidence.objects.get(update=update).pk, "import": imported.imports.get().pk,
            "mitigation": services.mitigation_add(risk=risk, action=action, user=users["analyst"]).pk,
            "change_point": 1}


def _kind(name: str) -> str:
    short = name.split(":")[-1]
    for kind in ("recommendation", "response", "action", "risk_register", "risk", "meeting", "import", "evidence",
                 "mitigation", "change_point"):
        if short.startswith(kind):
            return "register" if kind == "risk_register" else kind
    return "batch" if name == "surveys:batch" else "plan"


@pytest.mark.usefixtures("demo_data")
def test_no_parameter_of_any_page_given_garbage_is_a_server_error(client, users, imported):  # noqa: F811
    pks = _objects(imported, users)
    planted = _plant_communities(users)
    client.force_login(users["administrator"])
    client.raise_request_exception = False
    errors, asked = [], 0
    for name, pattern in _named_patterns():
        if name in {"logout", "healthz"}:
            continue
        kwargs = {"pk": pks[_kind(name)]} if "pk" in pattern.pattern.converters else {}
        if "code" in pattern.pattern.converters:  # a neighbourhood's pages (equality profiles)
            kwargs["code"] = "C12"
        if name.startswith(("communities:", "public:")):
            kwargs = _community_kwargs(name, pattern, planted)
        url = reverse(name, kwargs=kwargs)
        if client.get(url).status_code == 405:
            continue  # a POST-only view answers before it reads a parameter
        namespace = name.split(":")[0] if ":" in name else ""
        for parameter in EVERY_PAGE + PARAMETERS.get(namespace, ()):
            for value in GARBAGE:
                response = client.get(url, {parameter: value})
                asked += 1
                if response.status_code not in ALLOWED:
                    errors.append(f"{name} ?{parameter}={value[:30]!r}: {response.status_code}")
    assert asked > 1500
    assert not errors, "\n".join(errors[:40])


@pytest.mark.parametrize(("url", "parameter", "value", "status"), [
    ("/data/responses/", "batch", "99999999999999999999", 400),
    ("/data/responses/", "page", "-1", 200),
    ("/data/responses/", "division", "99999999999999999999", 400),
    ("/data/", "format", "\x00", 400),
])
@pytest.mark.django_db
def test_the_reported_garbage_gets_a_clear_answer(client, users, url, parameter, value, status):
    client.force_login(users["analyst"])
    client.raise_request_exception = False

    response = client.get(url, {parameter: value})

    assert response.status_code == status, response.content[:300]
