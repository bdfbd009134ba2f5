"""The force and its areas: divisions, neighbourhoods and (optionally) wards."""

from django.db import models


class Force(models.Model):
    name = models.CharField(max_length=120, unique=True)
    code = models.SlugField(max_length=40, unique=True)

    def __str__(self) -> str:
        return self.name


class Division(models.Model):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="divisions")
    name = models.CharField(max_length=120)
    code = models.SlugField(max_length=40)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "name"], name="division_name_unique_in_force"),
            models.UniqueConstraint(fields=["force", "code"], name="division_code_unique_in_force"),
        ]

    def __str__(self) -> str:
        return self.name


class Neighbourhood(models.Model):
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="neighbourhoods")
    name = models.CharField(max_length=120)
    code = models.SlugField(max_length=60)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["division__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["division", "name"], name="neighbourhood_name_unique_in_division"),
            models.UniqueConstraint(fields=["code"], name="neighbourhood_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="wards")
    name = models.CharField(max_length=120)
    code = models.CharField(max_length=20, blank=True, help_text="ONS ward code, if known")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "name"], name="ward_name_unique_in_neighbourhood"),
        ]

    def __str__(self) -> str:
        return self.name
