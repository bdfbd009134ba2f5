"""Census community profiles, area boundaries, stop and search records and the scrutiny panel's work."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class CensusTable(models.TextChoices):
    ETHNIC_GROUP = "ethnic_group", "Ethnic group"
    AGE_SEX = "age_sex", "Age by sex"


class EqualityImport(models.Model):
    """One import of an equality data file: what, by whom, when and what it changed. Append-only."""

    class Kind(models.TextChoices):
        CENSUS = "census", "Census table"
        LOOKUP = "lookup", "Census area lookup"
        BOUNDARIES = "boundaries", "Boundaries"
        STOP_SEARCH = "stop_search", "Stop and search"
        HATE_CRIME = "hate_crime", "Hate crime"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0, help_text="Rows of a re-published month no longer in it")
    who = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name} ({self.at:%Y-%m-%d %H:%M})"


class CensusArea(models.Model):
    """A census small area (output area, LSOA or ward) and the neighbourhood it lies in."""

    code = models.CharField(max_length=20, unique=True, help_text="The national statistics office's code")
    name = models.CharField(max_length=160)
    neighbourhood = models.ForeignKey("areas.Neighbourhood", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="census_areas")
    ward_code = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CensusCount(models.Model):
    """One published count: residents of an area in one category of a census table."""

    area = models.ForeignKey(CensusArea, on_delete=models.CASCADE, related_name="counts")
    table = models.CharField(max_length=20, choices=CensusTable.choices)
    category = models.CharField(max_length=200, help_text="The category as the column names it, without the table")
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "table", "category"], name="census_count_unique"),
            models.CheckConstraint(condition=models.Q(table__in=CensusTable.values), name="census_table_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.table} {self.category}: {self.count}"


class Boundary(models.Model):
    """A ward's or neighbourhood's boundary: a GeoJSON geometry (Polygon or MultiPolygon, WGS84)."""

    class Level(models.TextChoices):
        WARD = "ward", "Ward"
        NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"

    level = models.CharField(max_length=20, choices=Level.choices)
    code = models.CharField(max_length=60)
    name = models.CharField(max_length=160)
    neighbourhood = models.ForeignKey("areas.Neighbourhood", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="boundaries")
    geometry = models.JSONField()

    class Meta:
        ordering = ["level", "code"]
        constraints = [models.UniqueConstraint(fields=["level", "code"], name="boundary_unique")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.code} {self.name}"


SECTION_60 = "section 60"  # Criminal Justice and Public Order Act 1994 (section 60): searches without suspicion


class StopSearchQuerySet(models.QuerySet):
    def matching(self, filters) -> StopSearchQuerySet:
        """The searches inside a page's filters (searches.SearchFilters)."""
        found = self
        if filters.first:
            found = found.filter(month__gte=filters.first)
        if filters.last:
            found = found.filter(month__lte=filters.last)
        if filters.section_60 == "only":
            found = found.filter(legislation__icontains=SECTION_60)
        elif filters.section_60 == "exclude":
            found = found.exclude(legislation__icontains=SECTION_60)
        if filters.neighbourhood is not None:
            found = found.filter(neighbourhood=filters.neighbourhood)
        return found


class StopSearch(models.Model):
    """One search as police.uk publishes it, with the neighbourhood its location falls in."""

    key = models.CharField(max_length=64, unique=True,
                           help_text="Hash of the published row and its occurrence in the month: re-import finds it")
    month = models.DateField(db_index=True, help_text="First day of the month of the search")
    occurred_at = models.DateTimeField()
    type = models.CharField(max_length=60)
    part_of_operation = models.BooleanField(null=True)
    operation = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    gender = models.CharField(max_length=20, blank=True)
    age_range = models.CharField(max_length=20, blank=True)
    self_defined_ethnicity = models.CharField(max_length=120, blank=True)
    officer_defined_ethnicity = models.CharField(max_length=40, blank=True)
    legislation = models.CharField(max_length=200, blank=True)
    object_of_search = models.CharField(max_length=120, blank=True)
    outcome = models.CharField(max_length=120, blank=True)
    outcome_linked = models.BooleanField(null=True)
    removal_of_clothing = models.BooleanField(null=True)
    self_group = models.CharField(max_length=12, blank=True, help_text="Self-defined ethnicity, 5 groups")
    officer_group = models.CharField(max_length=12, blank=True, help_text="Officer-defined ethnicity, 5 groups")
    neighbourhood = models.ForeignKey("areas.Neighbourhood", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    batch = models.ForeignKey(EqualityImport, on_delete=models.PROTECT, related_name="+")

    objects = StopSearchQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.type} {self.occurred_at:%Y-%m-%d %H:%M} ({self.legislation})"


class PanelReview(models.Model):
    """A scrutiny panel's review: a reproducible stratified sample of searches (seed and design kept)."""

    title = models.CharField(max_length=200)
    first_month = models.DateField()
    last_month = models.DateField()
    size = models.PositiveIntegerField()
    seed = models.PositiveIntegerField()
    oversample = models.JSONField(default=dict, help_text="stratum → oversampling factor")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("equality:panel_review", kwargs={"pk": self.pk})


class PanelSearch(models.Model):
    """One search drawn into a review, with its stratum and inclusion probability."""

    review = models.ForeignKey(PanelReview, on_delete=models.PROTECT, related_name="searches")
    search = models.ForeignKey(StopSearch, on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField(max_length=40)
    probability = models.FloatField()
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["review", "search"], name="panel_search_once")]

    def __str__(self) -> str:
        return f"{self.review} #{self.position}"

    @property
    def finding(self):
        """The latest finding recorded (findings are append-only: an amendment is a new row)."""
        return self.findings.order_by("-at", "-pk").first()


class PanelFinding(models.Model):
    """The panel's finding on one search. Append-only: who, when, what."""

    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNCLEAR = "unclear", "Unclear"

    search = models.ForeignKey(PanelSearch, on_delete=models.PROTECT, related_name="findings")
    grounds_recorded = models.CharField(max_length=10, choices=Answer.choices)
    grounds_reasonable = models.CharField(max_length=10, choices=Answer.choices)
    video_reviewed = models.BooleanField(help_text="Body-worn video reviewed")
    feedback_to_officer = models.BooleanField()
    notes = models.TextField(blank=True)
    recommendation = models.ForeignKey("plans.Recommendation", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", help_text="The recommendation this finding became")
    who = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(grounds_recorded__in=["yes", "no", "unclear"]) & models.Q(
                grounds_reasonable__in=["yes", "no", "unclear"]), name="panel_finding_answers_valid"),
        ]

    def __str__(self) -> str:
        return f"Finding on {self.search} by {self.who_name}"


# The religions a board's hate crime table lists (actual and perceived), then unknown; blank = not recorded.
RELIGIONS = ("Agnostic", "Buddhism", "Bahá'í", "Christianity", "Confucianism", "Hinduism", "Islam", "Jainism",
             "Judaism", "Paganism", "Sikhism", "Taoism", "Zoroastrianism", "Unknown")
STRANDS = ("race", "religion", "disability", "sexual_orientation", "transgender")


class HateCrime(models.Model):
    """One hate crime from the crime system: its strands (one or more), the victim's actual religion and the
    religion the offender perceived, the religion-involved marker, outcome and whether the victim is a repeat."""

    crime_ref = models.CharField(max_length=40, unique=True)
    recorded_on = models.DateField(db_index=True)
    neighbourhood = models.ForeignKey("areas.Neighbourhood", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    race = models.BooleanField(default=False)
    religion = models.BooleanField(default=False)
    disability = models.BooleanField(default=False)
    sexual_orientation = models.BooleanField(default=False)
    transgender = models.BooleanField(default=False)
    actual_religion = models.CharField(max_length=20, blank=True)
    perceived_religion = models.CharField(max_length=20, blank=True)
    religion_involved = models.BooleanField(default=False)
    outcome = models.CharField(max_length=120, blank=True)
    repeat_victim = models.BooleanField(default=False)
    batch = models.ForeignKey(EqualityImport, on_delete=models.PROTECT, related_name="+")
    pseudonymised_on = models.DateField(null=True, blank=True, help_text=(
        "Past its retention: the crime reference replaced by its keyed hash, the victim's own religion removed, "
        "the date kept to the month (hate_crime_retention.py)"))

    class Meta:
        ordering = ["recorded_on", "crime_ref"]
        constraints = [
            models.CheckConstraint(condition=models.Q(race=True) | models.Q(religion=True) | models.Q(disability=True)
                                   | models.Q(sexual_orientation=True) | models.Q(transgender=True),
                                   name="hate_crime_has_a_strand"),
            models.CheckConstraint(condition=models.Q(actual_religion__in=["", *RELIGIONS]),
                                   name="hate_crime_actual_religion_known"),
            models.CheckConstraint(condition=models.Q(perceived_religion__in=["", *RELIGIONS]),
                                   name="hate_crime_perceived_religion_known"),
        ]

    def __str__(self) -> str:
        return self.crime_ref


class RecordedCrimeTotal(models.Model):
    """All crime the force recorded in a financial year (entered or imported), for hate crime's share.
    Append-only: a corrected total is a new row; the latest counts."""

    year = models.CharField(max_length=7, db_index=True, help_text="Financial year, 2013/14")
    total = models.PositiveIntegerField()
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.year}: {self.total}"


class HateCrimeAccess(models.Model):
    """One read of record-level hate crime rows (page, JSON, CSV, XLSX): who, when, the filter, which records.
    Append-only; read by administrators in the administration pages."""

    class Kind(models.TextChoices):
        PAGE = "page", "Records page"
        JSON = "json", "Records as JSON"
        CSV = "csv", "Records exported as CSV"
        XLSX = "xlsx", "Records exported as XLSX"

    who = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    filters = models.JSONField(default=dict, blank=True, help_text="The filters as given")
    rows = models.PositiveIntegerField(default=0, help_text="How many records were shown")
    records = models.JSONField(default=list, blank=True, help_text="The ids of the records shown")
    path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "hate crime record accesses"
        constraints = [models.CheckConstraint(condition=models.Q(kind__in=["page", "json", "csv", "xlsx"]),
                                              name="hate_crime_access_kind_valid")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.who_name}: {self.get_kind_display()} ({self.rows})"


class HateCrimePurge(models.Model):
    """One run of `citizenfocus purge` over hate crime records: who, when, the cut-off, how many. Append-only."""

    cutoff = models.DateField(help_text="Crimes recorded before this day were pseudonymised")
    years = models.PositiveIntegerField(help_text="The retention in years the run used")
    count = models.PositiveIntegerField(help_text="Records pseudonymised by this run")
    who = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Hate crime before {self.cutoff}: {self.count} pseudonymised"
