"""`citizenfocus compare`: a force against its most similar forces and last year, and its grade."""

import json
import math

import pytest
from typer.testing import CliRunner

from citizenfocus.cli import app

runner = CliRunner()


def compare(*args: str):
    return runner.invoke(app, ["compare", *map(str, args)])


def ok_json(*args: str) -> dict:
    result = compare(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def se(p: float, n: int, deft: float = 1.0) -> float:
    return deft * math.sqrt(p * (1 - p) / n)


def test_peers_give_the_msf_average_its_z_and_a_verdict():
    out = ok_json("--rate", "0.553", "--n", "1200", "--peer", "0.60:1000", "--peer", "0.58:900:1.2",
                  "--peer", "0.57:1100")
    msf = out["msf"]
    assert msf["msf_rate"] == pytest.approx((0.60 + 0.58 + 0.57) / 3, abs=1e-12)
    msf_se = math.sqrt(se(0.60, 1000) ** 2 + se(0.58, 900, 1.2) ** 2 + se(0.57, 1100) ** 2) / 3
    assert msf["msf_se"] == pytest.approx(msf_se, abs=1e-12)
    z = (0.553 - msf["msf_rate"]) / math.sqrt(se(0.553, 1200) ** 2 + msf_se**2)
    assert msf["z"] == pytest.approx(z, abs=1e-9) and msf["diff"] == pytest.approx(0.553 - msf["msf_rate"])
    assert msf["verdict"] == ("significantly worse" if z < -1.959964 else "not significantly different")
    assert 0 < msf["p"] < 1
    assert out["previous"] is None and out["grade"]["trend_verdict"] == "no data"


def test_a_published_average_with_its_standard_error_and_percentages():
    as_percent = ok_json("--rate", "55.3%", "--n", "1200", "--msf-rate", "59%", "--msf-se", "1%")
    as_proportion = ok_json("--rate", "0.553", "--n", "1200", "--msf-rate", "0.59", "--msf-se", "0.01")
    assert as_percent["msf"]["z"] == pytest.approx(as_proportion["msf"]["z"], abs=1e-12)
    z = (0.553 - 0.59) / math.sqrt(se(0.553, 1200) ** 2 + 0.01**2)
    assert as_proportion["msf"]["z"] == pytest.approx(z, abs=1e-12)
    assert as_proportion["msf"]["verdict"] == "significantly worse"
    assert as_proportion["grade"]["label"] == "failing to meet the standard"


def test_the_previous_period_is_compared_in_words_and_feeds_the_grade():
    out = ok_json("--rate", "0.63", "--n", "1500", "--msf-rate", "0.59", "--msf-se", "0.01",
                  "--previous", "0.55:1400")
    assert out["previous"]["rate"] == 0.55 and out["previous"]["n"] == 1400
    assert out["previous"]["verdict"] == "significantly improved"
    assert out["previous"]["sentence"].startswith("Significantly improved (up 8.0 points")
    assert out["msf"]["verdict"] == "significantly better"
    assert out["grade"] == {**out["grade"], "rule": "hmic-2008", "label": "exceeding the standard"}


def test_direction_higher_worse_turns_a_higher_rate_into_worse():
    out = ok_json("--rate", "0.40", "--n", "2000", "--msf-rate", "0.30", "--msf-se", "0.01",
                  "--direction", "higher-worse", "--rule", "three-tier")
    assert out["msf"]["verdict"] == "significantly worse"
    assert out["grade"]["label"] == "below expectations"


def test_the_default_output_is_sentences():
    result = compare("--rate", "55.3%", "--n", "1200", "--peer", "60%:1000", "--peer", "58%:900",
                     "--previous", "60%:1150")
    assert result.exit_code == 0
    assert "MSF average: 59.0% of 2 forces" in result.stdout
    assert "Significantly deteriorated" in result.stdout
    assert "Grade (hmic-2008): failing to meet the standard" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--rate", "0.5", "--n", "0", "--msf-rate", "0.5", "--msf-se", "0.01"), "error: --rate/--n: n must be above 0"),
        (("--rate", "55.3", "--n", "100", "--msf-rate", "0.5", "--msf-se", "0.01"),
         "error: --rate '55.3' is outside 0-1 (write 55.3% for a percentage)"),
        (("--rate", "120%", "--n", "100", "--msf-rate", "0.5", "--msf-se", "0.01"), "error: --rate '120%' is outside 0-1"),
        (("--rate", "high", "--n", "100", "--msf-rate", "0.5", "--msf-se", "0.01"), "error: --rate 'high' is not a rate"),
        (("--rate", "0.5", "--n", "100"), "error: give the peers"),
        (("--rate", "0.5", "--n", "100", "--msf-rate", "0.5"), "error: give the peers"),
        (("--rate", "0.5", "--n", "100", "--peer", "0.5:100", "--msf-rate", "0.5", "--msf-se", "0.01"),
         "error: give --peer ... or --msf-rate with --msf-se, not both"),
        (("--rate", "0.5", "--n", "100", "--peer", "0.5"), "error: --peer '0.5' should be RATE:N"),
        (("--rate", "0.5", "--n", "100", "--peer", "0.5:0"), "error: --peer: n must be above 0"),
        (("--rate", "0.5", "--n", "100", "--peer", "0.5:100", "--previous", "0.5:zero"), "error: --previous '0.5:zero'"),
        (("--rate", "0.5", "--n", "100", "--peer", "0.5:100", "--rule", "hmic2010"), "error: unknown --rule 'hmic2010'"),
        (("--rate", "0.5", "--n", "100", "--peer", "0.5:100", "--direction", "up"), "error: unknown --direction 'up'"),
    ],
)
def test_errors_are_one_line_on_stderr_and_exit_non_zero(args, message):
    result = compare(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1 and result.stdout == ""
