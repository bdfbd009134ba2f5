"""PostgreSQL: an answer's reference to its response checked once per statement, not once per answer.

A foreign key makes PostgreSQL check each inserted answer on its own: a look-up of the response and a lock on
it, queued to the commit. An import brings about 18 answers a response, and at 200,000 responses × 20
questions those 3.7 million checks took 14 s of the server's CPU, against 5 s to write the answers
themselves (docs/design-answers.md). The foreign key is replaced by triggers that keep the same rule a
statement at a time, with the statement's rows as a table (a transition table):

- after an INSERT or UPDATE of answers: an answer whose response is not stored fails the statement (error
  23503, as the foreign key's would);
- after a DELETE of responses: their answers are deleted (the foreign key's ON DELETE CASCADE; Django deletes
  them first anyway).

The responses an import's answers refer to are its own, written in the same transaction, so no other
transaction can delete them between the check and the commit.

On SQLite the foreign key stays (its check costs about a tenth of the answers' write there, and the table
is WITHOUT ROWID, which a rebuild through Django's schema editor would lose). Django's picture of the field
says `db_constraint=False` on both. Going back drops the triggers and adds the foreign key again.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "surveys_answer"
CONSTRAINT = "surveys_answer_response_id_5416c873_fk_surveys_response_id"  # the name Django gave it (0004)

FORWARD = [
    """
    CREATE FUNCTION surveys_answer_response_stored() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      missing bigint;
    BEGIN
      -- each response once (about 18 answers each): a look-up per answer cost the server about 1 µs each
      SELECT a.response_id INTO missing FROM (SELECT DISTINCT response_id FROM written) a
      WHERE NOT EXISTS (SELECT 1 FROM surveys_response r WHERE r.id = a.response_id) LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION 'an answer refers to response % which is not stored', missing
          USING ERRCODE = 'foreign_key_violation', TABLE = 'surveys_answer';
      END IF;
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER surveys_answer_response_stored_insert AFTER INSERT ON surveys_answer
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION surveys_answer_response_stored()
    """,
    """
    CREATE TRIGGER surveys_answer_response_stored_update AFTER UPDATE ON surveys_answer
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION surveys_answer_response_stored()
    """,
    """
    CREATE FUNCTION surveys_response_answers_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM surveys_answer a USING gone g WHERE a.response_id = g.id;
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER surveys_response_answers_deleted AFTER DELETE ON surveys_response
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION surveys_response_answers_deleted()
    """,
]
REVERSE = [
    "DROP TRIGGER IF EXISTS surveys_response_answers_deleted ON surveys_response",
    "DROP FUNCTION IF EXISTS surveys_response_answers_deleted()",
    "DROP TRIGGER IF EXISTS surveys_answer_response_stored_update ON surveys_answer",
    "DROP TRIGGER IF EXISTS surveys_answer_response_stored_insert ON surveys_answer",
    "DROP FUNCTION IF EXISTS surveys_answer_response_stored()",
]


def _reference_constraints(schema_editor) -> list[str]:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    return [name for name, facts in constraints.items()
            if facts["foreign_key"] and facts["columns"] == ["response_id"]]


def checked_per_statement(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in _reference_constraints(schema_editor):
        schema_editor.execute(f'ALTER TABLE "{TABLE}" DROP CONSTRAINT "{name}"')
    for statement in FORWARD:
        schema_editor.execute(statement, params=None)  # the functions hold % of their own


def checked_per_answer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in REVERSE:
        schema_editor.execute(statement, params=None)  # the functions hold % of their own
    if not _reference_constraints(schema_editor):
        schema_editor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{CONSTRAINT}" FOREIGN KEY ("response_id") '
                              'REFERENCES "surveys_response" ("id") DEFERRABLE INITIALLY DEFERRED')


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0007_cube_months"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(checked_per_statement, checked_per_answer)],
            state_operations=[
                migrations.AlterField(
                    model_name="answer", name="response",
                    field=models.ForeignKey(db_constraint=False, db_index=False,
                                            on_delete=django.db.models.deletion.CASCADE,
                                            related_name="answers", to="surveys.response"),
                ),
            ],
        ),
    ]
