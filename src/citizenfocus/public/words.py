"""Published figures in words: a rate with its interval and base, or why it is not shown."""

from __future__ import annotations

from django.utils.translation import gettext as _


def percent(value) -> str:
    return f"{value * 100:.0f}%"


def rate_words(row: dict, min_base: int, prefix: str = "") -> str:
    """'81% (we are 95% sure it is between 78% and 84%; 1,234 people answered)', or the suppression note."""
    rate = row.get(f"{prefix}rate")
    if isinstance(rate, str):
        return _("Not published: fewer than %(min)s people answered, or hidden so that such a figure cannot be "
                 "worked out") % {"min": min_base} if "suppressed" in rate else rate
    if rate is None:
        return _("No answers")
    return _("%(rate)s (we are 95%% sure it is between %(low)s and %(high)s; %(n)s people answered)") % {
        "rate": percent(rate), "low": percent(row[f"{prefix}ci_low"]), "high": percent(row[f"{prefix}ci_high"]),
        "n": f"{int(row[f'{prefix}n']):,}"}
