"""Approving a release: the analyst's preview frozen, with who approved it and when."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from citizenfocus.plans.services.audit import name_of
from citizenfocus.stats.disclosure import PUBLISH_MIN_BASE

from .models import Release
from .snapshot import release_snapshot, snapshot_hash


@transaction.atomic
def release_approve(*, user, title: str, expected_sha256: str, note: str = "",
                    min_base: int = PUBLISH_MIN_BASE) -> Release:
    """Freeze the public tables as previewed. Refused when the figures changed since the preview
    (a new import, a new priority): the analyst must look again at what they approve."""
    snapshot = release_snapshot(min_base=min_base)
    digest = snapshot_hash(snapshot)
    if digest != expected_sha256:
        raise ValidationError("the figures changed since you previewed them: look at the preview again "
                              "before approving")
    release = Release.objects.create(title=title.strip() or "Public figures", snapshot=snapshot, sha256=digest,
                                     min_base=min_base, approved_by=user, approved_by_name=name_of(user),
                                     approved_at=timezone.now(), note=note)
    return release


@transaction.atomic
def release_withdraw(*, release: Release, user) -> None:
    release.withdrawn_at = timezone.now()
    release.withdrawn_by_name = name_of(user)
    release.save(update_fields=["withdrawn_at", "withdrawn_by_name"])
