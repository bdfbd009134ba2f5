"""The engine end to end, side by side with R's survey package: what `citizenfocus indicators` prints
for a stratified, weighted file equals svyby on the same rows, the whole file being the design.

Random responses (several seeds) are written once as Parquet for the engine and once as CSV for R
(answers as 0/1/NA, the ethnic group and the 12-month window as columns). Every division, every
ethnic group and the period are domains; the rows with no answer stay in the design.
"""

import csv
import subprocess
import textwrap
from datetime import date

import numpy as np
import pyarrow.parquet as pq
import pytest

from citizenfocus.engine import gap_rows, indicator_rows, open_file_source
from citizenfocus.surveys.definition import get_definition
from tests.support import require_r

from .responses import random_responses

pytestmark = pytest.mark.r

USS = get_definition("uss")
MEASURE = "kept_informed"
PERIOD = "rolling12:2014-03"
FIRST, LAST = date(2013, 4, 1), date(2014, 3, 31)

R_SCRIPT = textwrap.dedent("""
    suppressMessages(library(survey))
    options(survey.lonely.psu = "certainty")
    args <- commandArgs(trailingOnly = TRUE)
    df <- read.csv(args[1], stringsAsFactors = FALSE)
    out <- file(args[2], "w")
    fmt <- function(x) sprintf("%.17g", x)
    writeLines("by,group,estimate,se,beta_low,beta_high", out)
    whole <- svydesign(ids = ~1, strata = ~stratum, weights = ~weight, data = df)
    inperiod <- subset(whole, in_period == 1 & !is.na(y))
    for (column in c("division", "ethnic_group")) {
      by <- svyby(~y, as.formula(paste0("~", column)), inperiod, svymean)
      beta <- svyby(~y, as.formula(paste0("~", column)), inperiod, svyciprop, method = "beta", vartype = "ci")
      for (i in seq_len(nrow(by))) {
        writeLines(paste(column, by[i, column], fmt(by$y[i]), fmt(by$se[i]),
                         fmt(beta$ci_l[i]), fmt(beta$ci_u[i]), sep = ","), out)
      }
    }
    close(out)
""")


@pytest.fixture(scope="module", params=(3, 17, 101))
def side_by_side(request, tmp_path_factory):
    require_r()
    table = random_responses(1500, seed=request.param)
    folder = tmp_path_factory.mktemp(f"engine-r{request.param}")
    parquet, data, script, result = (folder / name for name in ("rows.parquet", "rows.csv", "r.R", "out.csv"))
    pq.write_table(table, parquet)
    scale = USS.measure(MEASURE).scale
    with data.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["division", "ethnic_group", "stratum", "weight", "in_period", "y"])
        for row in table.to_pylist():
            outcome = None if row[MEASURE] is None else scale.outcome(row[MEASURE])
            out.writerow([row["division"], USS.grouping.group_of(row["ethnicity"]), row["stratum"],
                          repr(float(row["weight"])), int(FIRST <= row["interview_date"] <= LAST),
                          "NA" if outcome is None else outcome])
    script.write_text(R_SCRIPT)
    run = subprocess.run(["Rscript", str(script), str(data), str(result)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    with result.open() as f:
        expected = {(r["by"], r["group"]): r for r in csv.DictReader(f)}
    return open_file_source(parquet, USS), expected


@pytest.mark.parametrize("column", ["division", "ethnic_group"])
def test_indicator_rows_by_a_column_equal_svyby_on_the_whole_file_design(side_by_side, column):
    source, expected = side_by_side
    for method in ("wilson", "beta"):
        rows = indicator_rows(source, measure=MEASURE, by=(column,), period=PERIOD, strata="stratum", ci=method)
        checked = 0
        for row in rows:
            r = expected.get((column, row["group"][column]))
            if r is None:
                assert row["n"] == 0
                continue
            assert row["rate"] == pytest.approx(float(r["estimate"]), rel=1e-9)
            assert row["se"] == pytest.approx(float(r["se"]), rel=1e-9)
            if method == "beta":
                assert (row["ci_low"], row["ci_high"]) == pytest.approx(
                    (float(r["beta_low"]), float(r["beta_high"])), rel=1e-9)
            checked += 1
        assert checked >= 3


def test_each_side_of_the_gap_is_the_same_domain_estimate(side_by_side):
    source, expected = side_by_side
    [gap] = gap_rows(source, measure=MEASURE, period=PERIOD, strata="stratum")
    for side in ("white", "bme"):
        assert gap[side]["se"] == pytest.approx(float(expected[("ethnic_group", side)]["se"]), rel=1e-9)
    assert np.isfinite(gap["p_interval"]) and gap["verdict"] in (
        "significantly higher", "significantly lower", "not significantly different")
