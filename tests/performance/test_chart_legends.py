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


LONG = ["Police listen to the concerns of local people",
        "Police listen to the concerns of local people: neither agree nor disagree"]


def test_a_questions_measures_are_named_whole_on_the_gap_and_rates_charts():
    """Cut at 180 px, both measures of a question read "Police listen to the concern…": whole, and the second
    over two lines at its colon."""
    gap_rows = [{"label": label, "diff": 0.02, "ci_low": -0.01, "ci_high": 0.05, "verdict": "x"} for label in LONG]
    rate_rows = [{"label": label, "group": group, "rate": 0.7, "ci_low": 0.65, "ci_high": 0.75, "n": 100}
                 for label in LONG for group in ("all", "white", "bme")]
    for spec in (charts.gap_chart(gap_rows, title="Gap"), charts.rates_chart(rate_rows, title="Rates")):
        svg = charts._vl_convert().vegalite_to_svg(spec)
        assert "…" not in svg
        assert ">Police listen to the concerns of local people</text>" in svg
        assert ">Police listen to the concerns of local people:</tspan>" in svg  # two lines, each a tspan
        assert ">neither agree nor disagree</tspan>" in svg
