from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Profile, Role


@transaction.atomic
def user_create_or_update(*, username: str, password: str | None, role: str, email: str = "",
                          division=None, neighbourhood=None):
    """Create a user with a role, or update the role (and password, if given) of an existing one."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}; roles: {', '.join(Role.values)}")
    user, created = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
    if password:
        user.set_password(password)
    user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
    user.save()
    Profile.objects.update_or_create(
        user=user, defaults={"role": role, "division": division, "neighbourhood": neighbourhood}
    )
    return user, created
