"""The truth behind the demo data: the effects the analysis is meant to find.

Written down as data so that the docs, the tests and anyone reading a demo
dashboard can check what is real and what is noise. Everything not listed
here is noise: neighbourhoods and wards have no effect of their own, months
have none except the one dip, and the two surveys share nothing but areas.

Satisfaction with each aspect of service is an ordinal probit: a latent score
(a shared "how did it go" factor plus the aspect's own noise, variance 1)
plus the effects below, cut into the 7 answer codes; a victim is satisfied
when the score is above 0, so an intercept of 0.6 means about 73% satisfied.
Whole experience is an ordinal logit on the four aspect scores, with kept
informed the heaviest: the key driver the analysts should find.

With the default seed (2014) the 60,000 victims show: whole experience 79.9%
satisfied; white 80.8% vs BME 74.7% (a 6.1-point gap), 10.5 points for
vehicle crime, 11.9 for road traffic collisions, 11.8 for 16-24s; kept
informed 71.8% (BME 65.4%); Central 9-11 points down in July-September 2013.
Residents: good job 57.9%, deal with what matters 55.3%, ASB a problem 15.2%.
"""

from __future__ import annotations

from datetime import date

DEMO_FIRST_MONTH = date(2011, 4, 1)
DEMO_MONTHS = 36

CRIME_TYPES = ("domestic_burglary", "violent_crime", "vehicle_crime", "hate_crime", "asb", "rtc")
# The survey samples crime types in these shares...
CRIME_SAMPLE_SHARE = (0.14, 0.26, 0.15, 0.06, 0.28, 0.11)
# ...but victims come in these shares, so the design weight is the ratio.
CRIME_POPULATION_SHARE = (0.08, 0.25, 0.125, 0.035, 0.45, 0.06)
# Divisions are sampled at different rates too (Central under-sampled).
DIVISION_WEIGHT_FACTOR = {"Northern": 0.85, "Central": 1.2, "Southern": 0.9}
# Victims per head: the city has more crime.
DIVISION_VICTIM_RATE = {"Northern": 0.8, "Central": 1.35, "Southern": 0.9}

ASPECTS = ("ease_of_contact", "actions_taken", "kept_informed", "treatment")
USS_MEASURES = (*ASPECTS, "whole_experience")

# Probit intercepts for a white victim aged 25+ in Northern.
ASPECT_BASE = {"ease_of_contact": 1.55, "actions_taken": 0.95, "kept_informed": 0.68, "treatment": 1.40}
# How much each aspect shares the victim's overall impression (the rest is its own noise).
ASPECT_LOADING = 0.6
CRIME_EFFECT = {
    "domestic_burglary": 0.25,
    "violent_crime": -0.10,
    "vehicle_crime": -0.05,
    "hate_crime": -0.15,
    "asb": -0.12,
    "rtc": 0.15,
}
DIVISION_EFFECT = {"Northern": 0.0, "Central": -0.04, "Southern": 0.05}
YOUNG_EFFECT = -0.10  # 16-24, every aspect
# BME victims: least satisfied with being kept informed. The whole-experience gap
# (about 6-7 points) also comes from who BME victims are: younger, more often in
# Central and more often victims of hate crime.
BME_EFFECT = {
    "ease_of_contact": -0.04,
    "actions_taken": -0.045,
    "kept_informed": -0.10,
    "treatment": -0.05,
}
# The gap is wider for vehicle crime and road traffic collisions...
BME_CRIME_EXTRA = {"vehicle_crime": -0.24, "rtc": -0.28}
# ...and for young BME victims.
BME_YOUNG_EXTRA = -0.16

# The one real change over time: Central dips for three interview months.
DIP_DIVISION = "Central"
DIP_MONTHS = (date(2013, 7, 1), date(2013, 8, 1), date(2013, 9, 1))
DIP_EFFECT = {
    "ease_of_contact": -0.50,
    "actions_taken": -0.32,
    "kept_informed": -0.27,
    "treatment": -0.45,
}

# Whole experience: logit = intercept + sum(coefficient * aspect score) + logistic noise.
WHOLE_INTERCEPT = -0.30
WHOLE_COEFFICIENT = {
    "ease_of_contact": 0.35,
    "actions_taken": 0.85,
    "kept_informed": 1.30,
    "treatment": 0.60,
}

# Cut points on the latent score, from "completely satisfied" (1) down to 7.
ASPECT_CUTS = (1.25, 0.6, 0.0, -0.35, -0.8, -1.4)
WHOLE_CUTS = (2.4, 1.1, 0.0, -0.7, -1.6, -2.7)

# (blank, don't know, refused) shares per measure: left out of the base.
USS_MISSING = {
    "ease_of_contact": (0.004, 0.010, 0.003),
    "actions_taken": (0.005, 0.020, 0.003),
    "kept_informed": (0.020, 0.030, 0.003),
    "treatment": (0.004, 0.008, 0.003),
    "whole_experience": (0.003, 0.008, 0.003),
}

# Public confidence: one latent "confidence in local police" per resident.
CONFIDENCE_MEASURES = ("good_job", "deal_with_matters", "asb_problem")
CONFIDENCE_BASE = {"good_job": 0.19, "deal_with_matters": 0.12, "asb_problem": -1.12}
# asb_problem's score is "how big a problem": it falls as confidence rises.
CONFIDENCE_LOADING = {"good_job": 0.7, "deal_with_matters": 0.7, "asb_problem": -0.4}
CONFIDENCE_DIVISION_EFFECT = {
    "good_job": {"Northern": 0.05, "Central": -0.08, "Southern": 0.08},
    "deal_with_matters": {"Northern": 0.03, "Central": -0.06, "Southern": 0.06},
    "asb_problem": {"Northern": -0.12, "Central": 0.22, "Southern": -0.10},
}
CONFIDENCE_BME_EFFECT = -0.03  # a smaller gap than for victims
CONFIDENCE_AGE_EFFECT = {"16-24": -0.12, "65-74": 0.12, "75+": 0.15}
# Cut points per measure, from code 1 down to the last substantive code.
CONFIDENCE_CUTS = {
    "good_job": (1.3, 0.0, -0.8, -1.5),
    "deal_with_matters": (1.1, 0.0, -0.5, -1.2),
    "asb_problem": (0.9, 0.0, -1.0),
}
CONFIDENCE_MISSING = {
    "good_job": (0.0, 0.030, 0.003),
    "deal_with_matters": (0.0, 0.050, 0.004),
    "asb_problem": (0.0, 0.012, 0.003),
}
