import datetime as dt

from django import template

from citizenfocus.plans.importing.text import format_date

register = template.Library()


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """The current page's query string with some parameters changed (None or "" removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def day(value):
    """31 Dec 2011: the way dates are written everywhere in the plans (an ISO date from a JSON row too)."""
    if isinstance(value, str) and value:
        value = dt.date.fromisoformat(value[:10])
    return format_date(value) if value else ""


@register.filter
def day_as(value, precision):
    """A date as precisely as the plan gave it: "31 Dec 2011", "Dec 2011" or "2011"."""
    return format_date(value, precision or "day") if value else ""


@register.filter
def as_at(plan, today):
    """The date a plan's RAG is worked out at (its reporting date, else today)."""
    return plan.as_at(today)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def describe_event(event):
    from citizenfocus.plans.selectors import describe_event as describe

    return describe(event)


@register.filter
def percent(value):
    """0.8234 -> 82.3%"""
    return "–" if value is None else f"{value * 100:.1f}%"


@register.filter
def status_label(value):
    from citizenfocus.plans.importing.text import STATUS_LABELS

    return STATUS_LABELS.get(value, value)


@register.filter
def points(value):
    """0.032 -> +3.2 points"""
    return "–" if value is None else f"{value * 100:+.1f} points"
