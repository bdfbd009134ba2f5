"""Writes to the survey tables (the import pipeline lives in surveys.importing)."""

import tomllib
from pathlib import Path

from django.db import transaction

from .definition import DefinitionError, SurveyDefinition, get_definition, parse_definition
from .models import DefinitionChange, ResponseAccess, Survey

# A definition given to an import as a path changes the stored one; the import does not say who ran it.
UNKNOWN_AUTHOR = "not recorded (a definition file given to an import: see the import batch that follows)"


def _who(user, who_name: str, unknown: str = UNKNOWN_AUTHOR) -> dict:
    known = user if getattr(user, "is_authenticated", False) else None
    return {"who": known, "who_name": (who_name or (known.get_username() if known else "") or unknown)[:150]}


@transaction.atomic
def survey_register(*, definition: SurveyDefinition, user=None, who_name: str = "") -> Survey:
    """Create or update the stored survey for a definition (shipped or loaded from a path).

    A new or changed definition text is recorded as a DefinitionChange in the same transaction.
    """
    text = Path(definition.source).read_text(encoding="utf-8") if definition.source else ""
    survey = Survey.objects.select_for_update().filter(key=definition.key).first()
    if survey is None:
        survey = Survey.objects.create(key=definition.key, name=definition.name, definition_toml=text)
        DefinitionChange.objects.create(survey=survey, new_toml=text, note="registered", **_who(user, who_name))
        return survey
    if survey.definition_toml != text or survey.name != definition.name:
        _record_change(survey, text, name=definition.name, note=f"from {Path(definition.source).name}"
                       if definition.source else "", user=user, who_name=who_name)
    return survey


def _record_change(survey: Survey, text: str, *, name: str, note: str, user, who_name: str) -> None:
    DefinitionChange.objects.create(survey=survey, old_toml=survey.definition_toml, new_toml=text, note=note[:300],
                                    **_who(user, who_name))
    survey.definition_toml, survey.name = text, name
    survey.save(update_fields=["definition_toml", "name", "updated_at"])


@transaction.atomic
def survey_definition_change(*, survey: Survey, text: str, user, note: str = "") -> Survey:
    """Replace a stored survey's definition with new TOML text (checked first), recording who changed it."""
    try:
        definition = parse_definition(tomllib.loads(text), source=f"survey {survey.key}")
    except (tomllib.TOMLDecodeError, DefinitionError) as exc:
        raise DefinitionError(f"the definition was not changed: {exc}") from exc
    if definition.key != survey.key:
        raise DefinitionError(f"the definition was not changed: its key is {definition.key!r}, not {survey.key!r}")
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.definition_toml != text:
        _record_change(survey, text, name=definition.name, note=note, user=user, who_name="")
    return survey


def survey_for(name_or_path: str, *, user=None, who_name: str = "") -> Survey:
    """The stored survey for a key or a definition path, registering a shipped one on first use."""
    existing = Survey.objects.filter(key=name_or_path).first()
    if existing is not None:
        return existing
    return survey_register(definition=get_definition(name_or_path), user=user, who_name=who_name)


def response_access_record(*, user, kind: str, filters: dict, rows: int, path: str = "",
                           who_name: str = "") -> ResponseAccess:
    """Log one view or export of individual responses: who, when, what filter, how many rows matched."""
    shown = {k: v for k, v in filters.items() if k not in ("csrfmiddlewaretoken", "format") and v not in ("", None)}
    return ResponseAccess.objects.create(kind=kind, filters=shown, rows=rows, path=path[:500],
                                         **_who(user, who_name, unknown="command line"))
