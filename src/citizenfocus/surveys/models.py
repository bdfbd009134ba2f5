"""Stored survey responses and the import batches that brought them in."""

from django.conf import settings
from django.db import models

from .definition import DefinitionError, get_definition, parse_definition


class Survey(models.Model):
    """A survey known to this installation; its definition (TOML) is kept with it."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    definition_toml = models.TextField(help_text="The survey definition as TOML")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def definition(self):
        import tomllib

        try:
            return parse_definition(tomllib.loads(self.definition_toml), source=f"survey {self.key}")
        except (tomllib.TOMLDecodeError, DefinitionError):
            return get_definition(self.key)


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        STORED = "stored", "Stored"
        REFUSED = "refused", "Refused (nothing changed)"

    class Source(models.TextChoices):
        CLI = "cli", "Command line"
        WEB = "web", "Web upload"
        DEMO = "demo", "Demo force"

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="batches")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_by_name = models.CharField(max_length=150, help_text="Who ran it (kept if the user goes)")
    source = models.CharField(max_length=10, choices=Source.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    file_size = models.BigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices)
    rows_read = models.PositiveIntegerField(default=0)
    rows_new = models.PositiveIntegerField(default=0)
    rows_changed = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="The first problems found, as dicts")

    class Meta:
        ordering = ["-started_at"]
        verbose_name_plural = "import batches"
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=["stored", "refused"]), name="batch_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()}, {self.started_at:%Y-%m-%d %H:%M})"


def _measure_field():
    return models.SmallIntegerField(
        null=True, blank=True, help_text="1 positive, 0 negative, empty when missing (not asked / don't know)"
    )


class Response(models.Model):
    """One survey response. Measures are stored as outcomes: 1 positive, 0 negative, NULL missing."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    response_id = models.CharField(max_length=64)
    interview_date = models.DateField()
    incident_date = models.DateField(null=True, blank=True)
    crime_type = models.CharField(max_length=40, blank=True)
    division = models.ForeignKey("areas.Division", on_delete=models.PROTECT, related_name="+")
    neighbourhood = models.ForeignKey(
        "areas.Neighbourhood", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ward = models.ForeignKey("areas.Ward", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ethnicity = models.CharField(max_length=4, help_text="2011 Census self-defined code, NS when not stated")
    age_band = models.CharField(max_length=12)
    sex = models.CharField(max_length=12)
    disability = models.CharField(max_length=12)
    ease_of_contact = _measure_field()
    actions_taken = _measure_field()
    kept_informed = _measure_field()
    treatment = _measure_field()
    whole_experience = _measure_field()
    good_job = _measure_field()
    deal_with_matters = _measure_field()
    asb_problem = _measure_field()
    weight = models.FloatField(default=1.0)
    recontact_consent = models.BooleanField(null=True, blank=True)
    comment = models.TextField(blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="responses")
    row_hash = models.CharField(max_length=32, help_text="Hash of the stored values: tells changed from unchanged")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "response_id"], name="response_id_unique_in_survey"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="response_weight_positive"),
        ]
        indexes = [
            models.Index(fields=["survey", "interview_date"], name="response_survey_date"),
        ]

    def __str__(self) -> str:
        return f"{self.survey.key}:{self.response_id}"
