"""Risk registers: likelihood x impact, a score band with its review frequency, mitigations."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from citizenfocus.plans.dates import add_months

from .plans import Action, Plan, version_field


class RiskRegister(models.Model):
    title = models.CharField(max_length=200)
    owning_body = models.CharField(max_length=200, blank=True)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="risk_registers",
                             help_text="The action plan the register goes with, if any")
    scale = models.PositiveSmallIntegerField(default=5, help_text="Likelihood and impact are scored 1 to this (4 or 5)")
    high_from = models.PositiveSmallIntegerField(default=15, help_text="A score at or above this is high")
    medium_from = models.PositiveSmallIntegerField(default=5, help_text="A score at or above this is medium")
    high_review_months = models.PositiveSmallIntegerField(default=1)
    medium_review_months = models.PositiveSmallIntegerField(default=3)
    low_review_months = models.PositiveSmallIntegerField(default=3)
    archived = models.BooleanField(default=False)
    version = version_field()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["archived", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(scale__in=[4, 5]), name="register_scale_4_or_5"),
            models.CheckConstraint(condition=Q(medium_from__gte=1) & Q(high_from__gt=F("medium_from")),
                                   name="register_bands_ordered"),
            models.CheckConstraint(condition=Q(high_review_months__gte=1) & Q(medium_review_months__gte=1)
                                   & Q(low_review_months__gte=1), name="register_reviews_at_least_monthly"),
        ]

    def __str__(self) -> str:
        return self.title

    def band(self, score: int) -> str:
        if score >= self.high_from:
            return "high"
        return "medium" if score >= self.medium_from else "low"

    def review_months(self, band: str) -> int:
        return {"high": self.high_review_months, "medium": self.medium_review_months,
                "low": self.low_review_months}[band]


BAND_LABELS = {"high": "High", "medium": "Medium", "low": "Low"}


class Risk(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        TOLERATED = "tolerated", "Tolerated"
        CLOSED = "closed", "Closed"

    register = models.ForeignKey(RiskRegister, on_delete=models.PROTECT, related_name="risks")
    ref = models.CharField(max_length=30)
    sort_key = models.CharField(max_length=200, editable=False)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="plan_risks")
    owner_name = models.CharField(max_length=200, blank=True)
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    last_reviewed_on = models.DateField(null=True, blank=True)
    archived = models.BooleanField(default=False)
    version = version_field()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["register", "ref"], condition=Q(archived=False),
                                    name="risk_ref_unique_in_register"),
            models.CheckConstraint(condition=Q(likelihood__gte=1) & Q(likelihood__lte=5), name="risk_likelihood_1_5"),
            models.CheckConstraint(condition=Q(impact__gte=1) & Q(impact__lte=5), name="risk_impact_1_5"),
            models.CheckConstraint(condition=Q(status__in=["open", "tolerated", "closed"]), name="risk_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> str:
        return self.register.band(self.score)

    @property
    def band_label(self) -> str:
        return BAND_LABELS[self.band]

    @property
    def owner_label(self) -> str:
        if self.owner_id:
            return self.owner.get_full_name() or self.owner.get_username()
        return self.owner_name

    def next_review_due(self) -> dt.date:
        base = self.last_reviewed_on or timezone.localdate(self.created_at)
        return add_months(base, self.register.review_months(self.band))

    def review_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status != self.Status.CLOSED and self.next_review_due() < today

    def max_score(self) -> int:
        return self.register.scale * self.register.scale


class RiskReview(models.Model):
    """One review of a risk: the scores and status it left, and a note. Append-only."""

    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Risk.Status.choices)
    note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_by_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(likelihood__gte=1) & Q(likelihood__lte=5), name="review_likelihood_1_5"),
            models.CheckConstraint(condition=Q(impact__gte=1) & Q(impact__lte=5), name="review_impact_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.risk.ref} reviewed {self.reviewed_on}: {self.score}"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class Mitigation(models.Model):
    """A risk's mitigation is an action in a plan: its status and RAG are the action's."""

    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="mitigations")
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="mitigates")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["action__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "action"], condition=Q(archived=False),
                                    name="mitigation_once_per_risk"),
        ]

    def __str__(self) -> str:
        return f"{self.action.ref} mitigates {self.risk.ref}"
