"""Packs already made: who asked for which, its progress while it builds, and the file it wrote."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def pack_path(instance, filename: str) -> str:
    return f"packs/{timezone.now():%Y/%m}/{instance.pk or 'new'}-{filename[-120:]}"


def template_path(instance, filename: str) -> str:
    return f"pack-templates/{timezone.now():%Y/%m}/{instance.sha256[:16]}.docx"


class PackTemplate(models.Model):
    """A force's own Word template (.docx): the Word pack starts from it (its styles, page set-up, header,
    footer and cover artwork). Kept once uploaded, with who and when, for later packs; retired, not deleted,
    so a pack made from it still says which it was."""

    name = models.CharField(max_length=200, help_text="What the analysts call it, e.g. 'Force report template'")
    file = models.FileField(upload_to=template_path, max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_by_name = models.CharField(max_length=150, help_text="Who uploaded it (kept if the user goes)")
    uploaded_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.original_name}, {self.uploaded_at:%d %b %Y})"

    def as_dict(self) -> dict:
        return {"id": self.pk, "name": self.name, "original_name": self.original_name, "size": self.size,
                "sha256": self.sha256, "uploaded_by": self.uploaded_by_name,
                "uploaded_at": self.uploaded_at.isoformat(),
                "retired_at": self.retired_at.isoformat() if self.retired_at else None}


class BoardPack(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        BUILDING = "building", "Building"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    class Format(models.TextChoices):
        PDF = "pdf", "PDF (accessible, tagged)"
        DOCX = "docx", "Word (editable)"

    survey_key = models.SlugField(max_length=40, default="uss")
    division = models.ForeignKey("areas.Division", null=True, blank=True, on_delete=models.PROTECT,
                                 help_text="Empty: the whole force")
    period = models.CharField(max_length=30, blank=True, help_text="rolling12:YYYY-MM; empty: to the latest month")
    meeting = models.ForeignKey("plans.Meeting", null=True, blank=True, on_delete=models.PROTECT)
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.PDF)
    body = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    recommendation = models.TextField(blank=True)
    crime_type = models.CharField(max_length=60, blank=True,
                                  help_text="The crime type the findings give with and without; empty: the one "
                                            "that moves the figure most")
    template = models.ForeignKey(PackTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="packs",
                                 help_text="The force's Word template (Word packs only)")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    step = models.PositiveSmallIntegerField(default=0)
    steps = models.PositiveSmallIntegerField(default=1)
    step_words = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=pack_path, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_by_name = models.CharField(max_length=150, help_text="Who asked for it (kept if the user goes)")
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["queued", "building", "done", "failed"]),
                                   name="board_pack_status_valid"),
            models.CheckConstraint(condition=Q(format__in=["pdf", "docx"]), name="board_pack_format_valid"),
            models.CheckConstraint(condition=Q(step__lte=models.F("steps")), name="board_pack_step_within_steps"),
        ]

    def __str__(self) -> str:
        return self.file_name or f"board pack {self.pk}"

    @property
    def period_label(self) -> str:
        """'12 months to March 2014', as the pack's cover says it."""
        from citizenfocus.stats import parse_period

        return parse_period(self.period).label if self.period else "the latest 12 months"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(100 * self.step / max(self.steps, 1))

    def as_dict(self) -> dict:
        return {"id": self.pk, "status": self.status, "status_label": self.get_status_display(),
                "step": self.step, "steps": self.steps, "step_words": self.step_words, "percent": self.percent,
                "format": self.format, "division": self.division.name if self.division_id else None,
                "period": self.period, "meeting": self.meeting_id, "crime_type": self.crime_type or None,
                "template": self.template_id, "file_name": self.file_name,
                "error": self.error, "requested_by": self.requested_by_name,
                "requested_at": self.requested_at.isoformat(),
                "finished_at": self.finished_at.isoformat() if self.finished_at else None}


class PackRecipient(models.Model):
    """Who gets a division's (or the force's) monthly pack by e-mail from `citizenfocus send-packs`."""

    division = models.ForeignKey("areas.Division", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="pack_recipients", help_text="Empty: the whole force's pack")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField()
    format = models.CharField(max_length=4, choices=BoardPack.Format.choices, default=BoardPack.Format.PDF)
    active = models.BooleanField(default=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["division__name", "email"]
        constraints = [
            models.UniqueConstraint(fields=["division", "email"], name="pack_recipient_once_per_area"),
            models.CheckConstraint(condition=Q(format__in=["pdf", "docx"]), name="pack_recipient_format_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.division.name if self.division_id else 'whole force'})"


class PackSent(models.Model):
    """A monthly pack e-mailed to a recipient: at most once per recipient and period (append-only)."""

    recipient = models.ForeignKey(PackRecipient, on_delete=models.PROTECT, related_name="sent")
    email = models.EmailField(help_text="The address it went to (kept if the recipient changes)")
    period = models.CharField(max_length=30)
    file_name = models.CharField(max_length=200)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "period"], name="pack_sent_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} to {self.email} on {self.sent_at:%Y-%m-%d}"
