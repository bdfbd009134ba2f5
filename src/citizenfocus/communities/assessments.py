"""Community impact assessments of planned operations, and equality impact assessments of policies.

Models live here (not in models.py) to keep each module small; Django finds them through models.py.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

CHARACTERISTICS = (
    ("age", "Age"), ("disability", "Disability"), ("gender_reassignment", "Gender reassignment"),
    ("marriage", "Marriage and civil partnership"), ("pregnancy", "Pregnancy and maternity"), ("race", "Race"),
    ("religion", "Religion or belief"), ("sex", "Sex"), ("sexual_orientation", "Sexual orientation"),
)  # the protected characteristics of the Equality Act 2010, s.4


class ImpactAssessment(models.Model):
    """A community impact assessment of a planned operation, signed off by the neighbourhood's inspector."""

    operation = models.CharField(max_length=200)
    neighbourhood = models.ForeignKey("areas.Neighbourhood", on_delete=models.PROTECT, related_name="+")
    planned_on = models.DateField()
    communities_affected = models.TextField()
    sensitivities = models.TextField(blank=True)
    engagement_before = models.TextField(blank=True)
    engagement_after = models.TextField(blank=True)
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    signed_off_by_name = models.CharField(max_length=150, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-planned_on", "-pk"]

    def __str__(self) -> str:
        return self.operation

    def tension_returns(self):
        """The neighbourhood's tension returns from four weeks before the operation on: the link the review reads."""
        from .models import TensionReturn

        return TensionReturn.objects.filter(neighbourhood=self.neighbourhood,
                                            week__gte=self.planned_on - dt.timedelta(weeks=4))


class EqualityPolicy(models.Model):
    """A policy or function in the force's equality impact assessment register."""

    class Kind(models.TextChoices):
        POLICY = "policy", "Policy"
        FUNCTION = "function", "Function"

    title = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    owner = models.CharField(max_length=120, help_text="Department or post responsible")
    assessment = models.TextField(blank=True, help_text="The full assessment, where the screening calls for one")
    next_review_due = models.DateField(help_text="Annual monitoring review")
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["next_review_due", "title"]
        verbose_name_plural = "equality policies"

    def __str__(self) -> str:
        return self.title


class Screening(models.Model):
    """The screening of a policy against one protected characteristic. A later screening supersedes."""

    class Impact(models.TextChoices):
        POSITIVE = "positive", "Positive"
        NEUTRAL = "neutral", "No impact"
        NEGATIVE = "negative", "Negative: full assessment needed"
        UNKNOWN = "unknown", "Not known: full assessment needed"

    policy = models.ForeignKey(EqualityPolicy, on_delete=models.PROTECT, related_name="screenings")
    characteristic = models.CharField(max_length=20, choices=CHARACTERISTICS)
    impact = models.CharField(max_length=10, choices=Impact.choices)
    evidence = models.TextField(blank=True)
    by_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["policy", "characteristic", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.policy}: {self.characteristic} {self.impact}"


class MonitoringReview(models.Model):
    """An annual monitoring review of a policy: when, by whom, the outcome. Append-only."""

    policy = models.ForeignKey(EqualityPolicy, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    outcome = models.TextField()
    by_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.policy} reviewed {self.reviewed_on}"
