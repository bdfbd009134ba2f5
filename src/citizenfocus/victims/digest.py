"""The daily digest: each officer and team leader gets one e-mail with the cases breached or red in their queue.

Run by cron (`citizenfocus victims-digest`), once a day. Sent through Django's e-mail (the console by
default). A person with nothing breached or red gets nothing; a person with no e-mail address is reported.
The mail names crime references and what is due, never the victim.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.mail import send_mail
from django.urls import reverse

from citizenfocus.plans.remind import base_url

from .models import Officer, Team, VictimRecord
from .queue import queue_rows
from .rules import BREACHED, RED, Rules


@dataclass
class DigestSummary:
    sent: dict[str, int] = field(default_factory=dict)  # e-mail -> cases listed
    no_email: dict[str, int] = field(default_factory=dict)  # user name -> cases

    def lines(self) -> list[str]:
        out = [f"{email}: {n} case{'s' * (n != 1)}" for email, n in sorted(self.sent.items())]
        return out + [f"not sent: {name} has no e-mail address ({n} case{'s' * (n != 1)})"
                      for name, n in sorted(self.no_email.items())]


def _urgent(records, rules: Rules, as_at: date):
    rows = queue_rows(records=records.open().prefetch_related("events"), rules=rules, as_at=as_at, identified=True)
    return [r for r in rows if r.entry.band in (BREACHED, RED)]


def digest_message(rows, *, who: str, red_max: int) -> tuple[str, str]:
    breached = sum(r.entry.band == BREACHED for r in rows)
    subject = f"Victims' Code: {breached} breached, {len(rows) - breached} due within {red_max} days ({who})"
    lines = ["These victims are owed an update or a key-event notice:", ""]
    for row in rows:
        d = row.as_dict()
        lines.append(f"- {d['crime']} ({d['crime_type']}): {d['status']}: {d['what']} by {d['due_on']} ({d['why']})")
    lines += ["", f"Your queue: {base_url()}{reverse('victims:queue')}"]
    return subject, "\n".join(lines)


def digest_send(*, rules: Rules, as_at: date, dry_run: bool = False) -> DigestSummary:
    summary = DigestSummary()
    recipients = [(o.user, VictimRecord.objects.filter(officer=o), "your cases")
                  for o in Officer.objects.exclude(user=None).select_related("user")]
    recipients += [(t.supervisor, VictimRecord.objects.filter(team=t), t.name)
                   for t in Team.objects.exclude(supervisor=None).select_related("supervisor")]
    for user, records, who in recipients:
        rows = _urgent(records, rules, as_at)
        if not rows:
            continue
        if not user.email:
            summary.no_email[user.get_username()] = summary.no_email.get(user.get_username(), 0) + len(rows)
            continue
        if not dry_run:
            subject, body = digest_message(rows, who=who, red_max=rules.red_max)
            send_mail(subject, body, None, [user.email])
        summary.sent[user.email] = summary.sent.get(user.email, 0) + len(rows)
    return summary
