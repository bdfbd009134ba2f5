"""The board suite from the persisted cube reads its cells only: the stored responses are not even joined."""

import pytest

from citizenfocus.engine import board_suite, open_db_source, sources, stored

pytestmark = pytest.mark.django_db


def test_the_suite_from_the_persisted_cube_never_builds_the_responses_table(demo_data, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the stored responses were joined")

    monkeypatch.setattr(sources, "_canonical_db_table", refuse)
    source = open_db_source("uss")
    suite = board_suite(source)
    assert suite.cells > 0 and "table" not in source.__dict__

    monkeypatch.setattr(stored, "cube_for", lambda *a, **k: None)  # the cube not persisted: the table is built
    with pytest.raises(AssertionError, match="joined"):
        board_suite(open_db_source("uss"))
