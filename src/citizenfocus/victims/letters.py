"""Letters to victims in their language: a force's Word template per event and language, filled for one case.

Templates are .docx files whose fields are written {{ crime_reference }} and the like
(docxtpl, Jinja in Word); the force keeps them as data (LetterTemplate rows, a new
version a new row). A letter is rendered to .docx, or to PDF with LibreOffice
headless. A language with no template is refused and the refusal recorded on the
case: a letter is never sent in English instead. Every letter made is an event.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from django.utils import timezone

from citizenfocus.surveys.definition import get_definition

from .models import LetterTemplate, VictimEvent, VictimRecord
from .rules import dues, load_rules
from .services import victim_event_record

FIELDS = ("crime_reference", "crime_type", "reported_on", "officer", "team", "division", "next_update",
          "key_event", "key_event_on", "today")
RIGHT_TO_LEFT = frozenset({"ar", "ur", "fa", "ps", "he", "yi"})
PDF_SECONDS = 120


class LetterError(Exception):
    """A letter that cannot be made: says what is missing."""


class LetterMissing(LetterError):
    """No template for this event in the victim's language (the refusal is recorded on the case)."""


def latest_template(event: str, language: str) -> LetterTemplate | None:
    return LetterTemplate.objects.filter(event=event, language=language).order_by("-at", "-pk").first()


def _day(value: date | None) -> str:
    # Numbers only: a date a reader of any language reads the same way.
    return f"{value:%d/%m/%Y}" if value else ""


def letter_fields(record: VictimRecord, *, as_at: date) -> dict[str, str]:
    """The crime's facts for the template's fields."""
    events = list(record.events.all())
    update = next((d for d in dues(record.facts(events), load_rules()) if d.kind == "update"), None)
    key = next((e for e in reversed(events) if e.kind == VictimEvent.Kind.KEY_EVENT), None)
    crime_types = {c.key: c.label for c in get_definition("uss").crime_types}
    return {
        "crime_reference": record.crime_reference,
        "crime_type": crime_types.get(record.crime_type, record.crime_type),
        "crime_type_key": record.crime_type,
        "reported_on": _day(record.reported_on),
        "officer": record.officer.identifier if record.officer else "",
        "team": record.team.name if record.team else "",
        "division": record.division.name,
        "next_update": _day(update.on if update else None),
        "key_event": key.key_event if key else "",
        "key_event_on": _day(key.on if key else None),
        "today": _day(as_at),
    }


def render_docx(template: LetterTemplate, fields: dict[str, str]) -> bytes:
    from docxtpl import DocxTemplate

    document = DocxTemplate(io.BytesIO(bytes(template.docx)))
    document.render(fields, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_to_pdf(docx: bytes) -> bytes:
    """LibreOffice headless, in a profile of its own so letters made at once do not collide."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise LetterError("LibreOffice is not installed: PDF letters need it (the .docx can still be made)")
    with tempfile.TemporaryDirectory(prefix="citizenfocus-letter-") as tmp:
        source = Path(tmp) / "letter.docx"
        source.write_bytes(docx)
        command = [office, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
                   "--outdir", tmp, str(source)]
        done = subprocess.run(command, capture_output=True, timeout=PDF_SECONDS, env={**os.environ, "HOME": tmp},
                              check=False)
        pdf = Path(tmp) / "letter.pdf"
        if done.returncode != 0 or not pdf.exists():
            raise LetterError(f"LibreOffice could not make the PDF: {done.stderr.decode(errors='replace')[-300:]}")
        return pdf.read_bytes()


def letter_send(*, record: VictimRecord, event: str, user, language: str | None = None, fmt: str = "docx",
                as_at: date | None = None) -> tuple[bytes, str]:
    """The letter for one case in the victim's language (or `language`), recorded as sent.

    No template in that language: LetterMissing, and a 'letter not sent' event on the case, so the
    gap is seen and mended (a template added), never covered by an English letter. The letter is
    made first and recorded after, so a letter LibreOffice could not make is not recorded as sent."""
    if event not in LetterTemplate.Event.values:
        raise LetterError(f"unknown letter {event!r}: use one of {', '.join(LetterTemplate.Event.values)}")
    if fmt not in ("docx", "pdf"):
        raise LetterError(f"unknown format {fmt!r}: use docx or pdf")
    language = (language or record.language or "en").lower()
    as_at = as_at or timezone.localdate()
    template = latest_template(event, language)
    if template is None:
        have = sorted(set(LetterTemplate.objects.filter(event=event).values_list("language", flat=True)))
        detail = f"no {event.replace('_', ' ')} template in '{language}' (templates exist in: {', '.join(have) or 'none'})"
        # Recorded in its own transaction (victim_event_record), so the refusal stays on the case.
        victim_event_record(record=record, user=user, kind=VictimEvent.Kind.LETTER_NOT_SENT, on=as_at, detail=detail)
        raise LetterMissing(f"{record.crime_reference}: {detail}; add one before writing to this victim")
    docx = render_docx(template, letter_fields(record, as_at=as_at))
    content = docx_to_pdf(docx) if fmt == "pdf" else docx
    victim_event_record(record=record, user=user, kind=VictimEvent.Kind.LETTER_SENT, on=as_at, method="letter",
                        detail=f"{event} letter in {language} ({fmt}), template of {template.at:%Y-%m-%d}")
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", record.crime_reference)  # a crime reference's slashes are not a path
    return content, f"{safe}-{event}-{language}.{fmt}"
