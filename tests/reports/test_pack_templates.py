"""The Reports page's form: the force's own Word template (checked, kept with who and when, reused), the crime
type given with and without, and the recommendation the analyst writes."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import RGBColor
from typer.testing import CliRunner

from citizenfocus.accounts.models import CAPABILITIES
from tests.conftest import ROLES

pytestmark = [pytest.mark.usefixtures("demo_force"), pytest.mark.django_db]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NAVY = RGBColor(0x00, 0x30, 0x78)


@pytest.fixture(autouse=True)
def synchronous(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CITIZENFOCUS_PACKS_BACKGROUND = "0"


@pytest.fixture
def analyst(client, users):
    client.force_login(users["analyst"])
    return client


def force_template() -> bytes:
    """A force's template as Word saves one: its own heading colour, a header with the force's name, and a
    cover page whose fields the pack fills (one field split over two runs, as Word often splits text)."""
    document = Document()
    document.styles["Heading 1"].font.color.rgb = NAVY
    document.sections[0].header.paragraphs[0].text = "Northvale Police and Crime Panel"
    document.add_paragraph("{title}")
    meeting = document.add_paragraph("Meeting: ")
    meeting.add_run("{meet")
    meeting.add_run("ing}")
    document.add_paragraph("Security classification: {marking}").runs[0].add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def as_dotx(content: bytes) -> bytes:
    """The same file as a Word template (.dotx): only its main part's content type differs."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(item, data)
    return out.getvalue()


def _upload(client, name: str, content: bytes, label: str = "Force report template"):
    return client.post(reverse("reports:template_upload"),
                       {"name": label, "file": SimpleUploadedFile(name, content, content_type=DOCX)})


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_analyst_uploads_the_force_template_and_a_word_pack_starts_from_it(
        analyst, django_capture_on_commit_callbacks):
    from citizenfocus.reports.models import BoardPack, PackTemplate

    response = _upload(analyst, "Force report template.docx", force_template())
    assert response.status_code == 302 and response["Location"].endswith("?done=template#templates")
    template = PackTemplate.objects.get()
    assert (template.name, template.original_name, template.uploaded_by_name) == (
        "Force report template", "Force report template.docx", "analyst-user")
    assert template.uploaded_at is not None and len(template.sha256) == 64
    page = analyst.get(reverse("reports:reports"), {"done": "template"}).content.decode()
    assert "The Word template is kept" in page and "Force report template.docx" in page
    assert f'<option value="{template.pk}">Force report template (Force report template.docx, uploaded by ' \
           "analyst-user on" in page

    with django_capture_on_commit_callbacks(execute=True):
        analyst.post(reverse("reports:build"), {
            "survey": "uss", "format": "docx", "period": "2014-03", "template": template.pk,
            "crime_type": "violent_crime", "recommendation": "That the board asks for a plan for violent crime."})
    pack = BoardPack.objects.get()
    assert pack.status == "done", pack.error
    assert (pack.template, pack.crime_type) == (template, "violent_crime")
    download = analyst.get(reverse("reports:download", args=[pack.pk]))
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    texts = [p.text for p in document.paragraphs]
    # the template's cover, its fields filled, is the pack's cover: the pack's own starts on the next page
    assert texts[:4] == ["Victim satisfaction and the gap: Northvale Constabulary, 12 months to March 2014",
                         "Meeting: ", "Security classification: OFFICIAL", "1. Purpose and recommendation"]
    assert 'w:type="page"' in document.paragraphs[2]._p.xml and not any("{" in t for t in texts)
    assert "1.2\tRecommendation: That the board asks for a plan for violent crime." in texts
    assert any("violent crime alone:" in t and "without violent crime:" in t for t in texts)
    assert document.styles["Heading 1"].font.color.rgb == NAVY
    header = [p.text for p in document.sections[0].header.paragraphs]
    assert header[0] == "Northvale Police and Crime Panel" and "OFFICIAL" in header[-1]
    assert " PAGE " in document.sections[0].footer._element.xml
    assert analyst.get(reverse("reports:reports"), {"format": "json"}).json()["packs"][0]["crime_type"] == \
        "violent_crime"


def test_a_word_template_saved_as_dotx_is_kept_as_a_document(analyst):
    from citizenfocus.reports.models import PackTemplate

    assert _upload(analyst, "force.dotx", as_dotx(force_template())).status_code == 302
    template = PackTemplate.objects.get()
    download = analyst.get(reverse("reports:template", args=[template.pk]))
    assert download["Content-Disposition"].endswith('filename="force.docx"')
    opened = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert opened.paragraphs[0].text == "{title}"


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("minutes.docx", b"%PDF-1.7 a PDF renamed", "minutes.docx: the content is not a Word file (a .docx is a zip "
                                                  "package; this is not one)"),
    ("minutes.doc", b"\xd0\xcf\x11\xe0 an old Word file", "minutes.doc: a template must be a Word document (.docx) "
                                                          "or Word template (.dotx)"),
    ("empty.docx", b"", "The submitted file is empty."),
    ("photos.docx", _zip({"a.txt": b"x"}), "photos.docx: the content is not a Word file (it has no Office content "
                                           "types)"),
    ("figures.docx", _zip({"[Content_Types].xml": b'<Types><Override ContentType="application/vnd.openxmlformats-'
                                                  b'officedocument.spreadsheetml.sheet.main+xml"/></Types>'}),
     "figures.docx: the content is not a Word document (it may be a spreadsheet or presentation renamed .docx)"),
    ("macros.docx", _zip({"[Content_Types].xml": b'<Types><Override ContentType="application/vnd.ms-word.document.'
                                                 b'macroEnabled.main+xml"/></Types>'}),
     "macros.docx: a macro-enabled Word file cannot be used"),
    ("broken.docx", _zip({"[Content_Types].xml": b'<Types><Override ContentType="application/vnd.openxmlformats-'
                                                 b'officedocument.wordprocessingml.document.main+xml"/></Types>'}),
     "broken.docx: Word could not read this file"),
])
def test_a_file_that_is_not_a_word_template_is_refused_with_words_and_nothing_is_kept(
        analyst, settings, name, content, message):
    from citizenfocus.reports.models import PackTemplate

    response = _upload(analyst, name, content)
    assert response.status_code == 400
    page = response.content.decode().replace("&#x27;", "'")
    assert "The template was not kept" in page and message in page, page[page.find("error-summary"):][:600]
    assert not PackTemplate.objects.exists() and _stored_files(settings) == []


def test_a_template_over_the_size_limit_is_refused(analyst, settings):
    from citizenfocus.reports.models import PackTemplate

    settings.CITIZENFOCUS_PACKS_TEMPLATE_MAX_MB = 0.001
    response = _upload(analyst, "big.docx", force_template())
    assert response.status_code == 400 and "big.docx: the file is 0.0 MB; the limit is 0 MB." in \
        response.content.decode()
    assert not PackTemplate.objects.exists() and _stored_files(settings) == []


def test_a_template_with_a_pdf_and_a_crime_type_the_survey_lacks_are_refused_at_their_fields(
        analyst, django_capture_on_commit_callbacks):
    from citizenfocus.reports.models import BoardPack, PackTemplate

    _upload(analyst, "force.docx", force_template())
    template = PackTemplate.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst.post(reverse("reports:build"), {"survey": "uss", "format": "pdf", "template": template.pk})
    assert response.status_code == 400
    assert "A Word template applies to the Word pack only" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst.post(reverse("reports:build"), {"survey": "confidence", "format": "pdf",
                                                           "crime_type": "violent_crime"})
    assert response.status_code == 400
    assert "has no crime type &#x27;violent_crime&#x27;" in response.content.decode()
    assert not BoardPack.objects.exists()


def test_a_retired_template_is_no_longer_offered_and_is_kept_with_who_retired_it(analyst, users):
    from citizenfocus.reports.models import PackTemplate

    _upload(analyst, "force.docx", force_template())
    template = PackTemplate.objects.get()
    response = analyst.post(reverse("reports:template_retire", args=[template.pk]))
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.retired_at is not None and template.retired_by_name == "analyst-user"
    page = analyst.get(reverse("reports:reports")).content.decode()
    assert f'<option value="{template.pk}">Force report template' not in page
    assert "No template has been uploaded" in page
    listed = analyst.get(reverse("reports:reports"), {"format": "json"}).json()["templates"]
    assert [(t["id"], t["retired_at"] is not None) for t in listed] == [(template.pk, True)]


def test_every_role_may_upload_retire_and_download_templates_exactly_as_build_packs_allows(client, users):
    from citizenfocus.reports.models import PackTemplate

    client.force_login(users["analyst"])
    _upload(client, "force.docx", force_template())
    template = PackTemplate.objects.get()
    allowed = CAPABILITIES["build_packs"]
    for role in ROLES:
        client.force_login(users[role])
        upload = _upload(client, "not-word.docx", b"plain text")
        assert upload.status_code == (400 if role in allowed else 403), role
        assert client.get(reverse("reports:template", args=[template.pk])).status_code == \
            (200 if role in allowed else 403), role
        if role not in allowed:
            assert client.post(reverse("reports:template_retire", args=[template.pk])).status_code == 403
        client.logout()
    assert client.get(reverse("reports:template", args=[template.pk])).status_code == 302  # to log in
    template.refresh_from_db()
    assert PackTemplate.objects.count() == 1 and template.retired_at is None


@pytest.mark.parametrize(("args", "message"), [
    (["--crime-type", "burglary"], "error: --crime-type 'burglary': the User satisfaction survey has no such crime "
                                   "type; its crime types are: domestic_burglary, violent_crime"),
    (["--template", "notes.docx"], "error: --template notes.docx: the content is not a Word file"),
])
def test_the_command_refuses_a_crime_type_or_template_it_cannot_use(args, message, tmp_path, monkeypatch):
    from citizenfocus.cli import app

    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.docx").write_bytes(b"not a zip")
    result = CliRunner().invoke(app, ["board-pack", "--format", "docx", *args])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(message), result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.docx"]


def test_the_command_accepts_a_crime_type_by_its_label(tmp_path, monkeypatch):
    from citizenfocus.cli import app

    monkeypatch.chdir(tmp_path)
    template = tmp_path / "force.dotx"
    template.write_bytes(as_dotx(force_template()))
    result = CliRunner().invoke(app, ["board-pack", "--format", "docx", "--division", "Central", "--crime-type",
                                      "Vehicle crime", "--template", str(template), "-o", str(tmp_path / "p.docx")])
    assert result.exit_code == 0, result.output
    texts = [p.text for p in Document(str(tmp_path / "p.docx")).paragraphs]
    assert texts[0] == "Victim satisfaction and the gap: Central division, 12 months to March 2014"
    assert any("vehicle crime alone:" in t for t in texts)
