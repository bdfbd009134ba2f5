"""Roles as data: every user has a profile with one role; no access until given one."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    ANALYST = "analyst", "Performance analyst"
    ACTION_OWNER = "action_owner", "Action owner"
    BOARD_MEMBER = "board_member", "Board member (read only)"
    NEIGHBOURHOOD_INSPECTOR = "inspector", "Neighbourhood inspector"
    SUPERVISOR = "supervisor", "Supervisor (team leader)"
    OFFICER = "officer", "Officer in case"
    NO_ACCESS = "no_access", "No access"


# Who may do what. Pages name a capability; the matrix test walks them all.
CAPABILITIES: dict[str, frozenset[str]] = {
    "view": frozenset({Role.ADMINISTRATOR, Role.ANALYST, Role.ACTION_OWNER, Role.BOARD_MEMBER,
                       Role.NEIGHBOURHOOD_INSPECTOR, Role.SUPERVISOR}),
    "view_data": frozenset({Role.ADMINISTRATOR, Role.ANALYST}),
    "import": frozenset({Role.ADMINISTRATOR, Role.ANALYST}),
    "analyse": frozenset({Role.ADMINISTRATOR, Role.ANALYST}),
    "administer": frozenset({Role.ADMINISTRATOR}),
    "edit_plans": frozenset({Role.ADMINISTRATOR, Role.ANALYST}),
    "update_actions": frozenset({Role.ADMINISTRATOR, Role.ANALYST, Role.ACTION_OWNER}),
    # Serving victims: records are scoped further by VictimRecord.objects.visible_to (own, team's, all).
    "view_victims": frozenset({Role.ADMINISTRATOR, Role.ANALYST, Role.SUPERVISOR, Role.OFFICER}),
    "victims_compliance": frozenset({Role.ADMINISTRATOR, Role.ANALYST, Role.SUPERVISOR, Role.BOARD_MEMBER,
                                     Role.NEIGHBOURHOOD_INSPECTOR}),
    "send_letters": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR, Role.OFFICER}),
    "work_callbacks": frozenset({Role.ADMINISTRATOR, Role.ANALYST, Role.SUPERVISOR}),
    "dip_samples": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR}),
    "build_packs": frozenset({Role.ADMINISTRATOR, Role.ANALYST}),
    # A scrutiny panel (its members log in as board members) samples searches and records findings.
    "review_searches": frozenset({Role.ADMINISTRATOR, Role.ANALYST, Role.BOARD_MEMBER}),
    # Hate crime records hold crime references and the victim's religion: the rows are for these roles only
    # (every read logged); the aggregate tables are for everyone who may "view".
    "view_hate_crime_records": frozenset({Role.ADMINISTRATOR, Role.ANALYST}),
    "engage": frozenset({Role.ADMINISTRATOR, Role.ANALYST, Role.BOARD_MEMBER, Role.NEIGHBOURHOOD_INSPECTOR,
                         Role.SUPERVISOR}),
    "kin_register": frozenset({Role.ADMINISTRATOR, Role.ANALYST, Role.NEIGHBOURHOOD_INSPECTOR, Role.SUPERVISOR}),
    "record_engagement": frozenset({Role.ADMINISTRATOR, Role.NEIGHBOURHOOD_INSPECTOR, Role.SUPERVISOR}),
    "approve_release": frozenset({Role.ADMINISTRATOR, Role.ANALYST}),
    "assess_equality": frozenset({Role.ADMINISTRATOR, Role.ANALYST}),
}


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.NO_ACCESS)
    division = models.ForeignKey(
        "areas.Division", null=True, blank=True, on_delete=models.SET_NULL,
        help_text="Home area: pages open on it by default",
    )
    neighbourhood = models.ForeignKey(
        "areas.Neighbourhood", null=True, blank=True, on_delete=models.SET_NULL,
        help_text="Home area for a neighbourhood inspector",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="profile_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class RoleChange(models.Model):
    """One change of a user's role as the system applies it (role_of: the profile's role, administrator for
    a superuser, no access when deactivated): whose, from what to what, who changed it, how and when.
    Append-only; read in the administration pages."""

    class Via(models.TextChoices):
        COMMAND = "command", "Command line"
        ADMIN = "admin", "Administration pages"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="role_changes")
    username = models.CharField(max_length=150, help_text="Whose role (kept if the account goes)")
    old_role = models.CharField(max_length=20, choices=Role.choices, blank=True, help_text="Empty: a new user")
    new_role = models.CharField(max_length=20, choices=Role.choices)
    via = models.CharField(max_length=10, choices=Via.choices)
    who = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(new_role__in=Role.values), name="role_change_new_role_valid"),
            models.CheckConstraint(condition=models.Q(old_role__in=["", *Role.values]),
                                   name="role_change_old_role_valid"),
            models.CheckConstraint(condition=models.Q(via__in=["command", "admin"]), name="role_change_via_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username}: {self.old_role or 'new'} -> {self.new_role}"


def role_of(user) -> str:
    """The user's role; superusers are administrators, anonymous users have none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Role.NO_ACCESS
    if user.is_superuser:
        return Role.ADMINISTRATOR
    try:
        return user.profile.role
    except Profile.DoesNotExist:
        return Role.NO_ACCESS


def user_can(user, capability: str) -> bool:
    return role_of(user) in CAPABILITIES[capability]
