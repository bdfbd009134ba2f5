"""Answers kept on their scale: one `Answer` row per question answered, instead of one 1/0 column per measure.

The previous version kept only each measure's outcome (1 positive, 0 negative, NULL missing), so the code
the respondent gave (which of "completely", "very" or "fairly" satisfied; "neither") is gone for those
responses. This migration keeps every outcome as a derived answer: code -1 for a positive outcome and -2
for a negative one, which the measure of the same key counts exactly as before (so every figure is
unchanged) and any other measure derived from that question ("neither") leaves out of its base. Importing
the original file again replaces them with the codes as given (docs/design-answers.md).
"""

import django.db.models.deletion
from django.db import migrations, models

LEGACY_MEASURES = (
    "ease_of_contact", "actions_taken", "kept_informed", "treatment", "whole_experience",
    "good_job", "deal_with_matters", "asb_problem",
)


def outcomes_to_answers(apps, schema_editor):
    """One INSERT ... SELECT per old column: set-based, so a million responses take seconds."""
    quote = schema_editor.quote_name
    for column in LEGACY_MEASURES:
        schema_editor.execute(
            f"INSERT INTO {quote('surveys_answer')} ({quote('response_id')}, {quote('item')}, {quote('code')}) "
            f"SELECT {quote('id')}, %s, CASE WHEN {quote(column)} = 1 THEN -1 ELSE -2 END "
            f"FROM {quote('surveys_response')} WHERE {quote(column)} IS NOT NULL",
            params=[column],
        )


def answers_to_outcomes(apps, schema_editor):
    """Back to the 1/0 columns: each answer's outcome for the measure of its key, by that survey's
    definition (codes as given go through its scale; -1 / -2 back to 1 / 0)."""
    import tomllib

    from citizenfocus.surveys.definition import DefinitionError, parse_definition

    Survey = apps.get_model("surveys", "Survey")
    Answer = apps.get_model("surveys", "Answer")
    Response = apps.get_model("surveys", "Response")
    for survey in Survey.objects.all():
        try:
            definition = parse_definition(tomllib.loads(survey.definition_toml), source=survey.key)
        except (tomllib.TOMLDecodeError, DefinitionError):
            continue
        for measure in definition.measures:
            if measure.key not in LEGACY_MEASURES or not measure.headline:
                continue
            positive, negative = measure.outcome_codes()
            answers = Answer.objects.filter(response__survey=survey, item=measure.key)
            for outcome, codes in ((1, positive), (0, negative)):
                ids = answers.filter(code__in=sorted(codes)).values("response_id")
                Response.objects.filter(pk__in=ids).update(**{measure.key: outcome})


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0003_definition_history_goes_with_its_survey"),
    ]

    operations = [
        migrations.CreateModel(
            name="Answer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("item", models.CharField(help_text="The question's key in the survey definition", max_length=40)),
                ("code", models.SmallIntegerField(help_text="The answer's code on the question's scale; -1 / -2: a positive / negative outcome migrated from the previous version, whose code was not kept")),
                ("response", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="answers", to="surveys.response")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("response", "item"), name="one_answer_per_question")],
            },
        ),
        migrations.RunPython(outcomes_to_answers, answers_to_outcomes),
        *[migrations.RemoveField(model_name="response", name=column) for column in LEGACY_MEASURES],
    ]
