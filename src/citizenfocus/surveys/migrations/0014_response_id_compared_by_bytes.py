"""PostgreSQL: a response's id compared byte by byte (collation "C"), as SQLite and Python compare it.

The unique index of survey and response id is written for every response an import brings and read for every
response a re-import brings (is this response stored, and is it changed?). Under the database's own collation
each comparison of two ids goes through the locale's rules (even under C.UTF-8 before PostgreSQL 17); under "C"
it compares bytes. Ids are codes (`R000123`): byte order is the order SQLite and Python sort them in, and two
ids are equal under either collation exactly when their bytes are equal, so the uniqueness of an id within a
survey does not change.

Figures, the PostgreSQL server's CPU (docs/design-answers.md): the COPY of an import's 1,000,000 responses, 5,000
a statement, 6.0–6.1 s → 5.5–5.7 s; a re-import's look-up of 5,000 stored ids, 12–14 ms → 7–8 ms.

Changing the column's collation rebuilds that index (a few seconds a million responses, during which the
table is locked). Django's picture of the field is unchanged (SQLite has no collation named "C"), so
`tests/surveys/test_response_references.py` checks the column's collation on PostgreSQL: a later migration that
altered the field would set it back to the default, and that test would say so. Going back sets the default
collation again. SQLite: nothing to do.
"""

from django.db import migrations

ALTER = 'ALTER TABLE "surveys_response" ALTER COLUMN "response_id" TYPE varchar(64) COLLATE {}'


def by_bytes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALTER.format('"C"'))


def by_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALTER.format('"default"'))


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0013_response_references_read_once"),
    ]

    operations = [migrations.RunPython(by_bytes, by_default)]
