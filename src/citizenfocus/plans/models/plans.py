"""A plan and its tree: recommendation (1) -> response (1.1) -> action (1.1.A)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from citizenfocus.plans import rag as rag_rules

LABELS = {
    "recommendations": {
        "level1": "Recommendation", "level2": "Force response", "level3": "Action",
        "owner": "Department and action manager", "position": "Current position",
        "progress": "Progress", "date": "Completion date",
    },
    "objectives": {
        "level1": "Objective", "level2": "Commitment", "level3": "Activity",
        "owner": "Lead", "position": "Activity and progress",
        "progress": "Progress", "date": "Target or completion date",
    },
}


class Status(models.TextChoices):
    """An action's status; also the status a recommendation or response without actions was given."""

    NOT_STARTED = "not_started", "Not Started"
    WORK_UNDERWAY = "work_underway", "Work Underway"
    COMPLETED = "completed", "Completed"
    BLOCKED = "blocked", "Blocked"
    # An imported status cell that could not be read: never guessed as Not Started.
    UNKNOWN = "unknown", "Not known"


STATUS_VALUES = [value for value, _ in Status.choices]


class DatePrecision(models.TextChoices):
    """How much of a date the plan gave: "31 Dec 2011", "Dec 2011" or "2011" (stored as the last day)."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


# Every editable item carries a version, raised by every change it takes: a form opened on version 3 cannot
# overwrite version 4 (plans.services.versions refuses it, naming who changed the item and when).
def version_field():
    return models.PositiveIntegerField(default=1, help_text="Raised by every change; a stale form is refused")


class PlanQuerySet(models.QuerySet):
    def live(self):
        return self.filter(archived=False)


class Plan(models.Model):
    class Source(models.TextChoices):
        SCRUTINY_PANEL = "scrutiny_panel", "Scrutiny panel report"
        HMIC = "hmic_inspection", "HMIC inspection"
        EQUALITY_SCHEME = "equality_scheme", "Equality scheme"
        GOLD_GROUP = "gold_group", "Gold Group"
        INTERNAL = "internal", "Internal review"

    class Kind(models.TextChoices):
        RECOMMENDATIONS = "recommendations", "Recommendations, responses and actions"
        OBJECTIVES = "objectives", "Objectives, commitments and activities"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SCRUTINY_PANEL)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RECOMMENDATIONS)
    owning_body = models.CharField(max_length=200, blank=True, help_text="Who the plan answers to")
    description = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="When the plan should be complete")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    reporting_date = models.DateField(
        null=True, blank=True,
        help_text="RAG is worked out as at this date: the meeting the plan goes to, or the date of its latest "
                  "positions (empty: today)",
    )
    due_soon_days = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="Days before a target date that a not-started action turns amber (empty: the site default)",
    )
    archived = models.BooleanField(default=False)
    version = version_field()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["archived", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=["scrutiny_panel", "hmic_inspection", "equality_scheme",
                                                           "gold_group", "internal"]), name="plan_source_valid"),
            models.CheckConstraint(condition=Q(kind__in=["recommendations", "objectives"]), name="plan_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=["draft", "active", "closed"]), name="plan_status_valid"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="plan_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def labels(self) -> dict[str, str]:
        return LABELS[self.kind]

    def amber_days(self) -> int:
        return self.due_soon_days if self.due_soon_days is not None else rag_rules.due_soon_days()

    def as_at(self, today=None):
        """The date RAG is worked out at: the plan's reporting date, else today. An old plan is never judged
        against today."""
        return self.reporting_date or today or timezone.localdate()


class TreeNode(models.Model):
    """What recommendations, responses and actions share: an editable ref kept in order, archiving."""

    ref = models.CharField(max_length=30)
    sort_key = models.CharField(max_length=200, editable=False, help_text="The ref padded so it sorts in order")
    archived = models.BooleanField(default=False)
    version = version_field()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["sort_key", "pk"]


class Standing(models.Model):
    """What the plan's table said on a recommendation's or response's own row when it has no action:
    "N/A" in the department, "Completed" in the date column, a position written on the item itself."""

    owner = models.CharField(max_length=200, blank=True, help_text="The department and manager cell, as written")
    position = models.TextField(blank=True, help_text="The position written on the item itself")
    status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    completion_date = models.DateField(null=True, blank=True)
    completion_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)

    class Meta:
        abstract = True

    @property
    def has_standing(self) -> bool:
        return bool(self.owner or self.position or self.status or self.completion_date)


def _standing_checks(prefix: str) -> list:
    return [
        models.CheckConstraint(condition=Q(status__in=["", *STATUS_VALUES]), name=f"{prefix}_status_valid"),
        models.CheckConstraint(condition=Q(status="completed") | Q(completion_date__isnull=True),
                               name=f"{prefix}_completion_only_when_completed"),
    ]


class Recommendation(TreeNode, Standing):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="recommendations")
    text = models.TextField(blank=True)

    class Meta(TreeNode.Meta):
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], condition=Q(archived=False),
                                    name="recommendation_ref_unique_in_plan"),
            models.CheckConstraint(condition=~Q(ref=""), name="recommendation_has_ref"),
            *_standing_checks("recommendation"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.text[:60]}"


class PlanResponse(TreeNode, Standing):
    """The force's response to a recommendation (1.1, 1.2)."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="responses")
    text = models.TextField(blank=True)

    class Meta(TreeNode.Meta):
        verbose_name = "response"
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "ref"], condition=Q(archived=False),
                                    name="response_ref_unique_in_recommendation"),
            models.CheckConstraint(condition=~Q(ref=""), name="response_has_ref"),
            *_standing_checks("response"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.text[:60]}"

    @property
    def plan(self) -> Plan:
        return self.recommendation.plan


class ActionQuerySet(models.QuerySet):
    def live(self):
        """Actions nobody archived, in responses, recommendations and plans nobody archived."""
        return self.filter(archived=False, response__archived=False, response__recommendation__archived=False,
                           response__recommendation__plan__archived=False)

    def in_plan(self, plan):
        return self.filter(response__recommendation__plan=plan)

    def managed_by(self, user):
        return self.filter(manager=user)

    def not_completed(self):
        return self.exclude(status=Status.COMPLETED)

    def in_plan_order(self):
        """With their plan and position updates (and evidence), by plan title then ref: an owner's list."""
        return self.select_related("response__recommendation__plan", "manager") \
            .prefetch_related("updates__evidence") \
            .order_by("response__recommendation__plan__title", "response__recommendation__sort_key",
                      "response__sort_key", "sort_key")


class Action(TreeNode):
    Status = Status

    response = models.ForeignKey(PlanResponse, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField(blank=True)
    department = models.CharField(max_length=200, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_actions",
        help_text="The action manager's account: they may update the action",
    )
    manager_name = models.CharField(
        max_length=200, blank=True, help_text="The action manager's name or role, for people without an account"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    start_date = models.DateField(null=True, blank=True, help_text="When work began: the before/after split")
    original_target_date = models.DateField(null=True, blank=True, help_text="The first target: never changed")
    target_date = models.DateField(null=True, blank=True, help_text="The current target, after any revisions")
    completion_date = models.DateField(null=True, blank=True)
    completion_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY,
                                            help_text="Month: the plan said only 'Completed - Dec 2011'")
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta(TreeNode.Meta):
        constraints = [
            models.UniqueConstraint(fields=["response", "ref"], condition=Q(archived=False),
                                    name="action_ref_unique_in_response"),
            models.CheckConstraint(condition=~Q(ref=""), name="action_has_ref"),
            models.CheckConstraint(
                condition=Q(status__in=STATUS_VALUES), name="action_status_valid",
            ),
            models.CheckConstraint(condition=Q(status="completed") | Q(completion_date__isnull=True),
                                   name="action_completion_date_only_when_completed"),
        ]
        indexes = [models.Index(fields=["status", "target_date"], name="action_status_target")]

    def __str__(self) -> str:
        return f"{self.ref} {self.description[:60]}"

    @property
    def plan(self) -> Plan:
        return self.response.recommendation.plan

    @property
    def manager_label(self) -> str:
        if self.manager_id:
            full = self.manager.get_full_name()
            return full or self.manager.get_username()
        return self.manager_name

    @property
    def owner_text(self) -> str:
        """The Word table's "Department and action manager" cell."""
        return "\n".join(part for part in (self.department, self.manager_label) if part)

    def rag(self, today=None, due_soon_days: int | None = None) -> rag_rules.Rag:
        """RAG as at `today`: by default the plan's reporting date (Plan.as_at), never today for an old plan."""
        days = due_soon_days if due_soon_days is not None else self.plan.amber_days()
        return rag_rules.rag_for(status=self.status, target_date=self.target_date,
                                 today=today or self.plan.as_at(), due_soon_days=days)

    def is_overdue(self, today=None) -> bool:
        today = today or self.plan.as_at()
        return self.status != self.Status.COMPLETED and self.target_date is not None and self.target_date < today

    def is_owned_by(self, user) -> bool:
        return bool(self.manager_id) and self.manager_id == getattr(user, "pk", None)

    def latest_update(self):
        """The position most recently recorded: the current position (uses prefetched updates when present)."""
        updates = list(self.updates.all())
        return max(updates, key=lambda u: (u.created_at, u.pk)) if updates else None
