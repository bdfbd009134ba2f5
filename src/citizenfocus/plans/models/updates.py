"""What happens to an action over time: position updates, evidence and target-date revisions.

All three are append-only: the services add rows and never change or delete them.
"""

from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone

from .plans import Action, DatePrecision


class PositionUpdate(models.Model):
    class Source(models.TextChoices):
        WEB = "web", "Web"
        IMPORT = "import", "Imported"
        CLI = "cli", "Command line"

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    position_date = models.DateField(help_text="The date the position describes")
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY,
                                      help_text="Month or year: the plan said only 'Update Mar14' or '2014 update'")
    text = models.TextField()
    links = models.TextField(blank=True, help_text="Web addresses of evidence, one a line")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=200, help_text="Who wrote it (kept if the account goes)")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(source__in=["web", "import", "cli"]),
                                   name="position_update_source_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.action.ref} {self.position_date}: {self.text[:60]}"

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


def evidence_path(instance, filename: str) -> str:
    # The stored name is ours; the person's file name is kept in original_name.
    suffix = PurePath(filename).suffix.lower()
    return f"plans/evidence/{timezone.now():%Y/%m}/{instance.sha256[:16]}{suffix}"


class Evidence(models.Model):
    """A file attached to a position update; served only through a permission-checked view."""

    update = models.ForeignKey(PositionUpdate, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class TargetDateRevision(models.Model):
    """One change of an action's target date: who, when, why. The original stays on the action."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="target_revisions")
    old_date = models.DateField(null=True, blank=True)
    new_date = models.DateField(null=True, blank=True)
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by_name = models.CharField(max_length=200)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="target_revision_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.action.ref}: {self.old_date} -> {self.new_date}"
