from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Profile, Role, RoleChange, role_of


def current_role(user_pk: int | None) -> str:
    """The role the system applies to the stored user now ("" when there is no such user yet)."""
    if user_pk is None:
        return ""
    user = get_user_model().objects.select_related("profile").filter(pk=user_pk).first()
    return role_of(user) if user is not None else ""


def role_change_record(*, user, old_role: str, by=None, by_name: str = "", via: str) -> RoleChange | None:
    """Record the user's role change, if their role (as stored now) differs from old_role.

    Called inside the transaction that made the change, so the history and the change commit together.
    """
    new_role = current_role(user.pk)
    if new_role == old_role:
        return None
    known = by if getattr(by, "is_authenticated", False) else None
    return RoleChange.objects.create(
        user=user, username=user.get_username(), old_role=old_role, new_role=new_role, via=via, who=known,
        who_name=(by_name or (known.get_username() if known else "") or "command line")[:150],
    )


@transaction.atomic
def user_create_or_update(*, username: str, password: str | None, role: str, email: str = "",
                          division=None, neighbourhood=None, by=None, by_name: str = ""):
    """Create a user with a role, or update the role (and password, if given) of an existing one.

    A change of role is recorded (RoleChange) with who made it: `by` (an account) or `by_name`.
    """
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}; roles: {', '.join(Role.values)}")
    User = get_user_model()
    existing = User.objects.select_for_update().filter(username=username).first()
    old_role = current_role(existing.pk if existing else None)
    user, created = (existing, False) if existing else (User.objects.create(username=username, email=email), True)
    if password:
        user.set_password(password)
    user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
    user.save()
    Profile.objects.update_or_create(
        user=user, defaults={"role": role, "division": division, "neighbourhood": neighbourhood}
    )
    role_change_record(user=user, old_role=old_role, by=by, by_name=by_name, via=RoleChange.Via.COMMAND)
    return user, created
