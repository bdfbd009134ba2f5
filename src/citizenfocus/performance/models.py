"""What analysts record beside the survey data: targets, change points and peer figures."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone


# Each record carries a version, raised by every change: a form opened on version 3 cannot
# overwrite version 4 (performance.services refuses it, naming who changed it and when).
def _version():
    return models.PositiveIntegerField(default=1, help_text="Raised by every change; a stale form is refused")


class Group(models.TextChoices):
    ALL = "all", "All users"
    WHITE = "white", "White users"
    BME = "bme", "BME users"


class Target(models.Model):
    """A target rate for a measure (force-wide, or for one division or neighbourhood)."""

    survey_key = models.SlugField(max_length=40)
    measure = models.SlugField(max_length=40)
    group = models.CharField(max_length=8, choices=Group.choices, default=Group.ALL)
    division = models.ForeignKey("areas.Division", null=True, blank=True, on_delete=models.PROTECT)
    neighbourhood = models.ForeignKey("areas.Neighbourhood", null=True, blank=True, on_delete=models.PROTECT)
    rate = models.FloatField(help_text="The target as a proportion, 0 to 1")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(auto_now=True)
    note = models.CharField(max_length=300, blank=True)
    version = _version()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(rate__gte=0, rate__lte=1), name="target_rate_0_1"),
            # An empty area (the whole force) counts as one area: COALESCE, since SQLite cannot say
            # NULLS NOT DISTINCT (it would let two force-wide targets for the same measure in).
            models.UniqueConstraint(
                "survey_key", "measure", "group", Coalesce("division", 0), Coalesce("neighbourhood", 0),
                name="one_target_per_measure_group_area",
                violation_error_message="There is already a target for this survey, measure, group and area: "
                                        "change it with its Edit link in the table.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_key}/{self.measure}/{self.group}: {self.rate:.1%}"


class ChangePoint(models.Model):
    """A month from which a control chart's limits are recalculated: a new process."""

    survey_key = models.SlugField(max_length=40)
    measure = models.SlugField(max_length=40, blank=True, help_text="Empty: every measure of the survey")
    month = models.DateField(help_text="The first month of the new process (first day of the month)")
    reason = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    archived = models.BooleanField(default=False)
    version = _version()

    class Meta:
        ordering = ["month"]

    def __str__(self) -> str:
        return f"{self.month:%b %Y}: {self.reason}"


class PeerFigure(models.Model):
    """A most-similar force's published figure for a measure and period."""

    survey_key = models.SlugField(max_length=40)
    measure = models.SlugField(max_length=40)
    period = models.CharField(max_length=40, help_text="e.g. rolling12:2014-03 or fy:2013")
    force_name = models.CharField(max_length=120)
    is_own_force = models.BooleanField(default=False)
    rate = models.FloatField()
    n = models.PositiveIntegerField()
    deft = models.FloatField(default=1.0)
    source = models.CharField(max_length=300, help_text="Where the figure was published")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)
    version = _version()

    class Meta:
        ordering = ["force_name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rate__gte=0, rate__lte=1), name="peer_rate_0_1"),
            models.CheckConstraint(condition=models.Q(n__gt=0), name="peer_n_positive"),
            models.CheckConstraint(condition=models.Q(deft__gt=0), name="peer_deft_positive"),
            models.UniqueConstraint(
                fields=["survey_key", "measure", "period", "force_name"], name="one_peer_figure_per_period",
                violation_error_message="There is already a figure for this force, measure and period: "
                                        "change it with its Edit link in the table.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.force_name} {self.measure} {self.period}: {self.rate:.1%} (n={self.n})"


class RecordEvent(models.Model):
    """One change to one field of a target, change point or peer figure: who, when, old, new. Append-only,
    written in the same transaction as the change (performance.services)."""

    class Kind(models.TextChoices):
        TARGET = "target", "Target"
        CHANGE_POINT = "change_point", "Change point"
        PEER_FIGURE = "peer_figure", "Peer figure"

    item_kind = models.CharField(max_length=20, choices=Kind.choices)
    item_id = models.PositiveBigIntegerField()
    item_label = models.CharField(max_length=300, help_text="What the record was when it changed")
    field = models.CharField(max_length=40, help_text='"created" when the record was made')
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True)
    who = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["item_kind", "item_id"], name="record_event_item")]
        constraints = [
            models.CheckConstraint(condition=models.Q(item_kind__in=["target", "change_point", "peer_figure"]),
                                   name="record_event_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.who_name}: {self.item_kind} {self.item_label} {self.field}"
