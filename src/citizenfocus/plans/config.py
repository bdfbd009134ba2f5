"""The plans' settings: a Django setting of the name, else the environment variable, else the default."""

from __future__ import annotations

import os

DEFAULT_PROTECTIVE_MARKING = "OFFICIAL"


def setting(name: str, default):
    from django.conf import settings

    if settings.configured and hasattr(settings, name):
        return getattr(settings, name)
    return os.environ.get(name, default)


def protective_marking() -> str:
    """The Government Security Classification printed at the top and foot of every exported page."""
    return str(setting("CITIZENFOCUS_PLANS_PROTECTIVE_MARKING", DEFAULT_PROTECTIVE_MARKING)).strip() \
        or DEFAULT_PROTECTIVE_MARKING
