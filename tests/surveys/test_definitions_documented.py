"""Every measure of every shipped survey has its methodology text, in the definition and in the docs."""

from pathlib import Path

import pytest

from citizenfocus.surveys.definition import shipped_definitions

METHODOLOGY = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"
MEASURES = [(d, m) for d in shipped_definitions().values() for m in d.measures]


@pytest.mark.parametrize("definition", shipped_definitions().values(), ids=lambda d: d.key)
def test_every_survey_has_methodology_text(definition):
    assert len(definition.methodology.split()) >= 30
    assert f'<a id="survey-{definition.key}"></a>' in METHODOLOGY.read_text(encoding="utf-8")


@pytest.mark.parametrize(("definition", "measure"), MEASURES, ids=lambda x: getattr(x, "key", ""))
def test_every_measure_has_its_question_direction_and_section(definition, measure):
    text = METHODOLOGY.read_text(encoding="utf-8")
    assert measure.question and measure.direction in {"higher-better", "higher-worse"}
    anchor = f'<a id="measure-{measure.key}"></a>'
    assert anchor in text, f"docs/methodology.md lacks a section for {definition.key}/{measure.key}"
    section = text.split(anchor, 1)[1].split("<a id=", 1)[0]
    assert measure.label in section and "Positive answers" in section
