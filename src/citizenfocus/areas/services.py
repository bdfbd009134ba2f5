"""Writes to the area tables."""

from django.db import transaction

from .models import Division, Force, Neighbourhood, Ward


@transaction.atomic
def force_load(*, force) -> tuple[Force, int]:
    """Create or update a force and its areas from a description (the demo force's dataclasses).

    Idempotent: matched by code, so loading twice changes nothing. Returns the
    force and the number of areas created.
    """
    created = 0
    stored, was_new = Force.objects.update_or_create(code=force.code, defaults={"name": force.name})
    created += was_new
    for division in force.divisions:
        d, was_new = Division.objects.update_or_create(
            force=stored, code=division.code, defaults={"name": division.name}
        )
        created += was_new
        for hood in division.neighbourhoods:
            n, was_new = Neighbourhood.objects.update_or_create(
                code=hood.code, defaults={"name": hood.name, "division": d}
            )
            created += was_new
            for ward in getattr(hood, "wards", ()):
                _, was_new = Ward.objects.update_or_create(
                    neighbourhood=n, name=ward.name, defaults={"code": ward.code}
                )
                created += was_new
    return stored, created
