"""Victims' Code records: teams and officers, each crime with its victim, and the events of the case.

A record is named-victim personal data: who may read it is a QuerySet method
(`VictimRecord.objects.visible_to(user)`), and every read is a VictimRecordAccess row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from citizenfocus.accounts.models import Role, role_of

from .rules import CaseFacts, KeyEvent


def _who():
    return models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")


class Team(models.Model):
    """A team of officers in a division, led by a supervisor (team leader)."""

    name = models.CharField(max_length=120, unique=True)
    division = models.ForeignKey("areas.Division", on_delete=models.PROTECT, related_name="victim_teams")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="supervised_teams")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Officer(models.Model):
    """An officer in case as the crime system names them (collar number), in a team, with their log-in."""

    identifier = models.CharField(max_length=60, unique=True, help_text="Collar number or name as exported")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="officers")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="victims_officer")

    class Meta:
        ordering = ["identifier"]

    def __str__(self) -> str:
        return self.identifier


class VictimImport(models.Model):
    """One import of a crime system export: who, when, which files, what it did (refused: nothing stored)."""

    who = _who()
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)
    files = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=[("stored", "Stored"), ("refused", "Refused")])
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{', '.join(self.files)} ({self.status}, {self.at:%Y-%m-%d %H:%M})"


class VictimRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officers: their own victims; supervisors: their teams'; analysts and administrators: all
        (analysts see them pseudonymised, see `shows_identity`); everyone else: none."""
        role = role_of(user)
        if role == Role.OFFICER:
            return self.filter(officer__user=user)
        if role == Role.SUPERVISOR:
            return self.filter(team__supervisor=user)
        if role in (Role.ANALYST, Role.ADMINISTRATOR):
            return self
        return self.none()

    def open(self):
        return self.filter(closed_on__isnull=True)


def shows_identity(user) -> bool:
    """Whether the role sees crime references and victim ids (analysts see pseudonyms only)."""
    return role_of(user) in (Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR)


class VictimRecord(models.Model):
    """One crime and its victim, as the crime system exported it or as kept here."""

    class Enhanced(models.TextChoices):
        MOST_SERIOUS = "most_serious", "Victim of the most serious crime"
        PERSISTENTLY_TARGETED = "persistently_targeted", "Persistently targeted"
        VULNERABLE = "vulnerable", "Vulnerable"
        INTIMIDATED = "intimidated", "Intimidated"

    crime_reference = models.CharField(max_length=40, unique=True)
    crime_type = models.CharField(max_length=40)
    reported_on = models.DateField()
    division = models.ForeignKey("areas.Division", on_delete=models.PROTECT, related_name="+")
    neighbourhood = models.ForeignKey("areas.Neighbourhood", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    officer = models.ForeignKey(Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    victim_id = models.CharField(max_length=40, help_text="The crime system's pseudonymous victim id")
    ethnicity = models.CharField(max_length=4, help_text="2011 Census self-defined code, NS when not stated")
    age_band = models.CharField(max_length=12, blank=True)
    enhanced = models.CharField(max_length=120, blank=True,
                                help_text="Enhanced entitlement reasons, separated by ';' (empty: standard)")
    language = models.CharField(max_length=12, default="en", help_text="Preferred language (ISO 639-1 code)")
    communication_needs = models.CharField(max_length=200, blank=True)
    opted_out = models.BooleanField(default=False, help_text="Asked not to receive updates")
    business_victim = models.BooleanField(default=False)
    closed_on = models.DateField(null=True, blank=True)
    row_hash = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VictimRecordQuerySet.as_manager()

    class Meta:
        ordering = ["reported_on", "crime_reference"]
        indexes = [models.Index(fields=["division", "reported_on"], name="victim_record_division_date")]

    def __str__(self) -> str:
        return self.crime_reference

    @property
    def is_enhanced(self) -> bool:
        return bool(self.enhanced.strip())

    @property
    def enhanced_reasons(self) -> list[str]:
        return [r for r in (p.strip() for p in self.enhanced.split(";")) if r]

    def pseudonym(self) -> str:
        """A stable pseudonym for analysts: never the crime reference or the victim id."""
        import hashlib

        digest = hashlib.sha256(f"{settings.SECRET_KEY}:{self.crime_reference}".encode()).hexdigest()
        return f"V-{digest[:10].upper()}"

    def facts(self, events=None) -> CaseFacts:
        """The rules' view of this case, from its events (prefetch `events` for a list)."""
        events = list(self.events.all() if events is None else events)

        def first(kind, *extra):
            days = [e.on for e in events if e.kind in (kind, *extra)]
            return min(days) if days else None

        contacts = tuple(e.on for e in events if e.kind in VictimEvent.CONTACT_KINDS)
        keys = tuple(KeyEvent(e.key_event, e.on, e.told_on) for e in events if e.kind == VictimEvent.Kind.KEY_EVENT)
        return CaseFacts(
            reported_on=self.reported_on, enhanced=self.is_enhanced, opted_out=self.opted_out,
            closed_on=self.closed_on, contacts=contacts, key_events=keys,
            acknowledged_on=first(VictimEvent.Kind.ACKNOWLEDGEMENT),
            needs_assessed_on=first(VictimEvent.Kind.NEEDS_ASSESSMENT),
            referral_on=first(VictimEvent.Kind.REFERRAL_CONSENTED, VictimEvent.Kind.REFERRAL_DECLINED),
            vps_offered_on=first(VictimEvent.Kind.VPS_OFFERED),
        )


class VictimEvent(models.Model):
    """One event of a case. Append-only: a correction is a new event, never an edit of an old one."""

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", "Report acknowledged"
        NEEDS_ASSESSMENT = "needs_assessment", "Needs assessment"
        REFERRAL_CONSENTED = "referral_consented", "Referred to victim support (consented)"
        REFERRAL_DECLINED = "referral_declined", "Referral to victim support declined"
        UPDATE = "update", "Update given"
        KEY_EVENT = "key_event", "Key event"
        VPS_OFFERED = "vps_offered", "Victim personal statement offered"
        LETTER_SENT = "letter_sent", "Letter sent"
        LETTER_NOT_SENT = "letter_not_sent", "Letter not sent (no template in the victim's language)"
        CLOSED = "closed", "Case closed"

    class KeyEventKind(models.TextChoices):
        ARREST = "arrest", "Arrest"
        CHARGE = "charge", "Charge"
        BAIL = "bail", "Bail"
        RELEASE = "release", "Release"
        NFA = "no_further_action", "No further action"
        COURT_DATE = "court_date", "Court date"

    # Events that count as contact with the victim for the update cycle.
    CONTACT_KINDS = ("acknowledgement", "needs_assessment", "update", "letter_sent")

    record = models.ForeignKey(VictimRecord, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    on = models.DateField(help_text="When it happened (for a key event: the event itself)")
    key_event = models.CharField(max_length=20, choices=KeyEventKind.choices, blank=True)
    told_on = models.DateField(null=True, blank=True, help_text="Key events: when the victim was told")
    method = models.CharField(max_length=40, blank=True, help_text="Phone, visit, letter, e-mail, SMS ...")
    detail = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=10, choices=[("import", "Imported"), ("app", "Recorded here")])
    who = _who()
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="key_event") | ~Q(key_event=""),
                                   name="victim_key_event_names_its_kind"),
            models.UniqueConstraint(fields=["record", "kind", "key_event", "on"], condition=Q(source="import"),
                                    name="victim_event_imported_once"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.kind} {self.on}"


class VictimRecordAccess(models.Model):
    """One view or export of victim records: who, when, what, how many. Append-only."""

    who = _who()
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=12, help_text="page, json, csv, xlsx, record, letter, command")
    filters = models.JSONField(default=dict, blank=True)
    rows = models.PositiveIntegerField(default=0)
    record = models.ForeignKey(VictimRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.who_name}: {self.kind} ({self.rows})"


class LetterTemplate(models.Model):
    """A force's Word template for one event in one language; fields are {{ crime_reference }} and the like.
    A new version is a new row: the latest is used, the older kept."""

    class Event(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
        UPDATE = "update", "Update"
        KEY_EVENT = "key_event", "Key event"
        CLOSURE = "closure", "Closure"

    event = models.CharField(max_length=20, choices=Event.choices)
    language = models.CharField(max_length=12)
    docx = models.BinaryField()
    right_to_left = models.BooleanField(default=False)
    who = _who()
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["event", "language", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event} ({self.language})"


from .callback_models import CallBack, CallBackChange, CallBackReason  # noqa: E402 - Django finds models here

__all__ = ["CallBack", "CallBackChange", "CallBackReason", "LetterTemplate", "Officer", "Team", "VictimEvent",
           "VictimImport", "VictimRecord", "VictimRecordAccess"]


class VictimPurge(models.Model):
    """What one run of `citizenfocus purge` did to victims' records: who, when, what, how many. Append-only."""

    kind = models.CharField(max_length=20, choices=[("cases", "Closed cases anonymised"),
                                                    ("access_log", "Old views of records deleted"),
                                                    ("callback_notes", "Call-back notes cleared")])
    cutoff = models.DateField()
    count = models.PositiveIntegerField()
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} before {self.cutoff}: {self.count}"


from .dip_models import DipCheck, DipSample  # noqa: E402 - Django finds models here

__all__ += ["DipCheck", "DipSample", "VictimPurge"]


from .theme_models import CommentTheme, CommentThemeChange  # noqa: E402 - Django finds models here

__all__ += ["CommentTheme", "CommentThemeChange"]
