"""Real concurrency: threads, each with its own database connection, write the same record at the same moment.

A barrier releases every thread at once, round after round; on SQLite and on PostgreSQL
(DATABASE_URL) exactly one edit from a given version wins, every other one is refused
naming the winner, and the history never records two changes from the same old value.
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from citizenfocus.performance import services
from citizenfocus.performance.models import PeerFigure, RecordEvent, Target
from tests.support import at_once

pytestmark = pytest.mark.django_db(transaction=True)
WRITERS = 6
ROUNDS = 4


def _at_once(work: Callable[[int], object], count: int = WRITERS) -> list:
    return at_once(work, count)


@pytest.fixture
def analysts(make_user):
    return [make_user("analyst", f"analyst-{i}") for i in range(WRITERS)]


@pytest.fixture
def target(users):
    return services.target_create(user=users["analyst"], survey_key="uss", measure="whole_experience", group="all",
                                  division=None, neighbourhood=None, rate=0.8, note="")


def test_edits_from_the_same_version_at_once_one_wins_and_the_rest_are_refused(analysts, target):
    for round_number in range(ROUNDS):
        version = Target.objects.get().version

        def edit(i: int, version=version, round_number=round_number):
            return services.target_edit(target_id=target.pk, version=version, user=analysts[i],
                                        rate=round(0.5 + round_number / 10 + i / 100, 4),
                                        note=f"round {round_number} by analyst-{i}")

        results = _at_once(edit)

        won = [i for i, r in enumerate(results) if isinstance(r, Target)]
        refused = [r for r in results if isinstance(r, services.StaleRecord)]
        assert len(won) == 1 and len(refused) == WRITERS - 1, results
        winner = won[0]
        assert all(f"changed by analyst-{winner} at" in str(r) for r in refused)
        stored = Target.objects.get()
        assert (stored.version, stored.note, stored.set_by) == (version + 1, f"round {round_number} by analyst-{winner}",
                                                                analysts[winner])
    changes = RecordEvent.objects.filter(item_kind="target").exclude(field="created")
    assert changes.count() == 2 * ROUNDS  # rate and note, once a round: nothing written by a refused edit


def test_writers_without_a_version_at_once_never_lose_a_change_from_the_history(analysts, users):
    row = {"survey_key": "uss", "measure": "whole_experience", "period": "rolling12:2014-03",
           "force_name": "Eastmoor Police", "rate": 0.5, "n": 1500, "deft": 1.0, "source": "MSF table"}
    services.peer_figures_store(user=users["analyst"], rows=[row])

    for round_number in range(ROUNDS):
        def write(i: int, round_number=round_number):
            rate = round(0.55 + round_number / 10 + i / 100, 2)  # every writer of every round a new value
            if i % 2:  # half replace it from a file, half edit it from a script, all at once
                return services.peer_figures_store(user=analysts[i], rows=[{**row, "rate": rate}], note=f"file {i}")
            figure = PeerFigure.objects.get()
            return services.peer_figure_edit(figure_id=figure.pk, version=None, user=analysts[i], rate=rate)

        results = _at_once(write)
        assert not [r for r in results if isinstance(r, Exception)], results

    events = list(RecordEvent.objects.filter(item_kind="peer_figure", field="rate").order_by("pk"))
    assert len(events) == WRITERS * ROUNDS  # every write is in the history
    assert events[0].old_value == "0.5"
    for before, after in zip(events, events[1:], strict=False):
        assert after.old_value == before.new_value, "a change was made from a value already overwritten"
    figure = PeerFigure.objects.get()
    assert str(figure.rate) == events[-1].new_value and figure.version == len(events) + 1


def test_the_served_pages_refuse_all_but_one_of_simultaneous_saves(analysts, target):
    clients = []
    for analyst in analysts:
        client = Client()
        client.force_login(analyst)
        clients.append(client)
    opened = clients[0].get(reverse("performance:targets"), {"edit": target.pk}).context["form"]
    form = {name: ("" if opened[name].value() is None else opened[name].value()) for name in opened.fields}

    results = _at_once(lambda i: clients[i].post(reverse("performance:targets"),
                                                 {**form, "id": target.pk, "rate": str(60 + i)}))

    codes = sorted(r.status_code for r in results)
    assert codes == [302] + [409] * (WRITERS - 1), codes
    winner = next(i for i, r in enumerate(results) if r.status_code == 302)
    assert all(f"changed by analyst-{winner} at" in r.content.decode() for r in results if r.status_code == 409)
    stored = Target.objects.get()
    assert (stored.rate, stored.version) == (pytest.approx((60 + winner) / 100), 2)


def test_the_same_target_added_by_several_analysts_at_once_is_stored_once(analysts):
    results = _at_once(lambda i: services.target_create(
        user=analysts[i], survey_key="uss", measure="treatment", group="bme", division=None, neighbourhood=None,
        rate=0.9 + i / 100))

    created = [r for r in results if isinstance(r, Target)]
    refused = [r for r in results if isinstance(r, services.StaleRecord)]
    assert len(created) == 1 and len(refused) == WRITERS - 1, results
    winner = created[0].set_by.username
    assert all(f"was created by {winner} at" in str(r) for r in refused)
    assert Target.objects.count() == 1
    assert RecordEvent.objects.filter(item_kind="target", field="created").count() == 1
