"""The responses table without an index on its survey, division, neighbourhood or ward alone.

Every index is written for each of the million rows a big import brings: inserting 1,000,000 responses from a
table already in SQLite, with no Python at all, cost 6.4–7.2 s of CPU with the table's seven indexes and
2.7–3.2 s with three (docs/design-answers.md). Four of them no query needs:

- the survey's: the unique (survey, response id) and the (survey, interview date) indexes both begin with it;
- the division's, neighbourhood's and ward's: pages read the persisted cube, not the responses, and the
  queries that do read responses by area (the call-back list, an action's before-and-after rate) read one
  survey's responses of a span of dates, by the (survey, interview date) index. An area's deletion (which the
  responses protect) now reads the responses to find it is still used: an administrator's rare step.

The batch's index stays (an import's months are found by it). By SQL, not Django's AlterField, which on
SQLite makes the table again and would drop its trigger that withholds erased responses (migration 0002).
Going back makes the four indexes again under the names Django gave them.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "surveys_response"
COLUMNS = ("survey_id", "division_id", "neighbourhood_id", "ward_id")


def _single_column_indexes(schema_editor) -> dict[str, str]:
    """column → name of each plain index on that column alone."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    return {facts["columns"][0]: name for name, facts in constraints.items()
            if facts["index"] and not facts["unique"] and not facts["primary_key"] and not facts["foreign_key"]
            and len(facts["columns"] or []) == 1}


def drop(apps, schema_editor):
    found = _single_column_indexes(schema_editor)
    for column in COLUMNS:
        if column in found:
            schema_editor.execute(f'DROP INDEX "{found[column]}"')


def make(apps, schema_editor):
    found = _single_column_indexes(schema_editor)
    for column in COLUMNS:
        if column not in found:
            name = schema_editor._create_index_name(TABLE, [column], suffix="")
            schema_editor.execute(f'CREATE INDEX "{name}" ON "{TABLE}" ("{column}")')


def _area(name: str, to: str, **options):
    return migrations.AlterField(
        model_name="response", name=name,
        field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=to,
                                **options),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("areas", "0001_initial"),
        ("surveys", "0009_answers_packed_in_the_response"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop, make)],
            state_operations=[
                migrations.AlterField(
                    model_name="response", name="survey",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="responses", to="surveys.survey"),
                ),
                _area("division", "areas.division"),
                _area("neighbourhood", "areas.neighbourhood", blank=True, null=True),
                _area("ward", "areas.ward", blank=True, null=True),
            ],
        ),
    ]
