"""The monthly packs, e-mailed: each recipient gets their division's (or the force's) pack for the latest
12 months, once per period, so cron can run `citizenfocus send-packs` daily and each month's pack goes
out once, the day its data is in."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction

from citizenfocus.performance.cube import get_cube
from citizenfocus.stats.periods import month_date

from .build import PackError, PackRequest, board_pack
from .files import FORMATS, pack_bytes, pack_file_name
from .models import PackRecipient, PackSent


@dataclass
class Sending:
    sent: list[str] = field(default_factory=list)  # "email: file"
    already: int = 0
    failed: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [f"sent: {line}" for line in self.sent]
        if self.already:
            out.append(f"{self.already} recipient(s) already have this period's pack: not sent again")
        out += [f"FAILED: {who}: {why}" for who, why in sorted(self.failed.items())]
        return out


def latest_period(survey: str) -> str:
    cube = get_cube(survey)
    if cube is None:
        raise PackError(f"no responses are stored for survey {survey!r}; import some first")
    return f"rolling12:{month_date(cube.last_month):%Y-%m}"


def _message(recipient: PackRecipient, pack, name: str, content: bytes, fmt: str) -> EmailMessage:
    body = (f"{pack.cover.title}\n\nThe monthly board pack is attached ({name}). Its figures are the "
            "dashboard's; every chart has its table and every figure its base.\n")
    message = EmailMessage(subject=f"Board pack: {pack.cover.area}, {pack.cover.period}", body=body,
                           to=[recipient.email])
    message.attach(name, content, FORMATS[fmt])
    return message


def packs_send(*, survey: str = "uss", period: str | None = None, dry_run: bool = False) -> Sending:
    """Build each area's pack once per format and e-mail it to that area's active recipients."""
    spec = period or latest_period(survey)
    result = Sending()
    recipients = PackRecipient.objects.filter(active=True).select_related("division")
    built: dict[tuple, tuple] = {}
    for recipient in recipients:
        if PackSent.objects.filter(recipient=recipient, period=spec).exists():
            result.already += 1
            continue
        key = (recipient.division_id, recipient.format)
        if key not in built:
            pack = board_pack(PackRequest(survey=survey, period=spec,
                                          division=recipient.division.name if recipient.division else None))
            built[key] = (pack, pack_file_name(pack, recipient.format), pack_bytes(pack, recipient.format))
        pack, name, content = built[key]
        if dry_run:
            result.sent.append(f"{recipient.email}: {name} (dry run: not sent)")
            continue
        try:
            with transaction.atomic():  # recorded only if sent; a second run the same month sends nothing
                PackSent.objects.create(recipient=recipient, email=recipient.email, period=spec, file_name=name)
                _message(recipient, pack, name, content, recipient.format).send()
        except IntegrityError:
            result.already += 1
            continue
        except (smtplib.SMTPException, OSError) as exc:
            result.failed[recipient.email] = str(exc) or type(exc).__name__
            continue
        result.sent.append(f"{recipient.email}: {name}")
    return result
