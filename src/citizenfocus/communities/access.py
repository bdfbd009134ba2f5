"""Who sees KIN members' names and contacts: the neighbourhood's own team and administrators.

The team is the inspector and the supervisor (team leader) whose profile's
home neighbourhood is the KIN's neighbourhood. Administrators see every
register (they keep the reference data and answer subject access requests).
Analysts, and inspectors or supervisors of another neighbourhood, see
pseudonymised rows: a stable KIN-number, the groups, the dates, never a name
or a contact. docs/communities.md says the same for users.
"""

from __future__ import annotations

from citizenfocus.accounts.models import Profile, Role, role_of

TEAM_ROLES = (Role.NEIGHBOURHOOD_INSPECTOR, Role.SUPERVISOR)


def sees_kin_contacts(user, neighbourhood) -> bool:
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return True
    if role not in TEAM_ROLES:
        return False
    return Profile.objects.filter(user=user, neighbourhood=neighbourhood).exists()


def neighbourhood_team(neighbourhood):
    """The active users of the neighbourhood's team (inspector and supervisor by home neighbourhood)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, profile__neighbourhood=neighbourhood,
                                           profile__role__in=TEAM_ROLES)
