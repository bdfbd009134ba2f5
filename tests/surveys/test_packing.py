"""A response's answers packed in its row: the importer's numpy packing, the Python one and the reading agree."""

import numpy as np
import pyarrow as pa
import pytest

from citizenfocus.surveys.definition import DefinitionError, parse_definition
from citizenfocus.surveys.packing import HIGHEST, LOWEST, code_text, pack, pack_columns, unpack


@pytest.mark.parametrize("kind", [pa.int64(), pa.int16(), pa.int8()])  # the import's code columns are int16
def test_the_numpy_packing_gives_each_response_the_text_the_python_packing_gives(kind):
    rng = np.random.default_rng(7)
    rows, slots = 2_000, {f"q{i}": s for i, s in enumerate(rng.permutation(12))}
    codes = {}
    for item in slots:
        given = rng.integers(LOWEST, HIGHEST + 1, rows).astype(object)
        given[rng.random(rows) < 0.3] = None
        codes[item] = given.tolist()
    codes["q0"] = [None] * rows  # a question nobody answered, wherever its slot is
    packed = pack_columns({slots[item]: pa.array(codes[item], kind) for item in slots}, rows).to_pylist()
    for i in range(rows):
        mine = {item: codes[item][i] for item in slots}
        assert packed[i] == pack(mine, slots)
        assert unpack(packed[i], slots) == {k: v for k, v in mine.items() if v is not None}
    # trailing unanswered questions are left off (some rows end early), unanswered ones within stay as two spaces
    assert all(text == text.rstrip() for text in packed)
    assert any(len(text) < 2 * len(slots) for text in packed)
    assert any("  " in text for text in packed)


def test_a_code_stands_right_aligned_in_two_characters_and_one_outside_them_is_refused():
    assert [code_text(c) for c in (2, 10, -1, 0, 99, -9)] == [" 2", "10", "-1", " 0", "99", "-9"]
    assert pack({"a": 7, "b": None, "c": 12}, {"a": 2, "b": 0, "c": 1}) == "  12 7"
    assert unpack("  12 7", {"a": 2, "b": 0, "c": 1, "later": 5}) == {"a": 7, "c": 12}
    with pytest.raises(ValueError, match="answer code 100 is outside -9 to 99"):
        pack_columns({0: pa.array([1, 100, None])}, 3)
    with pytest.raises(ValueError, match="answer code -10 is outside"):
        code_text(-10)


def test_a_definition_with_a_code_that_cannot_be_stored_is_refused_with_the_codes_named():
    data = {"key": "staff", "name": "Staff survey", "short_name": "Staff", "kind": "public",
            "scale": {"labels": {"1": "Yes", "2": "No", "100": "Not sure"}, "positive": [1], "negative": [2]},
            "measures": [{"key": "valued", "label": "Feels valued", "question": "Do you feel valued?"}]}
    with pytest.raises(DefinitionError, match=r"scale codes \[100\] are outside -9 to 99"):
        parse_definition(data, source="staff.toml")


@pytest.mark.django_db
def test_a_question_keeps_its_slot_and_a_new_one_takes_the_next():
    from citizenfocus.surveys.models import SurveyItem
    from citizenfocus.surveys.services import survey_for

    survey = survey_for("uss")
    first = SurveyItem.assign(survey.pk, ("treatment", "whole_experience"))
    assert first == {"treatment": 0, "whole_experience": 1}
    # the definition reordered, one question left out of it and one added: nothing stored moves
    again = SurveyItem.assign(survey.pk, ("feel_safe", "whole_experience"))
    assert again == {"treatment": 0, "whole_experience": 1, "feel_safe": 2}
    assert SurveyItem.slots(survey.pk) == again
