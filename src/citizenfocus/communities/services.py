"""Writes to engagement records: each keyword-only, in one transaction, with its author and time."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from citizenfocus.plans.services.audit import name_of
from citizenfocus.stats.perception import check_scores

from .access import neighbourhood_team, sees_kin_contacts
from .models import KinMember, KinPurge, KinRead, LocalPriority, Perception, TensionReturn, WeDid

KIN_RETENTION_DAYS = 90  # a member's name and contact are kept this long after they leave (docs/personal-data.md)


@transaction.atomic
def kin_member_add(*, neighbourhood, name: str, contact: str, groups=(), user, joined_on: dt.date | None = None):
    member = KinMember.objects.create(neighbourhood=neighbourhood, name=name.strip(), contact=contact.strip(),
                                      joined_on=joined_on or dt.date.today(), added_by=user)
    member.groups.set(groups)
    return member


@transaction.atomic
def kin_leave_request(*, member: KinMember, user=None, on: dt.date | None = None) -> list[str]:
    """A member asks to leave: recorded, and the neighbourhood's team is prompted (e-mail, and on the register).

    Returns the addresses e-mailed. The team removes the member (kin_member_leave) once the member's
    contact has been thanked; the retention clock starts then.
    """
    member.leave_requested_on = on or dt.date.today()
    member.save(update_fields=["leave_requested_on"])
    to = [u.email for u in neighbourhood_team(member.neighbourhood) if u.email]
    if to:
        transaction.on_commit(lambda: send_mail(
            f"KIN member {member.pseudonym} asks to leave the {member.neighbourhood.name} network",
            f"{member.pseudonym} asked to leave on {member.leave_requested_on:%d %B %Y}. Open the register to "
            "remove them; their name and contact are erased "
            f"{KIN_RETENTION_DAYS} days after they leave.", None, to))
    return to


@transaction.atomic
def kin_member_leave(*, member: KinMember, user, on: dt.date | None = None) -> None:
    member.left_on = on or dt.date.today()
    member.save(update_fields=["left_on"])


@transaction.atomic
def kin_purge(*, today: dt.date | None = None, dry_run: bool = False, who_name: str = "system") -> int:
    """Erase the name and contact of members who left more than KIN_RETENTION_DAYS ago; returns how many.

    The row stays (its perceptions are still counted, under its pseudonym); each run is on record."""
    cutoff = (today or dt.date.today()) - dt.timedelta(days=KIN_RETENTION_DAYS)
    due = KinMember.objects.filter(left_on__lt=cutoff, erased_at__isnull=True)
    count = due.count()
    if not dry_run:
        due.update(name="", contact="", erased_at=timezone.now())
        KinPurge.objects.create(who_name=who_name, left_before=cutoff, erased=count)
    return count


def _row(member: KinMember, identified: bool) -> dict:
    row = {"member": member.pseudonym, "groups": ", ".join(g.name for g in member.groups.all()),
           "joined_on": member.joined_on.isoformat(),
           "leave_requested_on": member.leave_requested_on.isoformat() if member.leave_requested_on else "",
           "left_on": member.left_on.isoformat() if member.left_on else ""}
    if identified:
        row.update(name=member.name or "(erased)", contact=member.contact or "(erased)")
    return row


@transaction.atomic
def kin_register_read(*, user, neighbourhood, what: str) -> tuple[bool, list[dict]]:
    """The register rows the user may see, named or pseudonymised (access.py), and the reading logged."""
    identified = sees_kin_contacts(user, neighbourhood)
    members = KinMember.objects.filter(neighbourhood=neighbourhood).prefetch_related("groups")
    rows = [_row(m, identified) for m in members]
    KinRead.objects.create(user=user, username=user.get_username(), neighbourhood=neighbourhood, what=what,
                           identified=identified, rows=len(rows))
    return identified, rows


@transaction.atomic
def priority_create(*, neighbourhood, title: str, raised_by: str, raised_on: dt.date, you_said: str, user,
                    **sara) -> LocalPriority:
    return LocalPriority.objects.create(neighbourhood=neighbourhood, title=title, raised_by=raised_by,
                                        raised_on=raised_on, you_said=you_said, created_by=user, **sara)


@transaction.atomic
def we_did_record(*, priority: LocalPriority, text: str, done_on: dt.date, user) -> WeDid:
    return WeDid.objects.create(priority=priority, text=text, done_on=done_on, recorded_by=user)


@transaction.atomic
def perception_record(*, priority: LocalPriority, member: KinMember, month: dt.date, score: int, user) -> Perception:
    """A member's perception of a priority for a month; a second answer for the same month replaces the first."""
    check_scores([score])
    if month.day != 1:
        raise ValidationError(f"month {month.isoformat()} must be the first day of a month")
    if member.neighbourhood_id != priority.neighbourhood_id:
        raise ValidationError(f"{member.pseudonym} is not in the KIN of {priority.neighbourhood.name}")
    answer, _ = Perception.objects.update_or_create(
        priority=priority, member=member, month=month,
        defaults={"score": score, "recorded_by": user, "recorded_at": timezone.now()})
    return answer


@transaction.atomic
def tension_submit(*, week: dt.date, division, neighbourhood=None, level: int, reliability: str, user,
                   factors: str = "", actions: str = "") -> tuple[TensionReturn, bool]:
    """Store a weekly return; (return, escalated): escalated when the level is above the area's last week."""
    from .tension import escalate, previous_level

    if week.weekday() != 0:
        raise ValidationError(f"week {week.isoformat()} must be a Monday")
    if neighbourhood is not None and neighbourhood.division_id != division.pk:
        raise ValidationError(f"{neighbourhood.name} is not in {division.name} division")
    before = previous_level(week=week, division=division, neighbourhood=neighbourhood)
    created = TensionReturn.objects.create(
        week=week, division=division, neighbourhood=neighbourhood, level=level, reliability=reliability,
        factors=factors, actions=actions, submitted_by=user, submitted_by_name=name_of(user))
    rose = before is not None and level > before
    if rose:
        escalate(created, before)
    return created, rose
