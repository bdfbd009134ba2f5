"""citizenfocus.stats: the statistics of victim satisfaction, pure and tested.

Plain functions on numbers (no Django, no database), specified in
statistics.md and explained for users in docs/methodology.md. Every registry
(`REGISTRIES`) entry has a section there, checked by a test.
"""

from .calibration import CALIBRATION_METHODS
from .compare import (
    COMPARE_FIELDS,
    COMPARISONS,
    DIRECTIONS,
    MIN_TEST_BASE,
    NOT_TESTED,
    Comparison,
    TrendComparison,
    compare_arrays,
    compare_rates,
    trend_comparison,
    trend_verdict,
)
from .control import CHART_KINDS, ControlChart, Segment, chart_from_estimates, control_chart
from .counts import COUNT_METHODS
from .disclosure import (
    DISCLOSURE_RULES,
    LOW_BASE,
    LOW_BASE_NOTE,
    PUBLISH_MIN_BASE,
    SuppressedList,
    SuppressedTable,
    low_base,
    low_base_note,
    suppress_siblings,
    suppress_table,
)
from .disproportionality import RATIO_METHODS
from .drivers import (
    DRIVER_METHODS,
    Driver,
    KeyDrivers,
    RelativeWeights,
    key_drivers,
    odds_ratios,
    relative_weights_linear,
    relative_weights_logistic,
)
from .funnel import FUNNEL_RULES, FunnelPlot, FunnelUnit, funnel_limits, funnel_plot, winsorised_phi
from .grading import GRADING_RULES, Clause, Grade, GradingRule, grade
from .intervals import (
    clopper_pearson_interval,
    logit_interval,
    newcombe_interval,
    wald_interval,
    wilson_interval,
    z_for,
)
from .methods import Method
from .multiple import MULTIPLE_METHODS, benjamini_hochberg, chance_sentence, many_comparisons
from .peers import MsfComparison, Peer, msf_comparison, msf_mean
from .perception import PERCEPTION_METHODS
from .periods import PERIOD_KINDS, Period, month_number, parse_period, previous_year
from .rates import (
    DEFAULT_METHOD,
    ESTIMATE_METHODS,
    INTERVAL_METHODS,
    RATE_FIELDS,
    RateEstimate,
    Sums,
    design_variance,
    estimate_rate,
    rate_arrays,
)
from .representation import REPRESENTATION_METHODS
from .representativeness import REPRESENTATIVENESS_METHODS
from .signals import CHART_RULES, ChartPoint, Signal, find_signals
from .standardise import AdjustedGap, LeftOutStratum, adjusted_gap

# Every registry whose entries must be explained in docs/methodology.md.
REGISTRIES = {
    "estimates": ESTIMATE_METHODS,
    "interval methods": INTERVAL_METHODS,
    "comparisons": COMPARISONS,
    "many comparisons": MULTIPLE_METHODS,
    "grading rules": {key: Method(r.key, r.title, r.anchor, "") for key, r in GRADING_RULES.items()},
    "control charts": CHART_KINDS,
    "chart signal rules": CHART_RULES,
    "funnel plots": FUNNEL_RULES,
    "key drivers": DRIVER_METHODS,
    "disclosure control": DISCLOSURE_RULES,
    "periods": PERIOD_KINDS,
    "calibration": CALIBRATION_METHODS,
    "rates per 1,000 and ratios": RATIO_METHODS,
    "counts": COUNT_METHODS,
    "representativeness": REPRESENTATIVENESS_METHODS,
    "perception": PERCEPTION_METHODS,
    "representation": REPRESENTATION_METHODS,
}

__all__ = [
    "CALIBRATION_METHODS", "COUNT_METHODS", "RATIO_METHODS", "REPRESENTATIVENESS_METHODS",
    "COMPARE_FIELDS", "DEFAULT_METHOD", "MIN_TEST_BASE", "MULTIPLE_METHODS", "NOT_TESTED", "RATE_FIELDS",
    "benjamini_hochberg", "chance_sentence", "compare_arrays", "many_comparisons", "rate_arrays",
    "CHART_KINDS", "CHART_RULES", "COMPARISONS", "DIRECTIONS", "ESTIMATE_METHODS", "DISCLOSURE_RULES", "DRIVER_METHODS",
    "FUNNEL_RULES", "GRADING_RULES", "INTERVAL_METHODS", "LOW_BASE", "LOW_BASE_NOTE", "PERIOD_KINDS",
    "PUBLISH_MIN_BASE", "REGISTRIES",
    "AdjustedGap", "ChartPoint", "Clause", "Comparison", "ControlChart", "Driver", "FunnelPlot",
    "FunnelUnit", "Grade", "GradingRule", "KeyDrivers", "LeftOutStratum", "Method", "MsfComparison",
    "Peer", "Period", "RateEstimate", "RelativeWeights", "Segment", "Signal", "SuppressedList",
    "SuppressedTable", "Sums", "TrendComparison",
    "adjusted_gap", "chart_from_estimates", "clopper_pearson_interval", "compare_rates",
    "control_chart", "design_variance", "estimate_rate", "find_signals", "funnel_limits",
    "funnel_plot", "grade", "key_drivers", "logit_interval", "low_base", "low_base_note",
    "month_number", "msf_comparison", "msf_mean", "newcombe_interval", "odds_ratios", "parse_period",
    "previous_year", "relative_weights_linear", "relative_weights_logistic", "suppress_siblings",
    "suppress_table", "trend_comparison", "trend_verdict", "wald_interval", "wilson_interval",
    "winsorised_phi", "z_for",
]
