"""Releases: what an analyst approved for the public site, frozen as it was approved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

LICENCE = ("Open Government Licence v3.0: "
           "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")


class ReleaseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(withdrawn_at__isnull=True)

    def latest_published(self):
        return self.published().order_by("-approved_at", "-pk").first()


class Release(models.Model):
    """A frozen, disclosure-controlled snapshot of the public figures: who approved it, when, and exactly what.

    The public pages read `snapshot` and nothing else, so what the public sees
    is what was approved, not live figures. `sha256` is the hash of the
    snapshot the analyst previewed. Never edited; a release can be withdrawn
    (on record), and a later one supersedes it.
    """

    title = models.CharField(max_length=200)
    snapshot = models.JSONField()
    sha256 = models.CharField(max_length=64)
    min_base = models.PositiveIntegerField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_by_name = models.CharField(max_length=150)
    approved_at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by_name = models.CharField(max_length=150, blank=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.approved_at:%Y-%m-%d})"
