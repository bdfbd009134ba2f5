"""PostgreSQL: a response's references (its survey, division, neighbourhood, ward and import batch) checked
once per statement, not once per response.

A foreign key makes PostgreSQL look up and lock the referenced row of each inserted response, queued to the
commit: five foreign keys on every one of the million rows a big import brings. Inserting the 200,000
responses of a 200,000 × 20 import again, from a table already in the database, took about 1.1 s with no
foreign key, 4.3–6.2 s with the five, and 2.0–2.5 s with the triggers below (docs/design-answers.md). As
migration 0008 did for the answers, triggers keep the same rules a statement at a time, with the
statement's rows as a table (a transition table):

- after an INSERT or UPDATE of responses: a response whose survey, division, neighbourhood, ward or batch
  is not stored fails the statement (error 23503, as the foreign key's would), and the rows referred to are
  locked FOR KEY SHARE, as the foreign key locks them (once a statement, not once a response), so that no
  other transaction deletes them before this one commits;
- after a DELETE of surveys, divisions, neighbourhoods, wards or import batches: one that a response still
  refers to fails the statement (the foreign key's NO ACTION; Django's PROTECT refuses it first anyway).

On SQLite the foreign keys stay (there is no statement-level trigger with a table of the rows). Django's
picture of the fields says `db_constraint=False` on both. Going back drops the triggers and adds the
foreign keys again.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "surveys_response"
# column → the table it refers to, and the reference's name in the messages
REFERENCES = {
    "survey_id": ("surveys_survey", "survey"),
    "division_id": ("areas_division", "division"),
    "neighbourhood_id": ("areas_neighbourhood", "neighbourhood"),
    "ward_id": ("areas_ward", "ward"),
    "batch_id": ("surveys_importbatch", "import batch"),
}


def _forward() -> list[str]:
    missing = "\n      UNION ALL ".join(
        f"SELECT '{what}' AS what, w.id FROM (SELECT DISTINCT {column} AS id FROM written) w "
        f"WHERE w.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = w.id)"
        for column, (table, what) in REFERENCES.items())
    locks = "\n      ".join(
        f"PERFORM 1 FROM {table} t WHERE t.id IN (SELECT DISTINCT {column} FROM written) FOR KEY SHARE;"
        for column, (table, _) in REFERENCES.items())
    statements = [
        f"""
        CREATE FUNCTION surveys_response_references_stored() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          what text;
          missing bigint;
        BEGIN
          -- each referred row once a statement (a look-up and a lock per response cost about 3 µs each)
          SELECT x.what, x.id INTO what, missing FROM (
            {missing}
          ) x LIMIT 1;
          IF FOUND THEN
            RAISE EXCEPTION 'a response refers to % % which is not stored', what, missing
              USING ERRCODE = 'foreign_key_violation', TABLE = '{TABLE}';
          END IF;
          {locks}
          RETURN NULL;
        END $$
        """,
        f"""
        CREATE TRIGGER surveys_response_references_stored_insert AFTER INSERT ON {TABLE}
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION surveys_response_references_stored()
        """,
        f"""
        CREATE TRIGGER surveys_response_references_stored_update AFTER UPDATE ON {TABLE}
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION surveys_response_references_stored()
        """,
    ]
    for column, (table, what) in REFERENCES.items():
        statements += [
            f"""
            CREATE FUNCTION {table}_kept_for_responses() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
              used bigint;
            BEGIN
              SELECT g.id INTO used FROM gone g WHERE EXISTS (SELECT 1 FROM {TABLE} r WHERE r.{column} = g.id) LIMIT 1;
              IF FOUND THEN
                RAISE EXCEPTION 'the {what} % is still referred to by stored responses', used
                  USING ERRCODE = 'foreign_key_violation', TABLE = '{table}';
              END IF;
              RETURN NULL;
            END $$
            """,
            f"""
            CREATE TRIGGER {table}_kept_for_responses AFTER DELETE ON {table}
            REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION {table}_kept_for_responses()
            """,
        ]
    return statements


REVERSE = [
    f"DROP TRIGGER IF EXISTS surveys_response_references_stored_insert ON {TABLE}",
    f"DROP TRIGGER IF EXISTS surveys_response_references_stored_update ON {TABLE}",
    "DROP FUNCTION IF EXISTS surveys_response_references_stored()",
    *(f"DROP TRIGGER IF EXISTS {table}_kept_for_responses ON {table}" for table, _ in REFERENCES.values()),
    *(f"DROP FUNCTION IF EXISTS {table}_kept_for_responses()" for table, _ in REFERENCES.values()),
]


def _foreign_keys(schema_editor) -> dict[str, str]:
    """column → name of its foreign key on the responses table."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    return {facts["columns"][0]: name for name, facts in constraints.items()
            if facts["foreign_key"] and len(facts["columns"]) == 1}


def checked_per_statement(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, name in _foreign_keys(schema_editor).items():
        if column in REFERENCES:
            schema_editor.execute(f'ALTER TABLE "{TABLE}" DROP CONSTRAINT "{name}"')
    for statement in _forward():
        schema_editor.execute(statement, params=None)  # the functions hold % of their own


def checked_per_response(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in REVERSE:
        schema_editor.execute(statement, params=None)
    found = _foreign_keys(schema_editor)
    for column, (table, _) in REFERENCES.items():
        if column not in found:
            name = schema_editor._create_index_name(TABLE, [column], suffix=f"_fk_{table}_id")
            schema_editor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{name}" FOREIGN KEY ("{column}") '
                                  f'REFERENCES "{table}" ("id") DEFERRABLE INITIALLY DEFERRED')


def _field(name: str, to: str, related_name: str, **options):
    return migrations.AlterField(
        model_name="response", name=name,
        field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                related_name=related_name, to=to, **options),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("areas", "0001_initial"),
        ("surveys", "0010_response_area_indexes_dropped"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(checked_per_statement, checked_per_response)],
            state_operations=[
                _field("survey", "surveys.survey", "responses"),
                _field("division", "areas.division", "+"),
                _field("neighbourhood", "areas.neighbourhood", "+", blank=True, null=True),
                _field("ward", "areas.ward", "+", blank=True, null=True),
                migrations.AlterField(
                    model_name="response", name="batch",
                    field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="responses", to="surveys.importbatch"),
                ),
            ],
        ),
    ]
