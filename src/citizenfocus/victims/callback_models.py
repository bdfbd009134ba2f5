"""Calling back dissatisfied victims: the list, its outcomes, the force's reason codes, and their history."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CallBackReason(models.Model):
    """A force-editable reason code for a call-back's outcome, tied to the part of the service it is about."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=200)
    measure = models.CharField(max_length=40, blank=True,
                               help_text="The survey measure (key driver) it is about: kept_informed, treatment ...")
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class CallBackEvaluation(models.Model):
    """A randomised evaluation: the list split at random (seeded, recorded) into victims called back and not."""

    seed = models.PositiveIntegerField()
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"evaluation {self.pk} (seed {self.seed})"


class CallBack(models.Model):
    """One dissatisfied victim on the call-back list, assigned to a team leader, and how it ended."""

    class Arm(models.TextChoices):
        CALL = "call", "Called back"
        CONTROL = "control", "Not called back (comparison)"

    class Outcome(models.TextChoices):
        REACHED = "reached", "Reached"
        RESOLVED = "resolved", "Resolved"
        COMPLAINT = "complaint", "Complaint raised"
        REFERRED = "referred", "Referred"
        NOT_REACHED = "not_reached", "Not reached"

    # An erased respondent takes their call-back with them (personal data, docs/personal-data.md).
    response = models.OneToOneField("surveys.Response", on_delete=models.CASCADE, related_name="callback")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="callbacks")
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    reason = models.ForeignKey(CallBackReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    evaluation = models.ForeignKey(CallBackEvaluation, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="callbacks")
    arm = models.CharField(max_length=8, choices=Arm.choices, blank=True)
    resurvey = models.ForeignKey("surveys.Response", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", help_text="The same victim's later survey response")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(arm="") | models.Q(evaluation__isnull=False),
                                              name="callback_arm_needs_its_evaluation")]

    def __str__(self) -> str:
        return f"call-back {self.pk} ({self.outcome or 'open'})"


class CallBackChange(models.Model):
    """One change to a call-back (assigned, outcome recorded): who, when, what. Append-only."""

    callback = models.ForeignKey(CallBack, on_delete=models.CASCADE, related_name="changes")
    assigned_to_name = models.CharField(max_length=150, blank=True)
    outcome = models.CharField(max_length=12, blank=True)
    reason_code = models.CharField(max_length=40, blank=True)
    note = models.CharField(max_length=500, blank=True)
    who = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.who_name}: {self.outcome or 'assigned'}"
