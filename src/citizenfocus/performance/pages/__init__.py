"""The dashboard pages: key → (builder, template); each page module has `build(cube, filters, request=...)`."""

from . import gaps, overview

PAGES = {
    "overview": (overview.build, "performance/page.html"),
    "gaps": (gaps.build, "performance/page.html"),
}
TAB_LABELS = {
    "overview": "Overview",
    "trend": "Trend",
    "gaps": "Gap explorer",
    "neighbourhoods": "Neighbourhoods",
    "drivers": "Key drivers",
    "peers": "Peers",
}
