"""Stored survey responses and the import batches that brought them in."""

from django.conf import settings
from django.db import models
from django.utils import timezone

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
    values_removed_at = models.DateTimeField(
        null=True, blank=True, help_text="When `citizenfocus purge` removed the file's values from the problems"
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name_plural = "import batches"
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=["stored", "refused"]), name="batch_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()}, {self.started_at:%Y-%m-%d %H:%M})"


class Response(models.Model):
    """One survey response: who, where, when, its weight and its answers (`answer_codes`: the code given to each
    question on its scale, packed); measures are derived from them by the engine."""

    # No index of their own on the survey or the areas (migration 0010): each is written for every row an import
    # brings, and no query needs them (the survey begins the two indexes below; pages read the cube).
    # db_constraint=False on the five references: on PostgreSQL they are checked by statement-level triggers,
    # once per statement rather than once per response (migration 0011); on SQLite the foreign keys stay.
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses", db_index=False,
                               db_constraint=False)
    response_id = models.CharField(max_length=64)
    interview_date = models.DateField()
    incident_date = models.DateField(null=True, blank=True)
    crime_type = models.CharField(max_length=40, blank=True)
    division = models.ForeignKey("areas.Division", on_delete=models.PROTECT, related_name="+", db_index=False,
                                 db_constraint=False)
    neighbourhood = models.ForeignKey(
        "areas.Neighbourhood", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False,
        db_constraint=False,
    )
    ward = models.ForeignKey("areas.Ward", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             db_index=False, db_constraint=False)
    ethnicity = models.CharField(max_length=4, help_text="2011 Census self-defined code, NS when not stated")
    age_band = models.CharField(max_length=12)
    sex = models.CharField(max_length=12)
    disability = models.CharField(max_length=12)
    weight = models.FloatField(default=1.0)
    recontact_consent = models.BooleanField(null=True, blank=True)
    comment = models.TextField(blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="responses", db_constraint=False)
    row_hash = models.CharField(max_length=32, help_text="Hash of the stored values: tells changed from unchanged")
    anonymised_on = models.DateField(
        null=True, blank=True, help_text="When `citizenfocus purge` anonymised it (past the survey's retention)"
    )
    answer_codes = models.TextField(
        blank=True, default="",
        help_text="Its answers: two characters a question at the question's slot (SurveyItem), the code as given "
                  "on the question's scale; blank when not answered (surveys/packing.py)",
    )

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

    def codes(self, slots: dict[str, int] | None = None) -> dict[str, int]:
        """question → the code given, by question key. `slots`: its survey's question → slot
        (`SurveyItem.slots`; for a list of several surveys' responses, `SurveyItem.every_survey()[survey_id]`),
        read once a list; None: read here."""
        from .packing import unpack

        if slots is None:
            slots = SurveyItem.slots(self.survey_id)
        found = unpack(self.answer_codes, slots)
        return dict(sorted(found.items()))


class SurveyItem(models.Model):
    """A question's slot in its survey's packed answer codes (`Response.answer_codes`, surveys/packing.py):
    given the first time an import of the survey meets the question, in that import's transaction, and never
    re-used, so a question added to a definition, or moved within it, leaves the stored codes where they are."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="items")
    item = models.CharField(max_length=40, help_text="The question's key in the survey definition")
    slot = models.PositiveSmallIntegerField(help_text="Its two characters in answer_codes: 2·slot + 1 and + 2")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "item"], name="one_slot_per_question"),
            models.UniqueConstraint(fields=["survey", "slot"], name="one_question_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.item}@{self.slot}"

    @classmethod
    def slots(cls, survey_id: int, *, using: str = "default") -> dict[str, int]:
        """question → slot of the survey's questions ever stored."""
        return dict(cls.objects.using(using).filter(survey_id=survey_id).values_list("item", "slot"))

    @classmethod
    def every_survey(cls) -> dict[int, dict[str, int]]:
        """survey id → its question → slot, for lists of responses of several surveys (a few rows a survey)."""
        out: dict[int, dict[str, int]] = {}
        for survey_id, item, slot in cls.objects.values_list("survey_id", "item", "slot"):
            out.setdefault(survey_id, {})[item] = slot
        return out

    @classmethod
    def assign(cls, survey_id: int, items, *, using: str = "default") -> dict[str, int]:
        """question → slot of the survey, with a new slot (after the last) for each of `items` that has none.
        Call inside the transaction that stores the codes."""
        slots = cls.slots(survey_id, using=using)
        new = [item for item in items if item not in slots]
        if new:
            after = max(slots.values(), default=-1)
            cls.objects.using(using).bulk_create([cls(survey_id=survey_id, item=item, slot=after + 1 + i)
                                                  for i, item in enumerate(new)])
            slots.update({item: after + 1 + i for i, item in enumerate(new)})
        return slots


def code_of(survey_id: int, item: str, slots: dict[str, int] | None = None):
    """A query expression of one question's code text in each response of the survey (" 5", "  " when not
    answered; compare with packing.code_text), or None when the survey never stored that question.
    `slots`: the survey's SurveyItem.slots, when several questions are wanted (None: read here)."""
    from django.db.models.functions import Substr

    from .packing import WIDTH

    slot = (SurveyItem.slots(survey_id) if slots is None else slots).get(item)
    if slot is None:
        return None
    return Substr("answer_codes", slot * WIDTH + 1, WIDTH)


def _who():
    return models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")


class DefinitionChange(models.Model):
    """One change of a survey's stored definition: the text before and after, who and when. Append-only."""

    # The history belongs to its survey (which no page can delete: its responses and batches protect it).
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="definition_changes")
    old_toml = models.TextField(blank=True, help_text="Empty when the survey was first registered")
    new_toml = models.TextField()
    note = models.CharField(max_length=300, blank=True)
    who = _who()
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.survey.key} definition changed by {self.who_name} at {self.at:%Y-%m-%d %H:%M}"


class ResponseAccess(models.Model):
    """One view or export of individual responses (or of a refused file's values): who, when, what filter.
    Append-only; read by administrators in the administration pages."""

    class Kind(models.TextChoices):
        PAGE = "page", "Responses page"
        JSON = "json", "Responses as JSON"
        CSV = "csv", "Responses exported as CSV"
        XLSX = "xlsx", "Responses exported as XLSX"
        BATCH = "batch", "A refused import's problems"
        RESPONDENT = "respondent", "One respondent's stored data (subject access)"

    who = _who()
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    filters = models.JSONField(default=dict, blank=True, help_text="The filters as given (empty: everything)")
    rows = models.PositiveIntegerField(default=0, help_text="How many rows matched the filters")
    path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "response accesses"
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["page", "json", "csv", "xlsx", "batch", "respondent"]),
                                   name="response_access_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.who_name}: {self.get_kind_display()}"


class PurgeRecord(models.Model):
    """What one run of `citizenfocus purge` did to one survey: who, when, what, how many, the cut-off. Append-only."""

    class Kind(models.TextChoices):
        RESPONSES = "responses", "Responses anonymised (interviewed before the cut-off)"
        REFUSED_MASKED = "refused_masked", "Refused files: personal values masked"
        REFUSED_REMOVED = "refused_removed", "Refused files: every value removed (refused before the cut-off)"

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="purges")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    cutoff = models.DateField(help_text="Responses interviewed, or files refused, before this day")
    count = models.PositiveIntegerField(help_text="Responses anonymised, or refused batches changed")
    who = _who()
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["responses", "refused_masked", "refused_removed"]),
                                   name="purge_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.survey.key} {self.kind} before {self.cutoff}: {self.count}"


class Erasure(models.Model):
    """A respondent erased at their request: their response deleted, and the id kept here only so that a
    re-import of an old file cannot store them again (the database refuses the row). Append-only."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="erasures")
    response_id = models.CharField(max_length=64)
    reason = models.CharField(max_length=300)
    deleted = models.BooleanField(help_text="Whether a stored response was deleted (False: none was stored)")
    batches_scrubbed = models.PositiveIntegerField(default=0, help_text="Refused files whose problems named them")
    who = _who()
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "response_id"], name="one_erasure_per_respondent"),
        ]

    def __str__(self) -> str:
        return f"{self.survey.key}:{self.response_id} erased {self.at:%Y-%m-%d}"


class WithheldRows(models.Model):
    """Rows of an import the database did not store: an erased respondent, or a response from before the
    survey's last purge cut-off. Counted by a database trigger (migration 0002), so no import path can
    bring them back."""

    class Reason(models.TextChoices):
        ERASED = "erased", "Erased at the respondent's request"
        RETENTION = "retention", "Interviewed before the last purge's cut-off (already anonymised)"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="withheld")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "withheld rows"
        constraints = [
            models.UniqueConstraint(fields=["batch", "reason"], name="withheld_once_per_batch_and_reason"),
        ]

    def __str__(self) -> str:
        return f"batch {self.batch_id}: {self.count} {self.reason}"


class CubeMonth(models.Model):
    """The dashboard's monthly sums, kept in the database (engine/stored.py): one row per survey × date basis ×
    month, packing every cell of that month (division × neighbourhood × crime type × age band × ethnic group)
    as arrays, so a page reads a row per month, not a row per cell:

    - `keys`: JSON, each dimension's distinct values in the month (null for a missing value);
    - `codes`: int32 [cell × dimension], each cell's value of each dimension as a position in `keys`;
    - `rows`: float64 [cell], every stored response of the cell;
    - `sums`: float64 [cell × measure × (n, Σw, Σwy, Σw², Σw²y)], the survey's measures in the order of its
      CubeLayout; `shares`: its answer-code share measures (the distribution page's cube), per question
      n, Σw, Σw² (one base for all its codes), then Σwy, Σw²y per code.

    All arrays little-endian; `sums` and `shares` compressed (zstd: engine/stored.py reads plain ones too). Rewritten for the months an import, erasure or purge changed, in its transaction,
    so the first page after an import reads these rows, not the responses. Aggregates of at least one response
    per cell: no personal data beyond what the dashboard shows."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    basis = models.CharField(max_length=10, default="interview")
    month = models.IntegerField(help_text="Months since year 0 (engine.sums.month_number); -1 when undated")
    responses = models.BigIntegerField(help_text="Every stored response of the month (the cells' rows summed)")
    cells = models.IntegerField()
    keys = models.TextField(help_text="JSON: each dimension's distinct values in the month")
    codes = models.BinaryField(help_text="int32 [cell × dimension] into keys, little-endian")
    rows = models.BinaryField(help_text="float64 [cell], little-endian")
    sums = models.BinaryField(help_text="float64 [cell × measure × (n, sw, swy, sw2, sw2y)], little-endian")
    shares = models.BinaryField(help_text="float64 [cell × per question (n, sw, sw2, then swy, sw2y per answer code)], little-endian")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "basis", "month"], name="one_cube_month")]

    def __str__(self) -> str:
        return f"survey {self.survey_id} {self.basis} month {self.month}: {self.cells} cells"


class CubeLayout(models.Model):
    """What a survey's CubeMonths hold: the measures and share measures (in order) and the definition they were
    derived with. A definition change makes them stale: the next read rebuilds every month (engine.stored)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    basis = models.CharField(max_length=10, default="interview")
    measures = models.JSONField()
    share_measures = models.JSONField(default=list)
    definition_sha256 = models.CharField(max_length=64)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "basis"], name="one_cube_layout_per_basis")]

    def __str__(self) -> str:
        return f"survey {self.survey_id} {self.basis}: {len(self.measures)} measures"
