"""The dashboard pages: key → (builder, template); each page module has `build(cube, filters, request=...)`."""

from . import distribution, drivers, gaps, neighbourhoods, overview, peers, trend

PAGES = {
    "overview": (overview.build, "performance/page.html"),
    "trend": (trend.build, "performance/page.html"),
    "distribution": (distribution.build, "performance/page.html"),
    "gaps": (gaps.build, "performance/page.html"),
    "neighbourhoods": (neighbourhoods.build, "performance/page.html"),
    "drivers": (drivers.build, "performance/page.html"),
    "peers": (peers.build, "performance/page.html"),
}
TAB_LABELS = {
    "overview": "Overview",
    "trend": "Trend",
    "distribution": "Distribution",
    "gaps": "Gap explorer",
    "neighbourhoods": "Neighbourhoods",
    "drivers": "Key drivers",
    "peers": "Peers",
}
