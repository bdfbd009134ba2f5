"""PostgreSQL: erased and purged responses withheld once per statement, not once per response.

Migration 0002 made the database withhold an erased respondent's response, or one dated before the
survey's last purge cut-off, whatever writes the row, by a trigger run before each inserted response: two
look-ups a row in PL/pgSQL. Inserting the 1,000,000 responses of a 1,000,000 x 20 import again from a table
already in the database took 4.3 s with no trigger and 10.9 s with it (docs/design-answers.md).

Here the same rule runs after each INSERT statement, over the statement's rows as a table (a transition
table, which the references' trigger of migration 0011 already has PostgreSQL keep): the rows of an erased
respondent or from before the cut-off are deleted again before the statement ends, and counted in
surveys_withheldrows by batch and reason, as before. Nothing outside the statement ever sees them, and an
import reads its counts after its statements. (One difference a writer could see: an INSERT ... RETURNING now
returns the ids of the withheld rows too, though they are gone when it ends; no code here writes responses
one at a time through Django.) The same insert: 5.1 s. When no response has been erased or
purged at all, the trigger looks no further.

SQLite keeps its trigger of 0002 (it has no statement-level trigger with a table of the rows). Going back
puts the trigger of 0002 back.
"""

from django.db import migrations

POSTGRESQL = [
    "DROP TRIGGER IF EXISTS surveys_response_withheld ON surveys_response",
    """
    CREATE OR REPLACE FUNCTION surveys_response_withheld() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM surveys_erasure)
         AND NOT EXISTS (SELECT 1 FROM surveys_purgerecord WHERE kind = 'responses') THEN
        RETURN NULL;
      END IF;
      WITH hit AS (
        SELECT w.id, w.batch_id,
               CASE WHEN e.response_id IS NOT NULL THEN 'erased' ELSE 'retention' END AS reason
        FROM written w
        LEFT JOIN surveys_erasure e ON e.survey_id = w.survey_id AND e.response_id = w.response_id
        LEFT JOIN (SELECT survey_id, MAX(cutoff) AS cutoff FROM surveys_purgerecord
                   WHERE kind = 'responses' GROUP BY survey_id) p ON p.survey_id = w.survey_id
        WHERE e.response_id IS NOT NULL OR w.interview_date < p.cutoff
      ), gone AS (
        DELETE FROM surveys_response r USING hit WHERE r.id = hit.id RETURNING hit.batch_id, hit.reason
      )
      INSERT INTO surveys_withheldrows (batch_id, reason, count)
      SELECT batch_id, reason, COUNT(*) FROM gone GROUP BY batch_id, reason
      ON CONFLICT (batch_id, reason) DO UPDATE SET count = surveys_withheldrows.count + EXCLUDED.count;
      RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER surveys_response_withheld AFTER INSERT ON surveys_response
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION surveys_response_withheld()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS surveys_response_withheld ON surveys_response",
    """
    CREATE OR REPLACE FUNCTION surveys_response_withheld() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE why text;
    BEGIN
      IF EXISTS (SELECT 1 FROM surveys_erasure e
                 WHERE e.survey_id = NEW.survey_id AND e.response_id = NEW.response_id) THEN
        why := 'erased';
      ELSIF NEW.interview_date < (SELECT MAX(p.cutoff) FROM surveys_purgerecord p
                                  WHERE p.survey_id = NEW.survey_id AND p.kind = 'responses') THEN
        why := 'retention';
      ELSE
        RETURN NEW;
      END IF;
      INSERT INTO surveys_withheldrows (batch_id, reason, count) VALUES (NEW.batch_id, why, 1)
      ON CONFLICT (batch_id, reason) DO UPDATE SET count = surveys_withheldrows.count + 1;
      RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER surveys_response_withheld BEFORE INSERT ON surveys_response
    FOR EACH ROW EXECUTE FUNCTION surveys_response_withheld()
    """,
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0011_response_references_checked_per_statement"),
    ]

    operations = [
        migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_REVERSE), elidable=False),
    ]
