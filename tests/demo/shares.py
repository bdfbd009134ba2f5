"""Plain shares computed with pandas, the way an analyst checking the demo by hand would."""

from __future__ import annotations

import pandas as pd


def outcomes(frame: pd.DataFrame, measure: str, definition) -> pd.Series:
    """1.0 positive, 0.0 negative, NaN missing, using the definition's own Scale."""
    scale = definition.measure(measure).scale
    mapping = {code: scale.outcome(code) for code in scale.labels}
    return frame[measure].map(mapping).astype(float)


def rate(outcome: pd.Series, mask=None, weight: pd.Series | None = None) -> float:
    """Share positive among valid answers (optionally weighted, optionally within mask)."""
    if mask is not None:
        outcome = outcome[mask]
        weight = None if weight is None else weight[mask]
    valid = outcome.notna()
    if weight is None:
        return float(outcome[valid].mean())
    return float((outcome[valid] * weight[valid]).sum() / weight[valid].sum())


def ethnic_groups(frame: pd.DataFrame, definition) -> pd.Series:
    return frame["ethnicity"].map(definition.grouping.group_of)


def white_bme_gap(frame: pd.DataFrame, outcome: pd.Series, definition, mask=None) -> float:
    """White rate minus BME rate, in proportion (0.06 = 6 points); positive when white is higher."""
    group = ethnic_groups(frame, definition)
    base = pd.Series(True, index=frame.index) if mask is None else mask
    return rate(outcome, base & (group == "white")) - rate(outcome, base & (group == "bme"))


def interview_month(frame: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(frame["interview_date"]).dt.to_period("M")
