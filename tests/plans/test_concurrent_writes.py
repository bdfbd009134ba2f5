"""Real concurrency: threads, each on its own database connection, write one plan item at the same moment.

What issue 10 saw: six edits and six status updates fired at one action at once, and in 5 of 8 rounds
every edit was lost (a status update saved from an older copy wrote the old description back while the
history showed the edit as current). A barrier releases every thread at once, round after round, against
the services and through the served views, on SQLite and on PostgreSQL (DATABASE_URL): from one version,
exactly one write wins and every other is refused naming the winner; without a version, every write is
applied to the item as it is now, none writes a field it did not change, and the history never records
two changes from the same old value.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from citizenfocus.plans import services
from citizenfocus.plans.models import (
    Action,
    ChangeEvent,
    Meeting,
    Plan,
    PlanResponse,
    Recommendation,
    Risk,
)
from tests.support import at_once

pytestmark = pytest.mark.django_db(transaction=True)
EDITS = UPDATES = 6
ROUNDS = 8
STATUS = dict(Action.Status.choices)





def assert_history_chains(kind: str, item_id: int, field: str, first: str) -> list[ChangeEvent]:
    """Each recorded change starts from the value the one before it left: never two from the same old value."""
    events = list(ChangeEvent.objects.filter(item_kind=kind, item_id=item_id, field=field).order_by("pk"))
    before = first
    for event in events:
        assert event.old_value == before, f"{field}: a change from {event.old_value!r}, already overwritten by " \
                                          f"{before!r}"
        before = event.new_value
    return events


@pytest.fixture
def writers(make_user):
    """Six analysts who edit the action's details and six who update its status and position."""
    return [make_user("analyst", f"editor-{i}") for i in range(EDITS)] + \
        [make_user("analyst", f"updater-{i}") for i in range(UPDATES)]


@pytest.fixture
def action(one_action, users):
    """The action under way since ten days ago, so a status update moves only the status (and its dates)."""
    services.action_edit(action=one_action, user=users["analyst"], ref=one_action.ref,
                         description=one_action.description, manager=users["action_owner"],
                         start_date=timezone.localdate() - dt.timedelta(days=10), target_date=one_action.target_date)
    return one_action


def _edit(action: Action, user, description: str, version: int | None):
    """An analyst's edit of the details, with every other field as their copy of the action had it."""
    return services.action_edit(action=action, user=user, ref=action.ref, description=description,
                                department=action.department, manager=action.manager,
                                manager_name=action.manager_name, start_date=action.start_date,
                                target_date=action.target_date, version=version)


def _status(round_number: int, i: int) -> str:
    return ("work_underway", "blocked", "completed")[(round_number + i) % 3]


def test_edits_and_status_updates_from_one_version_at_once_one_wins_and_the_rest_are_refused(writers, action):
    winners = []
    for round_number in range(ROUNDS):
        before = Action.objects.get(pk=action.pk)

        def write(i: int, round_number=round_number, before=before):
            copy = Action.objects.get(pk=action.pk)  # what this writer's form was opened on
            if i < EDITS:
                return _edit(copy, writers[i], f"round {round_number} by editor-{i}", before.version)
            return services.action_update(action=copy, user=writers[i], status=_status(round_number, i),
                                          text=f"round {round_number} by updater-{i - EDITS}", version=before.version)

        results = at_once(write, EDITS + UPDATES)

        won = [i for i, r in enumerate(results) if not isinstance(r, Exception)]
        refused = [r for r in results if isinstance(r, services.StaleItem)]
        assert len(won) == 1 and len(refused) == EDITS + UPDATES - 1, results
        winner = writers[won[0]].username
        assert all(f"changed by {winner} at" in str(r) for r in refused)
        stored = Action.objects.get(pk=action.pk)
        assert stored.version == before.version + 1
        if won[0] < EDITS:
            assert (stored.description, stored.status) == (f"round {round_number} by {winner}", before.status)
        else:  # a status update: the description stays what it was
            assert (stored.description, stored.status) == (before.description, _status(round_number, won[0]))
        winners.append(winner)

    described = assert_history_chains("action", action.pk, "description", "Ring back within 48 hours.")
    assert len(described) == sum(w.startswith("editor") for w in winners)
    assert_history_chains("action", action.pk, "status", "Not Started")


def test_writers_without_a_version_from_old_copies_lose_no_edit_and_write_back_nothing(writers, action):
    """Scripts, the command line and JSON clients send no version: each write is applied to the action as it
    is now, and writes only what it changes, even when the caller's copy was read long before."""
    description = Action.objects.get(pk=action.pk).description
    for round_number in range(ROUNDS):
        copies = [Action.objects.get(pk=action.pk) for _ in writers]  # read before anyone writes

        def write(i: int, round_number=round_number, copies=copies):
            if i < EDITS:
                return _edit(copies[i], writers[i], f"round {round_number} by editor-{i}", None)
            return services.action_update(action=copies[i], user=writers[i], status=_status(round_number, i),
                                          text=f"round {round_number} by updater-{i - EDITS}")

        results = at_once(write, EDITS + UPDATES)
        assert not [r for r in results if isinstance(r, Exception)], results

    described = assert_history_chains("action", action.pk, "description", description)
    assert len(described) == EDITS * ROUNDS  # every edit is in the history, each from the one before
    statuses = assert_history_chains("action", action.pk, "status", "Not Started")
    stored = Action.objects.get(pk=action.pk)
    assert stored.description == described[-1].new_value, "a status update wrote an old description back"
    assert STATUS[stored.status] == statuses[-1].new_value
    assert stored.updates.count() == UPDATES * ROUNDS
    assert stored.version == 2 + EDITS * ROUNDS + UPDATES * ROUNDS


def _logged_in(users) -> list[Client]:
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def _form(client: Client, url: str, name: str) -> dict:
    form = client.get(url).context[name]
    return {form.add_prefix(n): ("" if form[n].value() is None else form[n].value()) for n, f in form.fields.items()
            if getattr(f.widget, "input_type", "") != "file"}


def test_the_served_pages_refuse_all_but_one_of_simultaneous_edits_and_status_updates(writers, action):
    clients = _logged_in(writers)
    page = reverse("plans:action", args=[action.pk])
    edit_url, update_url = (reverse(f"plans:{n}", args=[action.pk]) for n in ("action_edit", "action_update"))
    for round_number in range(ROUNDS // 2):
        edit, update = _form(clients[0], page, "edit_form"), _form(clients[0], page, "update_form")
        before = Action.objects.get(pk=action.pk)

        def post(i: int, round_number=round_number, edit=edit, update=update):
            if i < EDITS:
                return clients[i].post(edit_url, {**edit, "description": f"round {round_number} by editor-{i}"})
            return clients[i].post(update_url, {**update, "status": _status(round_number, i),
                                                "text": f"round {round_number} by updater-{i - EDITS}"})

        results = at_once(post, EDITS + UPDATES)

        codes = sorted(r.status_code for r in results)
        assert codes == [302] + [409] * (EDITS + UPDATES - 1), codes
        won = next(i for i, r in enumerate(results) if r.status_code == 302)
        said = f"changed by {writers[won].username} at"
        assert all(said in r.content.decode() for r in results if r.status_code == 409)
        stored = Action.objects.get(pk=action.pk)
        assert stored.version == before.version + 1
        expected = f"round {round_number} by editor-{won}" if won < EDITS else before.description
        assert stored.description == expected
    assert_history_chains("action", action.pk, "description", "Ring back within 48 hours.")
    assert_history_chains("action", action.pk, "status", "Not Started")


@pytest.mark.parametrize("kind", ["plan", "recommendation", "response"])
def test_simultaneous_saves_of_one_plan_recommendation_or_response_leave_one_winner(writers, one_action, kind):
    item = {"plan": one_action.plan, "recommendation": one_action.response.recommendation,
            "response": one_action.response}[kind]
    model = {"plan": Plan, "recommendation": Recommendation, "response": PlanResponse}[kind]
    field = "description" if kind == "plan" else "text"
    url = reverse("plans:plan_edit" if kind == "plan" else f"plans:{kind}_edit", args=[item.pk])
    page = url if kind == "plan" else reverse(f"plans:{kind}", args=[item.pk])
    clients = _logged_in(writers[:EDITS])
    for round_number in range(3):
        form = _form(clients[0], page, "form" if kind == "plan" else "edit_form")

        results = at_once(lambda i, form=form, r=round_number: clients[i].post(
            url, {**form, field: f"round {r} by editor-{i}"}), EDITS)

        codes = sorted(r.status_code for r in results)
        assert codes == [302] + [409] * (EDITS - 1), codes
        won = next(i for i, r in enumerate(results) if r.status_code == 302)
        assert all(f"changed by editor-{won} at" in r.content.decode() for r in results if r.status_code == 409)
        stored = model.objects.get(pk=item.pk)
        assert (getattr(stored, field), stored.version) == (f"round {round_number} by editor-{won}", round_number + 2)


def test_reviews_and_edits_of_one_risk_at_once_one_wins_a_round(writers, one_action):
    register = services.risk_register_create(title="Victim care risks", user=writers[0], plan=one_action.plan)
    risk = services.risk_create(register=register, user=writers[0], title="Calls missed", likelihood=3, impact=3)
    for round_number in range(4):
        before = Risk.objects.get(pk=risk.pk)
        version, likelihood = before.version, before.likelihood % 5 + 1  # every review this round changes it

        def write(i: int, version=version, likelihood=likelihood, round_number=round_number):
            copy = Risk.objects.get(pk=risk.pk)
            if i % 2:
                return services.risk_edit(risk=copy, user=writers[i], ref=copy.ref, title=f"round {round_number} "
                                          f"by {writers[i].username}", version=version)
            return services.risk_review(risk=copy, user=writers[i], likelihood=likelihood, impact=3, status="open",
                                        note=writers[i].username, version=version)

        results = at_once(write, 6)

        refused = [r for r in results if isinstance(r, services.StaleItem)]
        assert len(refused) == 5, results
        assert Risk.objects.get(pk=risk.pk).version == version + 1
    assert_history_chains("risk", risk.pk, "likelihood", "3")
    assert_history_chains("risk", risk.pk, "title", "Calls missed")


@pytest.mark.parametrize("kind", ["response", "action"])
def test_items_added_at_once_without_a_ref_each_take_their_own(writers, one_action, kind):
    parent = one_action.response.recommendation if kind == "response" else one_action.response

    def add(i: int):
        if kind == "response":
            return services.response_create(recommendation=parent, user=writers[i], text=f"by editor-{i}")
        return services.action_create(response=parent, user=writers[i], description=f"by editor-{i}")

    results = at_once(add, EDITS)

    assert not [r for r in results if isinstance(r, Exception)], results
    refs = sorted(r.ref for r in results)
    assert len(set(refs)) == EDITS, refs


def test_the_same_mitigation_added_at_once_is_stored_once(writers, one_action):
    register = services.risk_register_create(title="Victim care risks", user=writers[0], plan=one_action.plan)
    risk = services.risk_create(register=register, user=writers[0], title="Calls missed", likelihood=3, impact=3)

    results = at_once(lambda i: services.mitigation_add(risk=risk, action=one_action, user=writers[i]), EDITS)

    added = [r for r in results if not isinstance(r, Exception)]
    said = [str(r) for r in results if isinstance(r, Exception)]
    assert len(added) == 1 and all("already a mitigation" in s for s in said), results
    assert ChangeEvent.objects.filter(item_kind="risk", field="mitigation").count() == 1


def test_a_meeting_archived_by_several_people_at_once_records_one_change(writers, one_action):
    meeting = services.meeting_record(plan=one_action.plan, user=writers[0], title="Board",
                                      held_on=timezone.localdate())
    copies = [Meeting.objects.get(pk=meeting.pk) for _ in range(EDITS)]

    at_once(lambda i: services.meeting_archive(meeting=copies[i], user=writers[i]), EDITS)

    assert ChangeEvent.objects.filter(item_kind="meeting", field="archived").count() == 1
    assert Meeting.objects.get(pk=meeting.pk).archived is True
