"""`citizenfocus send-packs`: each division's monthly pack e-mailed to its recipients, once per period."""

import pytest
from typer.testing import CliRunner

pytestmark = [pytest.mark.usefixtures("demo_force"), pytest.mark.django_db]


@pytest.fixture
def recipients():
    from citizenfocus.areas.models import Division
    from citizenfocus.reports.models import PackRecipient

    central = Division.objects.get(name="Central")
    return [PackRecipient.objects.create(division=central, email="central-commander@example.org"),
            PackRecipient.objects.create(division=central, email="central-panel@example.org"),
            PackRecipient.objects.create(division=central, email="former@example.org", active=False)]


def test_each_recipient_gets_their_division_s_pack_once_per_period(recipients, mailoutbox):
    from citizenfocus.cli import app
    from citizenfocus.reports.models import PackSent

    result = CliRunner().invoke(app, ["send-packs"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "sent 2 pack e-mails"
    assert sorted(m.to[0] for m in mailoutbox) == ["central-commander@example.org", "central-panel@example.org"]
    name = "board-pack-central-division-12-months-to-march-2014.pdf"
    for message in mailoutbox:
        assert message.subject == "Board pack: Central division, 12 months to March 2014"
        [(file_name, content, kind)] = message.attachments
        assert (file_name, kind) == (name, "application/pdf") and content.startswith(b"%PDF")
    assert set(PackSent.objects.values_list("period", flat=True)) == {"rolling12:2014-03"}

    again = CliRunner().invoke(app, ["send-packs"])
    assert again.exit_code == 0 and "sent 0 pack e-mails" in again.stdout
    assert "2 recipient(s) already have this period's pack" in again.stdout and len(mailoutbox) == 2


def test_a_dry_run_says_who_would_get_what_and_sends_nothing(recipients, mailoutbox):
    from citizenfocus.reports.models import PackSent
    from citizenfocus.reports.schedule import packs_send

    result = packs_send(period="rolling12:2013-03", dry_run=True)
    assert result.sent == [f"{r.email}: board-pack-central-division-12-months-to-march-2013.pdf (dry run: not sent)"
                           for r in recipients[:2]]
    assert not mailoutbox and not PackSent.objects.exists()


def test_a_failed_e_mail_is_reported_and_not_recorded_so_the_next_run_sends_it(recipients, mailoutbox, monkeypatch):
    import smtplib

    from django.core.mail import EmailMessage

    from citizenfocus.reports.models import PackSent
    from citizenfocus.reports.schedule import packs_send

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({self.to[0]: (550, b"no such mailbox")})

    monkeypatch.setattr(EmailMessage, "send", refuse)
    result = packs_send(period="rolling12:2014-03")
    assert set(result.failed) == {"central-commander@example.org", "central-panel@example.org"}
    assert not PackSent.objects.exists()
