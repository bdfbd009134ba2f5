"""A definition declares questions with their scales, and measures derived from their codes; mistakes are
refused with the file and the field named."""

import pytest

from citizenfocus.surveys.definition import DefinitionError, get_definition, parse_definition

SCALE = {"name": "5-point agreement", "positive": [1, 2], "negative": [3, 4, 5], "missing": [8],
         "labels": {"1": "Strongly agree", "2": "Tend to agree", "3": "Neither", "4": "Tend to disagree",
                    "5": "Strongly disagree", "8": "Don't know"}}


def _definition(*measures, items=()):
    return parse_definition({"key": "own", "name": "Own survey", "scale": SCALE, "measures": list(measures),
                             "items": list(items)}, source="own.toml")


def test_a_measure_of_its_own_key_declares_its_question_and_others_derive_from_it():
    d = _definition({"key": "cohesion", "question": "Get on well?"},
                    {"key": "cohesion_neither", "item": "cohesion", "positive": [3], "negative": [1, 2, 4, 5]})
    assert d.item_keys == ("cohesion",)
    neither = d.measure("cohesion_neither")
    assert (neither.item_key, neither.headline, sorted(neither.scale.positive)) == ("cohesion", False, [3])
    assert neither.question == "Get on well?" and sorted(neither.scale.missing) == [8]


def test_a_question_with_no_measure_of_its_key_is_declared_in_items():
    d = _definition({"key": "agree_share", "item": "q7", "positive": [1, 2], "negative": [3, 4, 5]},
                    items=[{"key": "q7", "question": "Q7?"}])
    assert d.item_keys == ("q7",) and d.measure_keys == ("agree_share",)


@pytest.mark.parametrize(("measure", "message"), [
    ({"key": "x", "item": "nowhere", "positive": [1]}, "does not declare"),
    ({"key": "x_share", "item": "x", "positive": [6], "negative": [1]}, "not on the"),
    ({"key": "x_share", "item": "x", "positive": [1], "negative": [1, 2]}, "none of them also negative"),
    ({"key": "Bad Key"}, "lower-case letters"),
    ({"key": "weight"}, "not the name of a response column"),
])
def test_mistakes_are_refused_naming_the_file_and_the_field(measure, message):
    with pytest.raises(DefinitionError, match=message) as refused:
        _definition({"key": "x"}, measure)
    assert str(refused.value).startswith("own.toml")


def test_each_code_of_a_question_is_a_share_measure_and_the_missing_codes_are_not():
    d = get_definition("uss")
    shares = d.share_measures("whole_experience")
    assert [m.label for m in shares][:1] == ["Completely satisfied"] and len(shares) == 7
    assert d.measure("whole_experience__code_4").scale.positive == frozenset({4})
    assert all(8 not in m.scale.positive | m.scale.negative for m in shares)


def test_only_the_headline_measure_reads_an_answer_kept_from_the_previous_version():
    d = get_definition("uss")
    positive, negative = d.measure("whole_experience").outcome_codes()
    assert -1 in positive and -2 in negative
    positive, negative = d.measure("whole_experience_neither").outcome_codes()
    assert -1 not in positive | negative and -2 not in positive | negative
