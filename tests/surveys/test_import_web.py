"""The import page: analysts and administrators upload; a refused file shows every problem."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from citizenfocus.accounts.services import user_create_or_update
from citizenfocus.surveys.models import ImportBatch, Response

from .conftest import USS_COLUMNS, uss_row, write_csv

pytestmark = pytest.mark.django_db
URL = reverse("surveys:import")


def _login(client, role):
    user, _ = user_create_or_update(username=role, password="a long test password", role=role)
    client.force_login(user)
    return user


def _upload(tmp_path, rows, name="survey.csv"):
    path = write_csv(tmp_path / name, rows, columns=USS_COLUMNS)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def test_an_analyst_sees_the_form(client, areas):
    _login(client, "analyst")

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_file">Survey file</label>' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<option value="uss">User satisfaction survey</option>' in html


def test_an_analyst_uploads_a_file_and_it_is_stored(client, areas, tmp_path):
    user = _login(client, "analyst")

    response = client.post(URL, {"survey": "uss", "file": _upload(tmp_path, [uss_row(1), uss_row(2)])})

    assert response.status_code == 200
    assert Response.objects.count() == 2
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.source, batch.imported_by, batch.file_name) == ("stored", "web", user, "survey.csv")
    html = response.content.decode()
    assert "survey.csv was imported" in html
    assert '<th scope="row">New responses</th><td class="num">2</td>' in html


def test_an_administrator_may_import(client, areas, tmp_path):
    _login(client, "administrator")

    client.post(URL, {"survey": "uss", "file": _upload(tmp_path, [uss_row(1)])})

    assert Response.objects.count() == 1


@pytest.mark.parametrize("role", ["board_member", "action_owner", "no_access"])
def test_other_roles_may_not_import(client, areas, tmp_path, role):
    _login(client, role)

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"survey": "uss", "file": _upload(tmp_path, [uss_row(1)])}).status_code == 403
    assert Response.objects.count() == 0


def test_an_anonymous_visitor_is_sent_to_log_in(client, areas):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_form_needs_a_csrf_token(areas, tmp_path):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    _login(client, "analyst")

    response = client.post(URL, {"survey": "uss", "file": _upload(tmp_path, [uss_row(1)])})

    assert response.status_code == 403
    assert Response.objects.count() == 0


def test_a_refused_upload_shows_every_problem_and_stores_nothing(client, areas, tmp_path):
    _login(client, "analyst")
    rows = [uss_row(1), uss_row(2, neighbourhood="Hightown Cntral"), uss_row(3, treatment="11")]

    response = client.post(URL, {"survey": "uss", "file": _upload(tmp_path, rows)})

    assert response.status_code == 200
    assert Response.objects.count() == 0
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "survey.csv was refused. Nothing was stored." in html
    assert "<caption>Problems in survey.csv</caption>" in html
    assert ("<td>survey.csv</td><td class=\"num\">3</td><td>neighbourhood</td><td>Hightown Cntral</td>"
            "<td>is not a known neighbourhood; closest: Hightown Central</td>") in html
    assert "<td>treatment</td><td>11</td>" in html
    assert ImportBatch.objects.get().status == "refused"


def test_the_form_refuses_a_file_type_at_the_field(client, areas):
    _login(client, "analyst")

    response = client.post(URL, {"survey": "uss", "file": SimpleUploadedFile("survey.pdf", b"%PDF")})

    html = response.content.decode()
    assert 'id="file-error"' in html and "The survey file must be a .csv" in html
    assert 'aria-invalid="true"' in html
    assert ImportBatch.objects.count() == 0


def test_the_json_twin_of_a_stored_upload(client, areas, tmp_path):
    _login(client, "analyst")

    response = client.post(URL + "?format=json", {"survey": "uss", "file": _upload(tmp_path, [uss_row(1)])})

    data = response.json()
    assert response.status_code == 200
    assert (data["status"], data["rows_new"], data["rows_read"], data["survey"]) == ("stored", 1, 1, "uss")


def test_the_json_twin_of_a_refused_upload_by_accept_header(client, areas, tmp_path):
    _login(client, "analyst")

    response = client.post(URL, {"survey": "uss", "file": _upload(tmp_path, [uss_row(1, sex="Robot")])},
                           HTTP_ACCEPT="application/json")

    data = response.json()
    assert response.status_code == 422
    assert (data["status"], data["message"], data["error_count"]) == ("refused", "Nothing was stored", 1)
    assert data["errors"][0] == {"file": "survey.csv", "row": 2, "column": "sex", "value": "Robot",
                                 "expected": data["errors"][0]["expected"]}
    assert data["batch"] == ImportBatch.objects.get().pk


def test_the_json_twin_of_the_form_lists_surveys_and_columns(client, areas):
    _login(client, "analyst")

    data = client.get(URL + "?format=json").json()

    assert {"key": "uss", "name": "User satisfaction survey"} in data["surveys"]
    assert "npt" in data["columns"]["uss"]["neighbourhood"]
    assert ".parquet" in data["formats"]


def test_the_json_twin_lists_the_columns_of_the_stored_definitions(client, areas):
    """A force's own survey, or a question added to a shipped one, is listed as it is stored."""
    from citizenfocus.surveys.definition import DEFINITIONS_DIR
    from citizenfocus.surveys.services import survey_definition_change, survey_for

    user = _login(client, "analyst")
    text = (DEFINITIONS_DIR / "perception.toml").read_text(encoding="utf-8") + (
        '\n[[measures]]\nkey = "listen_concerns"\nlabel = "Police listen to local concerns"\n'
        'aliases = ["q5"]\n')
    survey_definition_change(survey=survey_for("perception"), text=text, user=user)

    columns = client.get(URL + "?format=json").json()["columns"]

    assert columns["perception"]["listen_concerns"] == ["listen_concerns", "Police listen to local concerns", "q5"]
    assert "ease_of_contact" in columns["uss"]  # a survey not stored yet: its shipped definition


def test_an_upload_with_a_mapping_file(client, areas, tmp_path):
    _login(client, "analyst")
    header = ["Resp No", *USS_COLUMNS[1:]]
    path = write_csv(tmp_path / "export.csv", [uss_row(1)], columns=USS_COLUMNS, header=header)
    mapping = SimpleUploadedFile("mapping.toml", b'[columns]\n"Resp No" = "response_id"\n')

    client.post(URL, {"survey": "uss", "file": SimpleUploadedFile("export.csv", path.read_bytes()),
                      "mapping": mapping})

    assert Response.objects.get().response_id == "U00001"


def test_a_web_upload_over_the_size_limit_is_refused_at_the_field(client, users, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from citizenfocus.surveys.models import ImportBatch

    settings.CITIZENFOCUS_MAX_UPLOAD_MB = 0
    client.force_login(users["analyst"])
    response = client.post("/data/import/", {"survey": "uss", "file": SimpleUploadedFile("big.csv", b"x" * 2048)})
    assert response.status_code == 200
    assert "the most a web upload may be is 0 MB" in response.content.decode(), response.context["form"].errors
    assert not ImportBatch.objects.exists()
