"""The gap explorer on demo data whose ethnicity has been shuffled: there is no true gap anywhere, so every
"significant" neighbourhood is chance. The page must say how many chance alone gives and headline none."""

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.urls import reverse

from tests.conftest import remove_committed_data

SIZE = 60000
SEED = 8


@pytest.fixture(scope="module")
def shuffled_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    from citizenfocus.areas.services import force_load
    from citizenfocus.demo import demo_force, write_survey_file
    from citizenfocus.performance import cube
    from citizenfocus.surveys.importing import survey_import

    path = tmp_path_factory.mktemp("shuffled") / "uss.parquet"
    write_survey_file(path, "uss", size=SIZE)
    table = pq.read_table(path)
    column = table.column_names.index("ethnicity")
    shuffled = np.random.default_rng(SEED).permutation(np.array(table.column("ethnicity").to_pylist(), dtype=object))
    pq.write_table(table.set_column(column, "ethnicity", pa.array(shuffled.tolist())), path)
    with django_db_blocker.unblock():
        force_load(force=demo_force())
        survey_import(path=path, survey="uss", user_name="test", source="demo")
        cube.clear()
    yield
    with django_db_blocker.unblock():
        remove_committed_data()
        cube.clear()


@pytest.mark.usefixtures("shuffled_demo")
def test_no_chance_finding_is_headlined_and_the_page_says_how_many_chance_gives(client, users):
    client.force_login(users["board_member"])
    data = client.get(reverse("performance:gaps"), {"format": "json"}).json()
    rows = data["tables"]["neighbourhood"]["rows"]
    tested = [r for r in rows if r["verdict"] in ("significantly higher", "significantly lower",
                                                  "not significantly different")]
    alone = [r for r in tested if r["verdict"].startswith("significantly")]
    assert len(tested) >= 40
    assert not any(r["significant_fdr"] for r in rows)
    assert all(r["p_adjusted"] >= r["p_interval"] for r in tested)
    # neighbourhoods with fewer than 20 BME respondents are not tested at all
    assert all(r["verdict"] == "too few responses to test" for r in rows if 0 < (r["bme_n"] or 0) < 20)
    [sentence] = [s for s in data["headline"] if "neighbourhoods tested" in s]
    assert "no neighbourhood has a gap that holds" in sentence
    assert f"Of {len(tested)} neighbourhoods tested, {len(alone)} " in sentence
    assert f"about {len(tested) * 0.05:.1f} would by chance alone" in sentence
    assert "remain." in sentence or "remains." in sentence
    # strongest evidence first, not the largest raw gap
    evidence = [r["p_interval"] for r in rows if r["p_interval"] is not None]
    assert evidence == sorted(evidence)
