from .models import CAPABILITIES, Role, role_of


def role(request):
    """The signed-in user's role and capabilities, for the navigation."""
    current = role_of(getattr(request, "user", None))
    return {
        "user_role": current,
        "user_role_label": Role(current).label,
        "can": {name: current in roles for name, roles in CAPABILITIES.items()},
    }
