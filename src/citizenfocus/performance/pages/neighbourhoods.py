"""Neighbourhoods: a funnel plot, the fair answer to "which are our bottom four?"."""

from __future__ import annotations

from citizenfocus.engine.indicators import resolve_period
from citizenfocus.performance import charts, words
from citizenfocus.performance.cube import Cube
from citizenfocus.performance.figures import estimates, record
from citizenfocus.stats.funnel import funnel_plot, winsorised_phi

from .base import Column, Filters, PageResult, Table


def build(cube: Cube, filters: Filters, **_) -> PageResult:
    period = resolve_period(filters.period or None, latest=cube.last_month)
    measure = filters.measure
    frame = cube.slice(crime_type=filters.crime_type, division=filters.division.name if filters.division else None)
    sums = cube.sums(frame, measure.key, by=("division", "neighbourhood"), months=(period.first, period.last))
    est = estimates(sums, cube=cube)
    force = estimates(cube.sums(cube.slice(crime_type=filters.crime_type), measure.key,
                                   months=(period.first, period.last)), cube=cube).iloc[0]
    usable = est[est["n_eff"] > 0]
    area = f"{filters.division.name} division" if filters.division else "force"
    result = PageResult(title=f"Neighbourhoods: {measure.label}, {period.label}")
    if usable.empty or not 0 < force["rate"] < 1:
        result.headline = ["No neighbourhood has responses for these filters."]
        return result
    plot = funnel_plot([(hood, row["rate"], row["n_eff"]) for (_, hood), row in usable.iterrows()],
                       target=float(force["rate"]), overdispersion=False)
    phi_hat = winsorised_phi([u.z for u in plot.units])
    position = {u.name: u.position for u in plot.units}
    rows = []
    for (division, hood), values in est.iterrows():
        row = {"name": hood, "division": division, **record(values),
               "position": position.get(hood, "no responses")}
        row["low_base"] = words.low_base(row["n"])
        rows.append(row)
    rows.sort(key=lambda r: (r["rate"] is None, r["rate"] if r["rate"] is not None else 0))
    outside = [r for r in rows if r["position"] in ("above", "below")]
    result.headline = _headline(outside, len(rows), measure.label, float(force["rate"]), phi_hat)
    units = [{"name": r["name"], "rate": r["rate"], "n": r["n_eff"], "position": r["position"]}
             for r in rows if r["position"] in ("above", "below", "within")]
    result.charts["funnel"] = charts.funnel_chart(units, list(plot.limits),
                                                  title=f"{measure.label} by neighbourhood against the {area} rate")
    result.chart_tables["funnel"] = "neighbourhoods"
    result.tables["outside"] = Table("Neighbourhoods outside the 99.8% limits (more than chance)",
                                     FUNNEL_COLUMNS, outside,
                                     empty="None: every neighbourhood is within the 99.8% limits.")
    result.tables["neighbourhoods"] = Table(f"Every neighbourhood, {period.label}, lowest rate first",
                                            FUNNEL_COLUMNS, rows)
    result.extra = {"target": plot.target, "overdispersion_phi": phi_hat, "filters": filters.as_dict(), "period": period.label}
    return result


def _headline(outside: list[dict], total: int, label: str, target: float, phi: float) -> list[str]:
    lines = [f"Each neighbourhood is compared with the rate for the area ({target:.1%}), allowing for its "
             "effective base."]
    if not outside:
        lines.append(f"None of the {total} neighbourhoods is outside the 99.8% limits: their differences in "
                     f"{label.lower()} are what chance alone would give, so a 'bottom four' would be unfair.")
    lines.extend(outside_line(r) for r in outside)
    if phi > 1.5:
        lines.append(f"The neighbourhoods vary more than chance alone would make them (over-dispersion "
                     f"φ = {phi:.2f}): some of it may come from differences between divisions or crime mix. "
                     "Filter by division to compare neighbourhoods with their own division.")
    return lines


def outside_line(row: dict) -> str:
    """The headline's sentence for one neighbourhood outside the limits (the board pack names them together
    instead when there are many: reports.measures)."""
    return (f"{row['name']} ({row['division']}) is {'above' if row['position'] == 'above' else 'below'} "
            f"the 99.8% limits: {row['rate']:.1%} on an effective base of {row['n_eff']:,.0f} "
            f"({int(row['n']):,} respondents): more than chance.")


FUNNEL_COLUMNS = [
    Column("name", "Neighbourhood"), Column("division", "Division"),
    # the funnel plots each neighbourhood at its effective base (statistics.md §2), not its head count
    Column("rate", "Rate", "rate"), Column("n", "Respondents (n)", "int"),
    Column("n_eff", "Effective base (n_eff)", "number"),
    Column("ci_low", "95% interval from", "rate"), Column("ci_high", "to", "rate"),
    Column("position", "Against the 99.8% limits"),
]
