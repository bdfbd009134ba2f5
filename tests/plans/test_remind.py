"""`citizenfocus remind`: one e-mail per owner, their actions overdue or due within N days, once a day."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from typer.testing import CliRunner

from citizenfocus.cli import app
from citizenfocus.plans.models import Action, ReminderSent
from citizenfocus.plans.remind import reminders_send

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def due(live, users, make_user):
    """The owner: 1.1.B overdue, 1.2.A due in 10 days, 2.1.B due in 90 days; a second owner without e-mail."""
    today = timezone.localdate()
    owner = users["action_owner"]
    owner.email = "contact.management@force.example"
    owner.save()
    quiet = make_user("action_owner", "no-email-owner")
    Action.objects.filter(ref="1.1.B").update(manager=owner, target_date=today - dt.timedelta(days=3))
    Action.objects.filter(ref="1.2.A").update(manager=owner, target_date=today + dt.timedelta(days=10))
    Action.objects.filter(ref="2.1.B").update(manager=owner, target_date=today + dt.timedelta(days=90))
    Action.objects.filter(ref="4.1.B").update(manager=quiet, target_date=today + dt.timedelta(days=1))
    Action.objects.filter(ref="3.1.A").update(target_date=today - dt.timedelta(days=1))  # named, no account
    Action.objects.filter(ref="2.1.A").update(target_date=today - dt.timedelta(days=1))  # completed: never
    return owner


def test_each_owner_gets_one_email_listing_their_overdue_and_due_soon_actions(due, settings):
    settings.CITIZENFOCUS_BASE_URL = "https://plans.force.example"
    summary = reminders_send(today=timezone.localdate(), days=28)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["contact.management@force.example"]
    assert message.subject == "Action plan reminder: 1 overdue, 1 due within 28 days"
    assert "Overdue:\n- Closing the gap" in message.body and "1.1.B" in message.body and "1.2.A" in message.body
    assert "2.1.B" not in message.body
    action = Action.objects.get(ref="1.1.B")
    assert f"https://plans.force.example/plans/actions/{action.pk}/" in message.body
    assert summary.sent == {"contact.management@force.example": 2}
    assert summary.no_email == {"no-email-owner": 1}
    assert [a.ref for a in summary.no_account] == ["3.1.A"]


def test_a_second_run_the_same_day_sends_nothing_again(due):
    today = timezone.localdate()
    reminders_send(today=today, days=28)
    again = reminders_send(today=today, days=28)
    assert len(mail.outbox) == 1 and again.sent == {} and again.already == 2
    reminders_send(today=today + dt.timedelta(days=1), days=28)
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 4


def test_a_dry_run_sends_and_records_nothing(due):
    summary = reminders_send(today=timezone.localdate(), days=100, dry_run=True)
    assert summary.sent == {"contact.management@force.example": 3}
    assert not mail.outbox and not ReminderSent.objects.exists()


def test_the_command_prints_a_summary_for_cron(due):
    result = runner.invoke(app, ["remind", "--days", "28"])
    assert result.exit_code == 0, result.output
    assert "sent 1 reminder e-mail (actions overdue or due within 28 days)" in result.stdout
    assert "contact.management@force.example: 2 actions" in result.stdout
    assert "not sent: no-email-owner has no e-mail address (1 action)" in result.stdout
    assert len(mail.outbox) == 1
    bad = runner.invoke(app, ["remind", "--today", "yesterday"])
    assert bad.exit_code == 1 and "--today 'yesterday' is not a date" in bad.stderr


def test_a_failed_email_is_reported_and_tried_again_tomorrow(due, monkeypatch):
    import smtplib

    from citizenfocus.plans import remind

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection closed")

    monkeypatch.setattr(remind, "send_mail", refuse)
    result = runner.invoke(app, ["remind"])
    assert result.exit_code == 1 and "FAILED: contact.management@force.example: connection closed" in result.stdout
    assert not ReminderSent.objects.exists()


def test_an_old_plan_is_reminded_about_as_at_its_own_date(imported, users):
    owner = users["action_owner"]
    owner.email = "contact.management@force.example"
    owner.save()
    Action.objects.filter(ref__in=["1.1.B", "2.1.B"]).update(manager=owner)  # due 31 Mar and 14 Feb 2014
    summary = reminders_send(today=timezone.localdate(), days=28)  # the plan is as at 31 Jan 2014
    assert summary.sent == {"contact.management@force.example": 1}
    body = mail.outbox[0].body
    assert "Due within 28 days:" in body and "2.1.B" in body and "Overdue:" not in body
    assert "Amber: due in 14 days and not started" in body and "1.1.B" not in body
