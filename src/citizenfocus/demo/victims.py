"""The demo force's victims: a crime system export (crimes and events), letter templates, teams and log-ins.

Deterministic from the seed: closed cases across the survey's three years (so compliance
stands beside kept-informed satisfaction for the same months), with BME victims' updates
in Central division more often late; and open cases laid back from the day the demo is
loaded, so the officer's queue has breached, red, amber and green cases on any day.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from .letter_texts import texts
from .model import CRIME_SAMPLE_SHARE, CRIME_TYPES, DEMO_FIRST_MONTH, DEMO_MONTHS

DIVISIONS = ("Northern", "Central", "Southern")
TEAMS = {d: (f"{d} Investigation Team A", f"{d} Investigation Team B") for d in DIVISIONS}
DEMO_TEAM = TEAMS["Central"][0]
DEMO_OFFICER = "PC 4127"
WHITE, BME = ("W1", "W1", "W1", "W2", "W4"), ("A1", "A2", "A3", "B1", "B2", "M1", "O2")
LANGUAGES = (("en", 0.9), ("pl", 0.05), ("ur", 0.04), ("ro", 0.01))
CLOSED_PER_MONTH = 50
OPEN_CASES = 90
CRIME_HEADER = ("crime_reference", "crime_type", "reported_on", "division", "officer", "team", "victim_id",
                "ethnicity", "enhanced", "language", "opted_out", "closed_on")
EVENT_HEADER = ("crime_reference", "event", "on", "key_event", "told_on", "method")


def _officers(team: str, index: int) -> list[str]:
    return [DEMO_OFFICER, "PC 4133"] if team == DEMO_TEAM else [f"PC {5000 + index * 10 + k}" for k in range(3)]


def _case(rng, ref: str, reported: date, end: date, *, closed: bool) -> tuple[dict, list[tuple]]:
    division = DIVISIONS[rng.choice(3, p=(0.3, 0.45, 0.25))]
    team_index = int(rng.integers(2))
    team = TEAMS[division][team_index]
    bme = rng.random() < (0.3 if division == "Central" else 0.1)
    language = LANGUAGES[rng.choice(len(LANGUAGES), p=[p for _, p in LANGUAGES])][0] if bme else "en"
    enhanced = "vulnerable" if rng.random() < 0.15 else ""
    crime = {"crime_reference": ref, "crime_type": CRIME_TYPES[rng.choice(len(CRIME_TYPES), p=CRIME_SAMPLE_SHARE)],
             "reported_on": reported.isoformat(), "division": division,
             "officer": rng.choice(_officers(team, DIVISIONS.index(division) * 2 + team_index)), "team": team,
             "victim_id": f"P{rng.integers(10**6, 10**7)}",
             "ethnicity": rng.choice(BME if bme else WHITE), "enhanced": enhanced, "language": language,
             "opted_out": "yes" if rng.random() < 0.03 else "no", "closed_on": end.isoformat() if closed else ""}
    # The structure the compliance page finds: BME victims in Central wait longer between updates.
    late = 0.35 if (bme and division == "Central") else 0.12
    return crime, _events(rng, ref, reported, end, late=late, enhanced=bool(enhanced))


def _events(rng, ref: str, reported: date, end: date, *, late: float, enhanced: bool) -> list[tuple]:
    events = []
    ack = reported + timedelta(days=int(rng.choice((0, 1, 2, 3, 9), p=(0.4, 0.3, 0.15, 0.1, 0.05))))
    if ack <= end:
        events += [(ref, "acknowledgement", ack, "", "", "letter"), (ref, "needs_assessment", ack, "", "", "phone")]
    if rng.random() < 0.85 and ack + timedelta(days=1) <= end:
        kind = "referral_consented" if rng.random() < 0.6 else "referral_declined"
        events.append((ref, kind, ack + timedelta(days=1), "", "", "phone"))
    if rng.random() < 0.7:
        events.append((ref, "vps_offered", min(ack + timedelta(days=2), end), "", "", "visit"))
    day = ack
    while True:
        gap = int(rng.integers(29, 40)) if rng.random() < late else int(rng.integers(10, 27))
        day += timedelta(days=gap)
        if day > end:
            break
        events.append((ref, "update", day, "", "", "phone"))
    if rng.random() < 0.3:
        on = reported + timedelta(days=int(rng.integers(3, 20)))
        told = on + timedelta(days=int(rng.integers(0, 3 if enhanced else 8)))
        if on <= end:
            told_text = told.isoformat() if told <= end else ""
            events.append((ref, "key_event", on, rng.choice(("arrest", "charge", "bail", "court_date")), told_text,
                           "phone"))
    return events


def victim_files(folder: Path, *, seed: int, today: date) -> tuple[Path, Path]:
    """Write the demo export (crimes.csv, events.csv) into folder, as a crime system would."""
    rng = np.random.default_rng(seed + 13)
    crimes, events = [], []
    for m in range(DEMO_MONTHS):
        first = date(DEMO_FIRST_MONTH.year + (DEMO_FIRST_MONTH.month - 1 + m) // 12,
                     (DEMO_FIRST_MONTH.month - 1 + m) % 12 + 1, 1)
        for k in range(CLOSED_PER_MONTH):
            reported = first + timedelta(days=int(rng.integers(28)))
            end = reported + timedelta(days=int(rng.integers(20, 120)))
            crime, evs = _case(rng, f"NV/{first:%y%m}/{k:04d}", reported, end, closed=True)
            crimes.append(crime)
            events += evs + [(crime["crime_reference"], "closed", end, "", "", "")]
    for k in range(OPEN_CASES):
        reported = today - timedelta(days=int(rng.integers(1, 90)))
        crime, evs = _case(rng, f"NV/OPEN/{k:04d}", reported, today - timedelta(days=1), closed=False)
        crimes.append(crime)
        events += evs
    return _write(folder / "crimes.csv", CRIME_HEADER, [[c[h] for h in CRIME_HEADER] for c in crimes]), _write(
        folder / "events.csv", EVENT_HEADER, [[v.isoformat() if isinstance(v, date) else v for v in e] for e in events])


def _write(path: Path, header, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def letter_docx(language: str, event: str) -> bytes:
    """A Word template for one event in one language, its fields in {{ }} (docxtpl)."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    words = texts(language)
    rtl = language == "ur"
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(11)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    # Word and LibreOffice draw Urdu with the complex-script font: Noto Nastaliq Urdu (fonts-noto-core).
    fonts.set(qn("w:cs"), "Noto Nastaliq Urdu" if rtl else "DejaVu Sans")
    for kind, text in [("heading", words["heading"]), ("ref", words["ref"]), ("greeting", words["greeting"]),
                       *(("body", t) for t in words[event]), ("closing", words["closing"]),
                       ("signature", words["signature"])]:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = kind == "heading"
        if rtl:
            # A right-to-left paragraph (w:bidi first in its properties, where the schema puts it): it starts at
            # the right, even where a line begins with a reference in Latin letters.
            paragraph._p.get_or_add_pPr().insert(0, OxmlElement("w:bidi"))
            run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
