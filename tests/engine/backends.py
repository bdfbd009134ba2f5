"""Fixtures: the same random responses as a Parquet file, a CSV file, a SQLite and a PostgreSQL database.

The databases are migrated Django databases (scratch, beside the test
database), filled through the models. PostgreSQL is at 127.0.0.1:5432 as user
postgres; when it cannot be reached the PostgreSQL tests are skipped on a
laptop but FAIL in CI (CI=true), so a broken service never passes silently.
"""

from __future__ import annotations

import itertools
import os
from contextlib import contextmanager

import dj_database_url
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from citizenfocus.surveys.definition import get_definition

from .responses import MEASURES, random_responses, store_responses

# The server CI provides; another can be named for a local run.
POSTGRES_ADMIN_URL = os.environ.get("CITIZENFOCUS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
_scratch_numbers = itertools.count(1)


@contextmanager
def django_database(alias: str, url: str):
    """A second Django connection to `url`, migrated; yields its settings dict."""
    from django.core.management import call_command
    from django.db import connections

    wanted = {**connections.settings, alias: dj_database_url.parse(url)}
    connections.settings[alias] = connections.configure_settings(wanted)[alias]
    try:
        call_command("migrate", database=alias, verbosity=0)
        yield connections.settings[alias]
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


@pytest.fixture(scope="session")
def responses():
    return random_responses()


@pytest.fixture(scope="session")
def parquet_path(responses, tmp_path_factory):
    path = tmp_path_factory.mktemp("engine") / "responses.parquet"
    pq.write_table(responses, path)
    return path


@pytest.fixture(scope="session")
def labelled_csv_path(responses, tmp_path_factory):
    """The same rows as CSV with answers written as labels (and some in odd case), as exports often are."""
    scale = get_definition("uss").measure("treatment").scale
    columns = {}
    for name in responses.column_names:
        values = responses.column(name).to_pylist()
        if name in MEASURES:
            values = [None if v is None else scale.labels[v] for v in values]
            values = [v.upper() if v and i % 7 == 0 else v for i, v in enumerate(values)]
        columns[name] = values
    import pyarrow as pa

    path = tmp_path_factory.mktemp("engine") / "responses.csv"
    pacsv.write_csv(pa.table(columns), path)
    return path


@pytest.fixture(scope="session")
def sqlite_database(responses, tmp_path_factory, django_db_setup, django_db_blocker):
    path = tmp_path_factory.mktemp("engine") / "responses.sqlite3"
    alias = f"engine_sqlite_{path.parent.name}"  # unique: another module may build its own copy
    with django_db_blocker.unblock(), django_database(alias, f"sqlite:///{path}") as database:
        store_responses(responses, using=alias)
        yield database


def postgres_reachable() -> bool:
    import psycopg

    try:
        psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=5).close()
    except psycopg.OperationalError:
        return False
    return True


@contextmanager
def scratch_postgres_database(name: str):
    """CREATE DATABASE name; yield its URL; DROP it (forcing out any connection left)."""
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_database(responses, django_db_setup, django_db_blocker):
    if not postgres_reachable():
        message = f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message} (CI=true: failing, not skipping)")
        pytest.skip(message)
    name = f"citizenfocus_engine_test_{os.getpid()}_{next(_scratch_numbers)}"
    with django_db_blocker.unblock(), scratch_postgres_database(name) as url:
        with django_database(name, url) as database:
            store_responses(responses, using=name)
            yield database
