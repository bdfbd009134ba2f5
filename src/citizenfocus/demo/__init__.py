"""The synthetic demo force: Northvale Constabulary, its areas and its survey responses.

Our own deterministic generator (nothing downloaded): the same seed always
gives the same files. The structure an analyst should find in the data (the
white / BME gap, kept informed as the key driver, one division's dip) is
written down in model.py; everything else is noise.
"""

from .force import Division, Force, Neighbourhood, Ward, demo_force
from .generate import DEMO_SURVEYS, iter_survey_batches, survey_schema
from .model import DEMO_FIRST_MONTH, DEMO_MONTHS
from .writers import write_survey_file

__all__ = [
    "DEMO_FIRST_MONTH",
    "DEMO_MONTHS",
    "DEMO_SURVEYS",
    "Division",
    "Force",
    "Neighbourhood",
    "Ward",
    "demo_force",
    "iter_survey_batches",
    "survey_schema",
    "write_survey_file",
]
