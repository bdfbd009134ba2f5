"""Comment themes counted by group: which comments match which rule, and whether groups differ.

A comment is about a theme when it contains any of the theme's phrases as whole words,
in any case; the phrase that matched is kept with it, so every count can be read back.
Shares of comments per theme for white and BME victims are compared with the survey's
gap interval and words (citizenfocus.stats)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction

from citizenfocus.performance import words
from citizenfocus.stats import Sums, compare_rates, estimate_rate
from citizenfocus.surveys.definition import get_definition
from citizenfocus.surveys.models import Response

from .theme_models import CommentTheme, CommentThemeChange


@dataclass(frozen=True)
class Match:
    response: Response
    group: str
    phrase: str


def theme_pattern(theme: CommentTheme) -> re.Pattern | None:
    phrases = theme.phrase_list
    if not phrases:
        return None
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)


def survey_comments(*, survey: str = "uss") -> list[tuple[Response, str]]:
    """Stored comments (not anonymised) with each respondent's ethnic group."""
    grouping = get_definition(survey).grouping
    rows = Response.objects.filter(survey__key=survey, anonymised_on__isnull=True).exclude(comment="")
    return [(r, grouping.group_of(r.ethnicity)) for r in rows.only("pk", "comment", "ethnicity", "interview_date")]


def theme_matches(theme: CommentTheme, comments) -> list[Match]:
    pattern = theme_pattern(theme)
    if pattern is None:
        return []
    return [Match(r, g, m.group(1)) for r, g in comments if (m := pattern.search(r.comment))]


def _estimate(x: int, n: int):
    return estimate_rate(Sums(n, float(n), float(x), float(n), float(x)))


def theme_table(themes, comments) -> list[dict]:
    """Per theme: comments matching among white and BME victims' comments, the gap and its words."""
    totals = {g: sum(1 for _, group in comments if group == g) for g in ("white", "bme")}
    rows = []
    for theme in themes:
        matched = theme_matches(theme, comments)
        counts = {g: sum(1 for m in matched if m.group == g) for g in ("white", "bme")}
        white, bme = _estimate(counts["white"], totals["white"]), _estimate(counts["bme"], totals["bme"])
        cmp = compare_rates(white, bme)
        rows.append({"theme": theme.name, "comments": len(matched), "white": counts["white"],
                     "white_n": totals["white"], "white_rate": white.rate, "bme": counts["bme"],
                     "bme_n": totals["bme"], "bme_rate": bme.rate, "gap": cmp.diff, "gap_ci_low": cmp.ci_low,
                     "gap_ci_high": cmp.ci_high, "verdict": _verdict(cmp.verdict)})
    return rows


def _verdict(verdict: str) -> str:
    """Said of BME victims' comments: mentioned more or less often than white victims' comments."""
    return {"significantly higher": "mentioned significantly less often by BME victims",
            "significantly lower": "mentioned significantly more often by BME victims"}.get(
        verdict, words.gap_verdict(verdict))


@transaction.atomic
def theme_save(*, name: str, phrases: str, user) -> CommentTheme:
    """Create or change a theme; the old and new rules are kept with who and when."""
    theme, created = CommentTheme.objects.get_or_create(name=name, defaults={"phrases": phrases})
    old = "" if created else theme.phrases
    if not created and old == phrases:
        return theme
    theme.phrases = phrases
    theme.save(update_fields=["phrases"])
    CommentThemeChange.objects.create(theme=theme, old_phrases=old, new_phrases=phrases, who_name=user.get_username())
    return theme
