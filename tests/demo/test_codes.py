"""Every value in the demo files is one the survey definitions accept."""

from datetime import date

import pandas as pd
import pytest

from citizenfocus.demo import DEMO_FIRST_MONTH, DEMO_MONTHS, demo_force

from .shares import ethnic_groups

LAST_DAY = date(2014, 3, 31)


def _survey(request, name):
    return request.getfixturevalue(name), request.getfixturevalue(f"{name}_definition")


@pytest.fixture(params=["uss", "confidence"])
def survey(request):
    return _survey(request, request.param)


def test_the_months_are_april_2011_to_march_2014():
    assert DEMO_FIRST_MONTH == date(2011, 4, 1)
    assert DEMO_MONTHS == 36


def test_every_answer_code_is_on_its_questions_scale(survey):
    frame, definition = survey
    for measure in definition.items:
        codes = frame[measure.key].dropna()
        assert set(codes.astype(int)) <= set(measure.scale.labels), measure.key


def test_a_few_percent_of_answers_are_blank_dont_know_or_refused(survey):
    frame, definition = survey
    for measure in definition.items:
        codes = frame[measure.key]
        missing = codes.isna() | codes.isin(measure.scale.missing)
        assert 0.005 < missing.mean() < 0.08, measure.key
        assert codes.isin(list(measure.scale.missing)).any(), measure.key


def test_people_are_described_with_the_definitions_values(survey):
    frame, definition = survey
    assert set(frame["ethnicity"]) == set(definition.ethnicity_labels)
    assert set(frame["age_band"]) == set(definition.age_bands)
    assert set(frame["sex"]) == set(definition.sexes)
    assert set(frame["disability"]) == set(definition.disabilities)


def test_crime_types_are_the_definitions_and_asb_and_violence_are_biggest(uss, uss_definition):
    shares = uss["crime_type"].value_counts(normalize=True)
    assert set(shares.index) == {c.key for c in uss_definition.crime_types}
    assert set(shares.index[:2]) == {"asb", "violent_crime"}
    assert shares["hate_crime"] == shares.min()
    assert 0.03 < shares["hate_crime"] < 0.10


def test_about_82_percent_are_white_14_bme_and_4_not_stated(survey):
    frame, definition = survey
    shares = ethnic_groups(frame, definition).value_counts(normalize=True)
    assert 0.79 < shares["white"] < 0.86
    assert 0.11 < shares["bme"] < 0.17
    assert 0.02 < shares["not_stated"] < 0.06


def test_the_bme_share_varies_by_division(uss, uss_definition):
    bme = ethnic_groups(uss, uss_definition) == "bme"
    by_division = bme.groupby(uss["division"]).mean()
    assert by_division["Central"] > by_division["Northern"] + 0.05


def test_areas_are_the_demo_forces_own(survey):
    frame, _ = survey
    known = {
        (d.name, n.name, w.name)
        for d in demo_force().divisions
        for n in d.neighbourhoods
        for w in n.wards
    }
    seen = set(frame[["division", "neighbourhood", "ward"]].itertuples(index=False, name=None))
    assert seen <= known
    assert frame["neighbourhood"].nunique() == len({k[1] for k in known})


def test_response_ids_are_unique_and_numbered_in_date_order(survey):
    frame, definition = survey
    prefix = {"uss": "USS-", "confidence": "CON-"}[definition.key]
    assert frame["response_id"].is_unique
    assert frame["response_id"].str.fullmatch(prefix + r"\d{7}").all()
    assert frame["interview_date"].is_monotonic_increasing


def test_interviews_cover_every_month_and_no_other(survey):
    frame, _ = survey
    dates = pd.to_datetime(frame["interview_date"])
    assert dates.min().date() == DEMO_FIRST_MONTH
    assert dates.max().date() == LAST_DAY
    per_month = dates.dt.to_period("M").value_counts()
    assert len(per_month) == DEMO_MONTHS
    assert per_month.min() > 0.7 * per_month.mean()


def test_confidence_interviews_are_1000_a_quarter_spread_over_the_quarter(confidence):
    dates = pd.to_datetime(confidence["interview_date"])
    per_quarter = dates.dt.to_period("Q-MAR").value_counts()
    assert (per_quarter == 1_000).all()
    assert dates.dt.to_period("M").value_counts().min() > 300


def test_incidents_are_six_to_twelve_weeks_before_the_interview(uss):
    lag = pd.to_datetime(uss["interview_date"]) - pd.to_datetime(uss["incident_date"])
    assert lag.dt.days.between(42, 84).all()
    assert lag.dt.days.nunique() == 43


def test_weights_are_positive_round_and_average_about_one(survey):
    frame, _ = survey
    weight = frame["weight"]
    assert (weight > 0).all()
    assert (weight.round(4) == weight).all()
    assert 0.97 < weight.mean() < 1.03
    assert 0.3 < weight.min() and weight.max() < 2.5


def test_weights_follow_the_crime_type_strata(uss):
    by_crime = uss.groupby("crime_type")["weight"].mean()
    assert by_crime["asb"] > 1.3
    assert by_crime["domestic_burglary"] < 0.7
    assert by_crime["hate_crime"] < 0.7
    # Within a stratum (crime type by division) the weight is one value.
    assert (uss.groupby(["crime_type", "division"])["weight"].nunique() == 1).all()


def test_recontact_consent_is_yes_or_no(uss):
    assert set(uss["recontact_consent"]) == {"yes", "no"}
    assert 0.6 < (uss["recontact_consent"] == "yes").mean() < 0.85


def test_about_one_in_ten_victims_leaves_a_comment(uss):
    has_comment = uss["comment"] != ""
    assert 0.07 < has_comment.mean() < 0.13
    assert uss["comment"].notna().all()
    assert uss.loc[has_comment, "comment"].nunique() <= 15


def test_dissatisfied_victims_comment_more_and_not_about_praise(uss, uss_definition):
    whole = uss["whole_experience"]
    dissatisfied = whole.isin(uss_definition.measure("whole_experience").scale.negative)
    commented = uss["comment"] != ""
    assert commented[dissatisfied].mean() > 1.5 * commented[~dissatisfied].mean()
    praise = uss["comment"].str.contains("kind|grateful|patient|professional|Good service")
    assert not (praise & dissatisfied).any()
