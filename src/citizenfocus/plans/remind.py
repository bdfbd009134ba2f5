"""Daily reminders: each action manager gets one e-mail listing their actions overdue or due within N days.

Run by cron (`citizenfocus remind`). Sent through Django's e-mail (the console by
default; SMTP with EMAIL_BACKEND and EMAIL_HOST...). A reminder about an action is
sent at most once a day to a person, so a second run the same day sends nothing.
Managers named without an account, or with no e-mail address, are reported, not
e-mailed.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from .importing.text import format_date
from .models import Action, ReminderSent
from .selectors import due_lists


@dataclass
class Summary:
    sent: dict[str, int] = field(default_factory=dict)  # e-mail -> actions listed
    already: int = 0  # actions reminded about earlier today
    no_account: list[Action] = field(default_factory=list)
    no_email: dict[str, int] = field(default_factory=dict)  # user name -> actions
    failed: dict[str, str] = field(default_factory=dict)  # e-mail -> why it could not be sent

    def lines(self) -> list[str]:
        out = [f"{email}: {n} action{'s' if n != 1 else ''}" for email, n in sorted(self.sent.items())]
        if self.already:
            out.append(f"{self.already} action(s) already reminded about today: not sent again")
        for name, n in sorted(self.no_email.items()):
            out.append(f"not sent: {name} has no e-mail address ({n} action{'s' if n != 1 else ''})")
        for email, why in sorted(self.failed.items()):
            out.append(f"FAILED: {email}: {why}")
        for action in self.no_account:
            who = action.manager_name or "nobody"
            out.append(f"not sent: {action.plan} {action.ref} is managed by {who}, who has no account")
        return out


def base_url() -> str:
    return getattr(settings, "CITIZENFOCUS_BASE_URL", os.environ.get("CITIZENFOCUS_BASE_URL", "")).rstrip("/")


def _line(action: Action, today: dt.date) -> str:
    rag = action.rag(today=action.plan.as_at(today))
    url = f"{base_url()}{reverse('plans:action', args=[action.pk])}"
    return (f"- {action.plan}, {action.ref}: {action.description[:120]}\n"
            f"  Status: {action.get_status_display()}; target {format_date(action.target_date)}; "
            f"{rag.label}: {rag.reason}\n  Update it: {url}")


def message_for(actions: list[Action], *, today: dt.date, days: int) -> tuple[str, str]:
    # Each action as at its plan's reporting date (today for a plan without one), as on the due page.
    overdue = [a for a in actions if a.target_date < a.plan.as_at(today)]
    soon = [a for a in actions if a.target_date >= a.plan.as_at(today)]
    subject = f"Action plan reminder: {len(overdue)} overdue, {len(soon)} due within {days} days"
    parts = ["These actions you manage need an update.", ""]
    if overdue:
        parts += ["Overdue:", *(_line(a, today) for a in overdue), ""]
    if soon:
        parts += [f"Due within {days} days:", *(_line(a, today) for a in soon), ""]
    parts += ["Write the current position and status on each action's page (it takes a minute from a phone).",
              "If a target date has to move, ask the plan's analyst, and say why."]
    return subject, "\n".join(parts)


def reminders_send(*, today: dt.date, days: int, dry_run: bool = False) -> Summary:
    lists = due_lists(today=today, days=days)
    by_user: dict[int, list[Action]] = {}
    users = {}
    summary = Summary()
    for action in lists["overdue"] + lists["due_soon"]:
        if action.manager_id is None:
            summary.no_account.append(action)
            continue
        users[action.manager_id] = action.manager
        by_user.setdefault(action.manager_id, []).append(action)
    for user_id, actions in by_user.items():
        user = users[user_id]
        if not user.email or not user.is_active:
            summary.no_email[user.get_username()] = len(actions)
            continue
        done_today = set(ReminderSent.objects.filter(recipient=user, sent_on=today).values_list("action_id", flat=True))
        fresh = [a for a in actions if a.pk not in done_today]
        summary.already += len(actions) - len(fresh)
        if not fresh:
            continue
        if not dry_run:
            try:
                with transaction.atomic():
                    for action in fresh:
                        ReminderSent.objects.create(action=action, recipient=user, email=user.email, sent_on=today)
                    subject, body = message_for(fresh, today=today, days=days)
                    send_mail(subject, body, None, [user.email])
            except IntegrityError:  # another run got there first
                summary.already += len(fresh)
                continue
            except (OSError, smtplib.SMTPException) as exc:  # recorded as not sent: tomorrow's run tries again
                summary.failed[user.email] = str(exc) or exc.__class__.__name__
                continue
        summary.sent[user.email] = len(fresh)
    return summary
