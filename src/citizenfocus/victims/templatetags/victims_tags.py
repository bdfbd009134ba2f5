from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


@register.filter
def points(value) -> str:
    return "–" if value is None else f"{value * 100:+.1f} pts"


@register.filter
def underscores(value: str) -> str:
    return str(value).replace("_", " ")
