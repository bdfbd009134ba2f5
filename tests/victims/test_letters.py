"""Letters in the victim's language: fields filled, a missing language flagged (never English instead),
every letter an event; Urdu and Polish rendered to PDF and PNG with fonts that draw them."""

import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from citizenfocus.victims.demo_load import demo_letter_templates
from citizenfocus.victims.letters import LetterMissing, letter_send
from citizenfocus.victims.models import VictimEvent, VictimRecord

from .conftest import AS_AT


def _text(docx: bytes) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)


@pytest.fixture
def templates(victims):
    demo_letter_templates()
    return victims


@pytest.mark.django_db
def test_a_letter_is_in_the_victims_language_with_the_crimes_facts(templates):
    case = VictimRecord.objects.get(crime_reference="NV/24/0003")  # preferred language pl
    docx, name = letter_send(record=case, event="acknowledgement", user=templates["officer"], as_at=AS_AT)
    text = _text(docx)
    assert name == "NV-24-0003-acknowledgement-pl.docx"
    assert "Szanowni Państwo" in text and "przestępstwo dotyczące pojazdu" in text
    assert "NV/24/0003" in text and "04/03/2024" in text and "PC 102" in text and "North Team A" in text
    assert "{{" not in text
    sent = case.events.get(kind="letter_sent")
    assert (sent.who_name, sent.on, sent.method) == ("officer-user", AS_AT, "letter")


@pytest.mark.django_db
def test_the_key_event_letter_names_the_event_in_urdu(templates):
    case = VictimRecord.objects.get(crime_reference="NV/24/0002")  # ur, arrest on 22/03/2024
    text = _text(letter_send(record=case, event="key_event", user=None, as_at=AS_AT)[0])
    assert "ملزم کی گرفتاری" in text and "22/03/2024" in text and "محترم" in text


@pytest.mark.django_db
def test_a_language_with_no_template_is_flagged_not_sent_in_english(templates):
    case = VictimRecord.objects.get(crime_reference="NV/24/0005")  # ro: no Romanian templates
    with pytest.raises(LetterMissing, match=r"no update template in 'ro' \(templates exist in: en, pl, ur\)"):
        letter_send(record=case, event="update", user=templates["officer"], as_at=AS_AT)
    kinds = list(case.events.values_list("kind", flat=True))
    assert "letter_not_sent" in kinds and "letter_sent" not in kinds


@pytest.mark.django_db
def test_an_officer_downloads_a_letter_and_an_analyst_may_not(client, templates):
    case = VictimRecord.objects.get(crime_reference="NV/24/0001")
    url = reverse("victims:letter", args=[case.pk])
    client.force_login(templates["analyst"])
    assert client.post(url, {"event": "update", "format": "docx"}).status_code == 403
    client.force_login(templates["officer"])
    response = client.post(url, {"event": "update", "format": "docx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "Dear Sir or Madam" in _text(response.content)
    assert VictimEvent.objects.filter(record=case, kind="letter_sent").count() == 1
    missing = client.post(reverse("victims:letter", args=[VictimRecord.objects.get(crime_reference="NV/24/0005").pk]),
                          {"event": "update", "format": "docx"})
    assert missing.status_code == 404  # not the officer's case: PC 201's


@pytest.mark.django_db
@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftoppm"), reason="LibreOffice and poppler")
@pytest.mark.parametrize(("ref", "font", "words"), [
    ("NV/24/0002", "NotoNastaliqUrdu", "ملزم"),
    ("NV/24/0003", "DejaVuSans", "zatrzymanie"),
])
def test_urdu_and_polish_letters_render_to_pdf_and_png_in_fonts_that_draw_them(templates, tmp_path, ref, font, words):
    case = VictimRecord.objects.get(crime_reference=ref)
    VictimEvent.objects.create(record=case, kind="key_event", key_event="arrest", on=AS_AT, source="app",
                               who_name="test")
    pdf, _ = letter_send(record=case, event="key_event", user=None, fmt="pdf", as_at=AS_AT)
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert font in fonts
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # poppler splits Nastaliq words at its joins and wraps right-to-left runs in direction marks
    assert words in re.sub(r"[\s\u202a-\u202e]", "", text)
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
                   check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 5_000


@pytest.mark.django_db
def test_an_administrator_adds_a_template_version_and_it_is_used(client, templates):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from citizenfocus.demo.victims import letter_docx
    from citizenfocus.victims.models import LetterTemplate

    client.force_login(templates["administrator"])
    upload = SimpleUploadedFile("update.docx", letter_docx("en", "update"))
    response = client.post("/admin/victims/lettertemplate/add/", {"event": "update", "language": "ur", "upload": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    newest = LetterTemplate.objects.filter(event="update", language="ur").order_by("-at", "-pk").first()
    assert newest.who_name == "administrator-user" and newest.right_to_left
    assert LetterTemplate.objects.filter(event="update", language="ur").count() == 2
    bad = client.post("/admin/victims/lettertemplate/add/",
                      {"event": "update", "language": "en", "upload": SimpleUploadedFile("x.docx", b"not word")})
    assert bad.status_code == 200 and "is not a Word .docx file" in bad.content.decode()
