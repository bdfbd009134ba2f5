from django import template
from django.utils.html import format_html

from citizenfocus.performance.words import LOW_BASE

register = template.Library()


def _base_key(key: str) -> str:
    return key[: -len("rate")] + "n" if key.endswith("rate") else ""


@register.simple_tag
def cell(row: dict, column) -> str:
    """One table cell, formatted by the column's kind; a rate on a low base says so in words."""
    value = row.get(column.key)
    if value is None or value == "":
        return "–"
    if column.kind == "rate":
        n = row.get(_base_key(column.key))
        if n is not None and 0 < n < LOW_BASE:
            return format_html('{}% <span class="low-base">(low base: n={})</span>', f"{value * 100:.1f}", f"{int(n):,}")
        return f"{value * 100:.1f}%"
    if column.kind == "diff":
        return f"{value * 100:+.1f} pts"
    if column.kind == "int":
        return f"{int(value):,}"
    if column.kind == "number":
        return f"{value:,.2f}"
    if column.kind == "p":
        return "<\u00a00.001" if value < 0.001 else f"{value:.3f}"
    return str(value)


@register.filter
def is_numeric(column) -> bool:
    return column.kind in {"rate", "diff", "int", "number", "p"}


@register.simple_tag
def chart_spec(name: str, spec: dict) -> str:
    """The chart's Vega-Lite spec as a JSON script element the page script reads."""
    from django.utils.html import json_script

    return json_script(spec, f"spec-{name}")
