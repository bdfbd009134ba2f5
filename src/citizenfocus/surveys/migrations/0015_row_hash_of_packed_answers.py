"""The stored responses' row hashes made again in the form an import now makes them: md5 of the response's
values and its packed answers (`answer_codes`), not of each question's code as a value of its own.

An import compares each row of a file with the stored response of the same id by this hash: equal, the row
is unchanged and left under its earlier import; different, it is rewritten. The hash of the packed answers
costs an import about 0.5 s of CPU less a million rows (the text of 20 codes is made once, for the write, and
not again for the hash; docs/design-answers.md). Without this migration, the first re-import after it would
find every stored row changed and rewrite it with the same values.

Each response is read a batch at a time, in the order of its key, and its hash set by one statement a batch.
A response anonymised by `citizenfocus purge` keeps its blank hash. A million responses: 10.6 s on SQLite,
29 s on PostgreSQL (the import benchmark's databases).

Going back leaves the hashes in this form: the older code's first re-import of a stored row then counts it as
changed and writes it again with the same values.
"""

import hashlib

from django.db import migrations

# surveys.importing.validate.ROW_FIELDS as stored (the areas as their keys), at the time of this migration
FIELDS = ("response_id", "interview_date", "incident_date", "crime_type", "division_id", "neighbourhood_id",
          "ward_id", "ethnicity", "age_band", "sex", "disability", "weight", "recontact_consent", "comment")
BATCH = 5_000


def row_hash(values: tuple, codes: str) -> str:
    """surveys.importing.store.row_hash as it is at this migration (kept here: a migration must give the same
    result whatever the code becomes)."""
    text = "\x1f".join([*map(str, values), codes])
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _set(connection, table: str, pairs: list[tuple[int, str]]) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one statement a batch (an UPDATE a row is a round trip each)
            values = ", ".join(["(%s::bigint, %s)"] * len(pairs))
            cursor.execute(f"UPDATE {table} AS r SET {quote('row_hash')} = v.h FROM (VALUES {values}) AS v(id, h) "
                           f"WHERE r.{quote('id')} = v.id", [value for pair in pairs for value in pair])
        else:
            cursor.executemany(f"UPDATE {table} SET {quote('row_hash')} = %s WHERE {quote('id')} = %s",
                               [(digest, pk) for pk, digest in pairs])


def rehash(apps, schema_editor):
    Response = apps.get_model("surveys", "Response")
    connection = schema_editor.connection
    table = connection.ops.quote_name(Response._meta.db_table)
    stored = Response.objects.using(connection.alias).exclude(row_hash="").order_by("pk")
    last = 0
    while True:
        rows = list(stored.filter(pk__gt=last).values_list("pk", *FIELDS, "answer_codes")[:BATCH])
        if not rows:
            return
        _set(connection, table, [(row[0], row_hash(row[1:-1], row[-1] or "")) for row in rows])
        last = rows[-1][0]


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0014_response_id_compared_by_bytes"),
    ]

    operations = [
        migrations.RunPython(rehash, migrations.RunPython.noop, elidable=False),
    ]
