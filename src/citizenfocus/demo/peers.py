"""Published figures for the demo force's most similar forces (fictional), for the Peers page."""

from __future__ import annotations

import numpy as np

PEER_FORCES = ("Eastmoor Police", "Westbrook Constabulary", "Highdale Police", "Riverford Constabulary",
               "Ashcombe Police", "Kingsmere Constabulary", "Fenwater Police")
BASE_RATES = {"ease_of_contact": 0.925, "actions_taken": 0.80, "kept_informed": 0.73, "treatment": 0.905,
              "whole_experience": 0.815}
SOURCE = "Demo: iQuanta-style most similar forces table (fictional)"


def peer_figure_rows(*, periods: list[str], seed: int = 2014) -> list[dict]:
    """Each peer's rate and base for each measure and period, deterministic for the seed."""
    rng = np.random.default_rng(seed)
    rows = []
    for period in periods:
        for force_offset, force in zip(rng.normal(0, 0.015, len(PEER_FORCES)), PEER_FORCES, strict=True):
            for measure, base in BASE_RATES.items():
                n = int(rng.integers(900, 2600))
                rate = float(np.clip(base + force_offset + rng.normal(0, 0.008), 0.05, 0.99))
                rows.append({"survey_key": "uss", "measure": measure, "period": period, "force_name": force,
                             "rate": round(rate, 4), "n": n, "deft": 1.0, "source": SOURCE})
    return rows
