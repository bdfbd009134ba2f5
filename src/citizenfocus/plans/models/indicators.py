"""The measure an action should move: survey, measure, group and area."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .plans import Action


class IndicatorLink(models.Model):
    class Group(models.TextChoices):
        ALL = "all", "All victims"
        WHITE = "white", "White victims"
        BME = "bme", "BME victims"

    action = models.OneToOneField(Action, on_delete=models.PROTECT, related_name="indicator")
    survey_key = models.CharField(max_length=40)
    measure_key = models.CharField(max_length=40)
    group = models.CharField(max_length=10, choices=Group.choices, default=Group.ALL)
    division = models.ForeignKey("areas.Division", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    neighbourhood = models.ForeignKey("areas.Neighbourhood", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    archived = models.BooleanField(default=False, help_text="Unlinked: kept for the record")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(group__in=["all", "white", "bme"]), name="indicator_group_valid"),
            models.CheckConstraint(condition=Q(division__isnull=True) | Q(neighbourhood__isnull=True),
                                   name="indicator_one_area"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_key}.{self.measure_key} ({self.group}, {self.area_label})"

    @property
    def area_label(self) -> str:
        if self.neighbourhood_id:
            return f"{self.neighbourhood} neighbourhood"
        if self.division_id:
            return f"{self.division} division"
        return "Whole force"
