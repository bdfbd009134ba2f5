"""Engagement with communities: key individual networks (KINs), local priorities and community tension."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from citizenfocus.stats.perception import SCALE


class RequiredGroup(models.Model):
    """A part of the community the force requires each KIN to reach (faith, business, youth ...): data, not code."""

    name = models.CharField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class KinMemberQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_on__isnull=True)

    def asking_to_leave(self):
        return self.current().filter(leave_requested_on__isnull=False)


class KinMember(models.Model):
    """One member of a neighbourhood's key individual network. Name and contact are personal data."""

    neighbourhood = models.ForeignKey("areas.Neighbourhood", on_delete=models.PROTECT, related_name="kin_members")
    name = models.CharField(max_length=120)
    contact = models.CharField(max_length=200, blank=True, help_text="E-mail, telephone or address")
    groups = models.ManyToManyField(RequiredGroup, blank=True, related_name="members")
    joined_on = models.DateField(default=dt.date.today)
    leave_requested_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True, help_text="Name and contact removed under retention")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    objects = KinMemberQuerySet.as_manager()

    class Meta:
        ordering = ["neighbourhood__name", "pk"]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def pseudonym(self) -> str:
        """What analysts see instead of the name: stable, and telling nothing about the person."""
        return f"KIN-{self.pk:05d}"


class KinRead(models.Model):
    """One reading of KIN personal data (a page or an export): who, what, when. Append-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150)
    neighbourhood = models.ForeignKey("areas.Neighbourhood", on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=40)
    identified = models.BooleanField(help_text="Names and contacts shown (else pseudonymised rows)")
    rows = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username}: {self.what} ({self.rows} rows)"


class KinPurge(models.Model):
    """One run of the KIN retention rule: who ran it, when, the cut-off and how many members were erased."""

    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)
    left_before = models.DateField()
    erased = models.PositiveIntegerField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.who_name}: {self.erased} erased (left before {self.left_before})"


class LocalPriority(models.Model):
    """A neighbourhood's local priority, from what people raised, with its problem-solving plan (SARA)."""

    class RaisedBy(models.TextChoices):
        PANEL = "panel", "Neighbourhood panel"
        PARTNERSHIP = "partnership", "Partnership meeting"
        SURVEY = "survey", "Survey"

    neighbourhood = models.ForeignKey("areas.Neighbourhood", on_delete=models.PROTECT, related_name="priorities")
    title = models.CharField(max_length=200)
    raised_by = models.CharField(max_length=20, choices=RaisedBy.choices)
    raised_on = models.DateField()
    you_said = models.TextField(help_text="What people raised, in their words (published)")
    scanning = models.TextField(blank=True)
    analysis = models.TextField(blank=True)
    response = models.TextField(blank=True)
    assessment = models.TextField(blank=True)
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             help_text="The problem-solving plan whose actions carry the response")
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["neighbourhood__name", "raised_on", "pk"]
        verbose_name_plural = "local priorities"

    def __str__(self) -> str:
        return self.title


class WeDid(models.Model):
    """'We did': one thing done about a priority, and when (published with 'You said'). Append-only."""

    priority = models.ForeignKey(LocalPriority, on_delete=models.PROTECT, related_name="we_did")
    text = models.TextField()
    done_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_on", "pk"]

    def __str__(self) -> str:
        return f"{self.done_on}: {self.text[:60]}"


class Perception(models.Model):
    """One KIN member's perception of progress on one priority in one month (1-5: stats/perception.py).

    Kept here until survey definitions carry per-item scales (the KIN
    questionnaire); read only through selectors.perceptions_by_priority_month.
    """

    priority = models.ForeignKey(LocalPriority, on_delete=models.PROTECT, related_name="perceptions")
    member = models.ForeignKey(KinMember, on_delete=models.PROTECT, related_name="perceptions")
    month = models.DateField(help_text="First day of the month")
    score = models.PositiveSmallIntegerField(choices=sorted(SCALE.items()))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["priority", "member", "month"], name="perception_one_per_month"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="perception_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.priority_id}, {self.month:%Y-%m}: {self.score}"


class TensionLevel(models.IntegerChoices):
    """The community tension scale (docs/communities.md)."""

    NORMAL = 1, "1 – normal: no known tension"
    ELEVATED = 2, "2 – elevated: some tension, no intelligence of disorder"
    HIGH = 3, "3 – high: tension with intelligence of possible incidents"
    SEVERE = 4, "4 – severe: incidents occurring or planned"
    CRITICAL = 5, "5 – critical: serious disorder occurring or imminent"


class TensionReturn(models.Model):
    """The weekly community tension return of a neighbourhood, or of a division as a whole. Append-only:
    a correction is a later return for the same week and area, and the latest counts."""

    class Reliability(models.TextChoices):
        RELIABLE = "reliable", "Reliable (confirmed)"
        USUALLY = "usually", "Usually reliable"
        UNTESTED = "untested", "Untested source"
        UNRELIABLE = "unreliable", "Unreliable"

    week = models.DateField(help_text="Monday of the week")
    division = models.ForeignKey("areas.Division", on_delete=models.PROTECT, related_name="tension_returns")
    neighbourhood = models.ForeignKey("areas.Neighbourhood", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="tension_returns")
    level = models.PositiveSmallIntegerField(choices=TensionLevel.choices)
    factors = models.TextField(blank=True)
    reliability = models.CharField(max_length=12, choices=Reliability.choices)
    actions = models.TextField(blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_by_name = models.CharField(max_length=150)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week", "-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="tension_level_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.week}: level {self.level}"

    @property
    def area_name(self) -> str:
        return self.neighbourhood.name if self.neighbourhood_id else f"{self.division.name} division"


# The assessment models, kept in their own module; imported here so Django registers them with the app.
from .assessments import EqualityPolicy, ImpactAssessment, MonitoringReview, Screening  # noqa: E402, F401
from .panels import Panel, PanelMeeting, PanelMember  # noqa: E402, F401
