"""The audit trail, board meetings (dated snapshots), plan imports and reminders sent."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .plans import Action, Plan


class ChangeEventQuerySet(models.QuerySet):
    def for_item(self, kind: str, item_id: int):
        """One item's history, newest first."""
        return self.filter(item_kind=kind, item_id=item_id).order_by("-at", "-pk")

    def since(self, meeting):
        """Every change to the meeting's plan after its snapshot, oldest first (the meetings themselves aside)."""
        return self.filter(plan=meeting.plan_id, at__gt=meeting.snapshot_at).exclude(item_kind="meeting") \
            .order_by("at", "pk")


class ChangeEvent(models.Model):
    """One change to one field of one item: who, when, old, new. Append-only."""

    class Kind(models.TextChoices):
        PLAN = "plan", "Plan"
        RECOMMENDATION = "recommendation", "Recommendation"
        RESPONSE = "response", "Response"
        ACTION = "action", "Action"
        MEETING = "meeting", "Meeting"
        RISK_REGISTER = "risk_register", "Risk register"
        RISK = "risk", "Risk"

    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    register = models.ForeignKey("plans.RiskRegister", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="events")
    item_kind = models.CharField(max_length=20, choices=Kind.choices)
    item_id = models.PositiveBigIntegerField()
    item_ref = models.CharField(max_length=60, blank=True, help_text="The item's ref when it changed")
    field = models.CharField(max_length=40)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    note = models.TextField(blank=True)
    who = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    who_name = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ChangeEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["plan", "at"], name="event_plan_at"),
            models.Index(fields=["item_kind", "item_id"], name="event_item"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(item_kind__in=[
                "plan", "recommendation", "response", "action", "meeting", "risk_register", "risk"]),
                name="event_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.who_name}: {self.item_kind} {self.item_ref} {self.field}"


class Meeting(models.Model):
    """A board meeting: a dated snapshot of the plan; the plan can show every change since."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    snapshot_at = models.DateTimeField(default=timezone.now,
                                       help_text="Changes after this moment are 'since the meeting'")
    snapshot = models.JSONField(default=list, help_text="Each action as it stood: ref, status, RAG, dates")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["-held_on", "-snapshot_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %b %Y})"


def import_path(instance, filename: str) -> str:
    return f"plans/imports/{timezone.now():%Y/%m}/{instance.sha256[:16]}-{filename[-80:]}"


class PlanImport(models.Model):
    """An uploaded Word or Excel plan: what was understood, shown before anything is saved."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed, not saved"
        SAVED = "saved", "Saved"
        CANCELLED = "cancelled", "Cancelled"

    file = models.FileField(upload_to=import_path, max_length=300)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    source = models.CharField(max_length=20, choices=Plan.Source.choices)
    kind = models.CharField(max_length=20, choices=Plan.Kind.choices)
    owning_body = models.CharField(max_length=200, blank=True)
    parsed = models.JSONField(default=dict)
    corrections = models.JSONField(default=dict, blank=True,
                                   help_text="What the person fixed in the preview: columns, continuation rows, "
                                             "statuses, dates")
    problem_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_by_name = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=["previewed", "saved", "cancelled"]),
                                   name="plan_import_status_valid"),
            models.CheckConstraint(condition=~models.Q(status="saved") | models.Q(plan__isnull=False),
                                   name="plan_import_saved_has_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class ReminderSent(models.Model):
    """One reminder e-mailed about one action: a second run on the same day sends nothing again."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "recipient", "sent_on"], name="one_reminder_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.action.ref} to {self.email} on {self.sent_on}"
