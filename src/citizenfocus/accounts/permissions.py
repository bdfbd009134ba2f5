"""The permission check every view goes through."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import user_can


def role_required(capability: str):
    """Login required, then the capability: anonymous users go to log in, others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_can(request.user, capability):
                raise PermissionDenied(f"your role may not {capability.replace('_', ' ')}")
            return view(request, *args, **kwargs)

        wrapped.capability = capability
        return wrapped

    return decorator
