"""A response's answers packed in its own row (`answer_codes`), not a row an answer in `surveys_answer`.

Each question of a survey gets a slot (`SurveyItem`), and a response's codes stand at their questions' slots,
two characters each (surveys/packing.py). An import then writes one row a response instead of one a response
and about 18 more an answer: at 1,000,000 responses × 20 questions the answers' write was the largest part of
an import (docs/design-answers.md has the figures). Every answer keeps its code, the stand-in codes of
migration 0004 (-1, -2) included, so every figure is the same after this migration as before.

Going back makes the answers table again as migration 0008 left it (WITHOUT ROWID with its foreign key on
SQLite; the key and the statement-level triggers on PostgreSQL) and writes each packed code back into it.
"""

import importlib

from django.db import migrations, models

WIDTH = 2  # surveys/packing.py, as it was when this migration was written
LOWEST, HIGHEST = -9, 99  # the codes two characters hold
CHUNK = 20_000
lean = importlib.import_module("citizenfocus.surveys.migrations.0006_answer_lean_key")
per_statement = importlib.import_module("citizenfocus.surveys.migrations.0008_answer_reference_checked_per_statement")


def _chunks(cursor, where: str = ""):
    """(first, last) response ids of the stored responses, CHUNK at a time."""
    cursor.execute(f'SELECT "id" FROM "surveys_response" {where} ORDER BY "id"')  # noqa: S608
    ids = [row[0] for row in cursor.fetchall()]
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        yield part[0], part[-1]


def _refuse_codes_that_do_not_fit(cursor) -> None:
    """Two characters hold the codes -9 to 99: a database with any other code stored is refused, whole, with
    the codes and where they are, before anything changes."""
    cursor.execute('SELECT s."key", a."item", a."code", COUNT(*) FROM "surveys_answer" a '
                   'JOIN "surveys_response" r ON r."id" = a."response_id" JOIN "surveys_survey" s ON s."id" = r."survey_id" '
                   f'WHERE a."code" < {LOWEST} OR a."code" > {HIGHEST} '
                   'GROUP BY s."key", a."item", a."code" ORDER BY s."key", a."item", a."code"')
    found = cursor.fetchall()
    if found:
        listed = "; ".join(f"survey {survey}, question {item}: code {code} ({count} answers)"
                           for survey, item, code, count in found[:20])
        raise ValueError(
            f"answers cannot be packed: this version stores codes from {LOWEST} to {HIGHEST}, and the database holds "
            f"others ({listed}{'; ...' if len(found) > 20 else ''}). Renumber those answers' codes within the range "
            "(and the survey definition's scale with them), then migrate again; nothing has been changed.")


def pack_answers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        _refuse_codes_that_do_not_fit(cursor)
        # each survey's questions: a slot each, in the order of their keys
        cursor.execute('SELECT DISTINCT r."survey_id", a."item" FROM "surveys_answer" a '
                       'JOIN "surveys_response" r ON r."id" = a."response_id" ORDER BY r."survey_id", a."item"')
        slots: dict[int, dict[str, int]] = {}
        for survey_id, item in cursor.fetchall():
            mine = slots.setdefault(survey_id, {})
            mine[item] = len(mine)
        cursor.executemany('INSERT INTO "surveys_surveyitem" ("survey_id", "item", "slot") VALUES (%s, %s, %s)',
                           [(s, item, slot) for s, mine in slots.items() for item, slot in mine.items()])
        for first, last in _chunks(cursor):
            cursor.execute('SELECT a."response_id", r."survey_id", a."item", a."code" FROM "surveys_answer" a '
                           'JOIN "surveys_response" r ON r."id" = a."response_id" '
                           'WHERE a."response_id" BETWEEN %s AND %s ORDER BY a."response_id"', [first, last])
            packed: dict[int, list[str]] = {}
            for response_id, survey_id, item, code in cursor.fetchall():
                slot = slots[survey_id][item]
                cells = packed.setdefault(response_id, [])
                if len(cells) <= slot:
                    cells.extend([" " * WIDTH] * (slot + 1 - len(cells)))
                cells[slot] = f"{code:>{WIDTH}d}"
            cursor.executemany('UPDATE "surveys_response" SET "answer_codes" = %s WHERE "id" = %s',
                               [("".join(cells).rstrip(), pk) for pk, cells in packed.items()])


def unpack_codes(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute('SELECT "survey_id", "item", "slot" FROM "surveys_surveyitem"')
        slots: dict[int, list[tuple[str, int]]] = {}
        for survey_id, item, slot in cursor.fetchall():
            slots.setdefault(survey_id, []).append((item, slot))
        for first, last in _chunks(cursor, "WHERE \"answer_codes\" <> ''"):
            cursor.execute('SELECT "id", "survey_id", "answer_codes" FROM "surveys_response" '
                           "WHERE \"id\" BETWEEN %s AND %s AND \"answer_codes\" <> '' ORDER BY \"id\"", [first, last])
            rows = []
            for pk, survey_id, text in cursor.fetchall():
                for item, slot in sorted(slots.get(survey_id, [])):
                    cell = text[slot * WIDTH:(slot + 1) * WIDTH].strip()
                    if cell:
                        rows.append((pk, item, int(cell)))
            cursor.executemany('INSERT INTO "surveys_answer" ("response_id", "item", "code") VALUES (%s, %s, %s)',
                               rows)


def drop_answers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in per_statement.REVERSE:
            schema_editor.execute(statement, params=None)
    schema_editor.execute('DROP TABLE "surveys_answer"')


def make_answers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(lean.SQLITE_LEAN.replace("surveys_answer_lean", "surveys_answer"))
        return
    schema_editor.execute('CREATE TABLE "surveys_answer" ("response_id" bigint NOT NULL, "item" varchar(40) NOT NULL, '
                          '"code" smallint NOT NULL, CONSTRAINT "surveys_answer_pkey" PRIMARY KEY ("response_id", "item"))')
    for statement in per_statement.FORWARD:
        schema_editor.execute(statement, params=None)  # the functions hold % of their own


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0008_answer_reference_checked_per_statement"),
    ]

    operations = [
        migrations.CreateModel(
            name="SurveyItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("item", models.CharField(help_text="The question's key in the survey definition", max_length=40)),
                ("slot", models.PositiveSmallIntegerField(
                    help_text="Its two characters in answer_codes: 2·slot + 1 and + 2")),
                ("survey", models.ForeignKey(on_delete=models.deletion.CASCADE, related_name="items",
                                             to="surveys.survey")),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("survey", "item"), name="one_slot_per_question"),
                    models.UniqueConstraint(fields=("survey", "slot"), name="one_question_per_slot"),
                ],
            },
        ),
        # By SQL: Django's AddField makes the responses table again on SQLite (a NOT NULL column), which would
        # drop its trigger that withholds erased responses (migration 0002); a constant default needs no rewrite.
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(
                "ALTER TABLE surveys_response ADD COLUMN answer_codes text NOT NULL DEFAULT ''",
                "ALTER TABLE surveys_response DROP COLUMN answer_codes",
            )],
            state_operations=[migrations.AddField(
                model_name="response",
                name="answer_codes",
                field=models.TextField(
                    blank=True, default="",
                    help_text="Its answers: two characters a question at the question's slot (SurveyItem), the code "
                              "as given on the question's scale; blank when not answered (surveys/packing.py)"),
            )],
        ),
        migrations.RunPython(pack_answers, unpack_codes),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_answers, make_answers)],
            state_operations=[migrations.DeleteModel(name="Answer")],
        ),
    ]
