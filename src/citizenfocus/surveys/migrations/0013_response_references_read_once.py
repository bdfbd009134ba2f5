"""PostgreSQL: the check of a statement's responses' references (migration 0011) reads the statement's rows
once, not ten times.

0011's function read its transition table (`written`: the rows an INSERT or UPDATE wrote) once for each
reference to find the ids it had to look up (five DISTINCTs), and once more for each to lock them (five
more). Here one pass takes the distinct combinations of the five references (a few hundred in a chunk of
thousands of rows), each reference's ids are gathered from those into an array, and the look-ups and the
locks use the arrays. The rules are the same: a response whose survey, division, neighbourhood, ward or
batch is not stored fails the statement (error 23503, naming the first such reference found), and what the
statement's rows refer to is locked FOR KEY SHARE until its transaction ends.

COPY of the 1,000,000 responses of a 1,000,000 × 20 import, 5,000 rows a statement as an import writes them
(the PostgreSQL server's CPU): 7.2–8.7 s with 0011's function, 6.0–6.1 s with this one, 5.3–5.6 s with no
check at all (docs/design-answers.md).

Going back puts 0011's function back. SQLite has its foreign keys and nothing to change.
"""

import importlib

from django.db import migrations

_0011 = importlib.import_module("citizenfocus.surveys.migrations.0011_response_references_checked_per_statement")
TABLE, REFERENCES = _0011.TABLE, _0011.REFERENCES


def _function() -> str:
    names = {column: column.removesuffix("_id") + "_ids" for column in REFERENCES}
    declared = "\n          ".join(f"{name} bigint[];" for name in names.values())
    gathered = ",\n                 ".join(
        f"array_agg(DISTINCT c.{column}) FILTER (WHERE c.{column} IS NOT NULL)" for column in REFERENCES)
    missing = "\n            UNION ALL ".join(
        f"SELECT '{what}' AS what, w.id FROM unnest({names[column]}) AS w(id) "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = w.id)"
        for column, (table, what) in REFERENCES.items())
    locks = "\n          ".join(f"PERFORM 1 FROM {table} t WHERE t.id = ANY({names[column]}) FOR KEY SHARE;"
                                for column, (table, _) in REFERENCES.items())
    return f"""
        CREATE OR REPLACE FUNCTION surveys_response_references_stored() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          what text;
          missing bigint;
          {declared}
        BEGIN
          -- the statement's rows read once: the distinct combinations of their references, then each one's ids
          SELECT {gathered}
            INTO {", ".join(names.values())}
            FROM (SELECT DISTINCT {", ".join(REFERENCES)} FROM written) c;
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
        """


def _0011_function() -> str:
    return _0011._forward()[0].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def read_once(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_function(), params=None)  # the function holds % of its own


def read_per_reference(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_0011_function(), params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0012_withheld_once_per_statement"),
    ]

    operations = [migrations.RunPython(read_once, read_per_reference)]
