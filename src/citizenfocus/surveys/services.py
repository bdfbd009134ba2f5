"""Writes to the survey tables (the import pipeline lives in surveys.importing)."""

from pathlib import Path

from django.db import transaction

from .definition import SurveyDefinition, get_definition
from .models import Survey


@transaction.atomic
def survey_register(*, definition: SurveyDefinition) -> Survey:
    """Create or update the stored survey for a definition (shipped or loaded from a path)."""
    text = Path(definition.source).read_text(encoding="utf-8") if definition.source else ""
    survey, _ = Survey.objects.update_or_create(
        key=definition.key, defaults={"name": definition.name, "definition_toml": text}
    )
    return survey


def survey_for(name_or_path: str) -> Survey:
    """The stored survey for a key or a definition path, registering a shipped one on first use."""
    existing = Survey.objects.filter(key=name_or_path).first()
    if existing is not None:
        return existing
    return survey_register(definition=get_definition(name_or_path))
