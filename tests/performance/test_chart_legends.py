"""A field drawn by colour and by shape has one legend: a second would repeat the same values under another title."""

from citizenfocus.performance import charts
from citizenfocus.stats.funnel import funnel_plot

HOODS = [("Abbey", 0.55, 300.0), ("Bridge", 0.97, 380.0), ("Castle", 0.81, 120.0), ("Dale", 0.79, 60.0),
         ("Elm", 0.83, 200.0), ("Ford", 0.78, 250.0)]


def _legends(spec: dict) -> list[dict]:
    return charts._vl_convert().vegalite_to_vega(spec).get("legends", [])


def test_the_funnel_chart_has_one_legend_for_colour_and_shape():
    plot = funnel_plot(HOODS, target=0.8, overdispersion=False)
    units = [{"name": u.name, "rate": u.rate, "n": u.n, "position": u.position} for u in plot.units]
    assert {u["position"] for u in units} == {"within", "above", "below"}
    spec = charts.funnel_chart(units, list(plot.limits), title="Overall satisfaction by neighbourhood")
    legends = _legends(spec)
    assert len(legends) == 1, [legend.get("title") for legend in legends]
    (legend,) = legends
    assert legend["title"] == "Against the 99.8% limits"
    # the one legend draws both channels: the shape still tells the points apart without colour
    assert "fill" in legend and "shape" in legend
    assert spec["layer"][-1]["encoding"]["shape"]["field"] == "position"


def test_the_drivers_chart_has_one_legend_for_colour_and_shape():
    rows = [{"group_label": group, "label": aspect, "importance": importance, "rate": rate}
            for group in ("All users", "White", "BME")
            for aspect, importance, rate in (("Ease of contact", 12, 0.9), ("Kept informed", 35, 0.6))]
    legends = _legends(charts.drivers_chart(rows, title="Importance against performance"))
    assert [legend["title"] for legend in legends] == ["Aspect"]


def test_the_drivers_chart_panels_follow_the_tables_order():
    rows = [{"group_label": group, "label": aspect, "importance": importance, "rate": rate}
            for group in ("All users", "White", "BME")
            for aspect, importance, rate in (("Ease of contact", 12, 0.9), ("Kept informed", 35, 0.6))]
    svg = charts._vl_convert().vegalite_to_svg(charts.drivers_chart(rows, title="Importance against performance"))
    headers = [svg.index(f">{label}</text>") for label in ("All users", "White", "BME")]
    assert headers == sorted(headers), "panels drawn out of the tables' order"
