"""Assemble the board pack: cover and purpose, summary grid, key findings, one section per measure,
action plans, appendix (the order UK committee reports use)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from citizenfocus.areas.models import Division, Force
from citizenfocus.performance.cube import get_cube
from citizenfocus.plans.config import protective_marking
from citizenfocus.plans.models import Meeting
from citizenfocus.stats import parse_period
from citizenfocus.stats.periods import month_date

from .appendix import write_appendix
from .document import Cover, Pack
from .measures import write_measure
from .plans_section import write_plans
from .sources import PageSource
from .summary import write_findings, write_summary

# the measures' pages computed first, so the chart worker starts on their pictures sooner (below); off only for
# the "before" of benchmarks/board_pack.py
EARLY_CHARTS = True


class PackError(ValueError):
    """The pack cannot be built as asked: the message says what to change."""


@dataclass(frozen=True)
class PackRequest:
    survey: str = "uss"
    division: str | None = None  # a division's name or code; None: the whole force
    period: str | None = None  # 'rolling12:2014-03' or '2014-03'; None: 12 months to the latest month
    meeting: int | None = None  # a plan's board meeting: changes since it
    body: str = ""
    author: str = ""
    recommendation: str = ""
    crime_type: str | None = None  # the crime type the findings give with and without
    today: dt.date | None = None


def _division(name: str | None) -> Division | None:
    if not name:
        return None
    found = Division.objects.filter(archived=False).filter(name__iexact=name).first() or \
        Division.objects.filter(archived=False, code__iexact=name).first()
    if found is None:
        names = ", ".join(Division.objects.filter(archived=False).values_list("name", flat=True))
        raise PackError(f"no division {name!r}; the divisions are: {names}")
    return found


def _period(spec: str | None, cube):
    text = (spec or "").strip()
    if not text:
        text = f"rolling12:{month_date(cube.last_month):%Y-%m}"
    elif ":" not in text:
        text = f"rolling12:{text}"
    try:
        period = parse_period(text)
    except ValueError as exc:
        raise PackError(f"--period {spec!r}: {exc}") from exc
    if period.kind != "rolling" or period.months != 12:
        raise PackError(f"--period {spec!r}: the pack reports rolling 12 months; give rolling12:YYYY-MM or YYYY-MM")
    if not cube.first_month <= period.last <= cube.last_month:
        raise PackError(f"--period {spec!r}: the survey has responses from {cube.month_label(cube.first_month)} "
                        f"to {cube.month_label(cube.last_month)}")
    return period


def _meeting(number: int | None) -> Meeting | None:
    if number is None:
        return None
    found = Meeting.objects.filter(pk=number, archived=False).first()
    if found is None:
        raise PackError(f"no board meeting number {number}; see the plan's Meetings page for their numbers")
    return found


def _crime_type(name: str | None, definition) -> str | None:
    """The crime type's key, given its key or its label (any case); None: the pack chooses."""
    if not name:
        return None
    for kind in definition.crime_types:
        if name.strip().lower() in (kind.key.lower(), kind.label.lower()):
            return kind.key
    known = ", ".join(kind.key for kind in definition.crime_types) or "none"
    raise PackError(f"--crime-type {name!r}: the {definition.name} has no such crime type; its crime types are: "
                    f"{known}")


def _cover(request: PackRequest, *, area: str, period, meeting: Meeting | None) -> Cover:
    force = Force.objects.first()
    return Cover(
        title=f"Victim satisfaction and the gap: {area}, {period.label}",
        body=request.body or (meeting.plan.owning_body if meeting else "") or "Scrutiny board",
        meeting=f"{meeting.title}, {meeting.held_on:%d %B %Y}" if meeting else "",
        date=request.today or timezone.localdate(), author=request.author or (str(force) if force else ""),
        marking=protective_marking(), area=area, period=period.label)


def board_pack(request: PackRequest, *, progress=None, render: bool = True) -> Pack:
    """The pack's content, its charts being drawn (unless `render` is False; `Chart.image()` waits for one);
    `progress(step, total, words)` is told as it goes."""
    cube = get_cube(request.survey)
    if cube is None:
        raise PackError(f"no responses are stored for survey {request.survey!r}; import some first")
    division, meeting = _division(request.division), _meeting(request.meeting)
    period = _period(request.period, cube)
    crime_type = _crime_type(request.crime_type, cube.definition)
    source = PageSource(cube=cube, period=period.spec, division=division)
    area = f"{division.name} division" if division else (str(Force.objects.first() or "the force"))
    # charts are drawn in the chart worker while the rest of the pack is computed
    pack = Pack(cover=_cover(request, area=area, period=period, meeting=meeting), draw_charts=render)
    # A section per question's own measure; the shares of one answer ("neither") are the dashboard's
    # Distribution page, not a board's headline.
    measures = [m for m in cube.definition.measures if m.headline]
    steps = [("Summary grid", lambda: write_summary(pack, source, period)),
             ("Key findings", lambda: write_findings(pack, source, period, area=area, crime_type=crime_type)),
             *((m.label, lambda m=m: write_measure(pack, source, m)) for m in measures),
             ("Action plans", lambda: write_plans(pack, meeting=meeting)),
             ("Appendix", lambda: write_appendix(pack, survey_key=request.survey))]
    total = len(steps) + 1
    if render and EARLY_CHARTS:
        if progress:
            progress(1, total, "Each measure's pages and charts")
        # The measures' pages first, their charts sent to the worker as each page is computed: the worker
        # starts on the first picture while the summary's pages are computed, not after them, and the PDF
        # waits less for the last. The sections are written below in the pack's order from the same
        # (memoised) pages; a picture asked for again while being drawn is the same drawing.
        early = Pack(cover=pack.cover, draw_charts=True)
        for measure in measures:
            write_measure(early, source, measure)
    _purpose(pack, request, area=area, period=period)
    for number, (words, step) in enumerate(steps, start=1):
        if progress:
            progress(number, total, words)
        step()
    if progress:
        progress(total, total, "Charts and the document")
    if render:
        start_charts(pack)
    return pack


def _purpose(pack: Pack, request: PackRequest, *, area: str, period) -> None:
    pack.section("Purpose and recommendation")
    pack.para(f"This report tells the board how satisfied victims of crime in {area} were with the service "
              f"they received in the {period.label}, where the gap between white and black and minority "
              "ethnic (BME) victims is real and where it could be chance, and how the action plan is progressing.")
    pack.para("Recommendation: " + (request.recommendation or
              "that the board notes the satisfaction figures, the gap between white and BME victims and the "
              "progress of the action plan set out in this report."))


def start_charts(pack: Pack) -> None:
    """Every chart as PNG, by vl-convert with the package's font, drawn in the chart worker (chart_images).

    Not waited for here: the PDF and the Word file each wait for a picture only when they come to it, so
    WeasyPrint reads the page and its styles while the last charts are still being drawn."""
    for chart in pack.charts:
        chart.start()
