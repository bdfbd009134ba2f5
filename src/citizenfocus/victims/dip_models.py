"""Dip samples: a supervisor's seeded random sample of closed crimes, a check per crime, rolled up."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class DipSample(models.Model):
    """A random sample of closed cases: the seed and the population are kept, so anyone can draw it again."""

    seed = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    team = models.ForeignKey("victims.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_from = models.DateField()
    closed_to = models.DateField()
    population = models.PositiveIntegerField(help_text="Closed cases it was drawn from")
    who = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"dip sample {self.pk}: {self.size} of {self.population} (seed {self.seed})"


class DipCheck(models.Model):
    """One sampled case and the supervisor's check of it (empty until checked)."""

    class Result(models.TextChoices):
        COMPLIES = "complies", "Complies with the Code"
        DOES_NOT = "does_not_comply", "Does not comply"

    sample = models.ForeignKey(DipSample, on_delete=models.CASCADE, related_name="checks")
    record = models.ForeignKey("victims.VictimRecord", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    result = models.CharField(max_length=16, choices=Result.choices, blank=True)
    note = models.CharField(max_length=500, blank=True)
    checked_by_name = models.CharField(max_length=150, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sample", "position"]
        constraints = [models.UniqueConstraint(fields=["sample", "record"], name="dip_case_once_per_sample")]

    def __str__(self) -> str:
        return f"{self.sample_id}/{self.position}: {self.result or 'not checked'}"
