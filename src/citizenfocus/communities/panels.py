"""Independent advisory groups (IAGs) and scrutiny panels: members, meetings, advice and the force's response.

Models live here to keep each module small; Django finds them through models.py.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

# Voluntary self-declared ethnic group: the Census 2021 high-level groups, or nothing.
ETHNIC_GROUPS = (("asian", "Asian or Asian British"), ("black", "Black, Black British, Caribbean or African"),
                 ("mixed", "Mixed or multiple ethnic groups"), ("white", "White"), ("other", "Other ethnic group"))


class Panel(models.Model):
    class Kind(models.TextChoices):
        IAG = "iag", "Independent advisory group"
        SCRUTINY = "scrutiny", "Scrutiny panel"

    name = models.CharField(max_length=160, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    division = models.ForeignKey("areas.Division", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text="Empty: a force-wide panel")
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             help_text="Where the panel's findings become recommendations")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    """A member, described by what they bring (a role, not a name), and their voluntary self-declaration."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=160, help_text="What the member brings, e.g. 'youth worker'")
    ethnic_group = models.CharField(max_length=10, choices=ETHNIC_GROUPS, blank=True,
                                    help_text="Self-declared, voluntary: leave empty when not declared")
    joined_on = models.DateField(default=dt.date.today)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["panel", "pk"]

    def __str__(self) -> str:
        return self.role


class PanelMeeting(models.Model):
    """A meeting: who attended, the advice given, and the force's response to it (with its date)."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField()
    attended = models.ManyToManyField(PanelMember, blank=True, related_name="meetings")
    advice = models.TextField(blank=True)
    force_response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.panel} {self.held_on}"
