"""`citizenfocus purge` and `citizenfocus respondent show|erase`: personal data kept no longer than needed.

See docs/personal-data.md. These commands are for whoever holds the data protection duty
(an administrator with access to the server); each run is recorded with the name given by
--user (default: your login name).
"""

from __future__ import annotations

import getpass
import json
from typing import Annotated

import typer

from .common import fail, setup_django

DB = Annotated[str | None, typer.Option(help="SQLite file or database URL (default: DATABASE_URL)")]
USER = Annotated[str | None, typer.Option(help="Who is running it, kept with the record (default: your login name)")]


def _who(user: str | None):
    """The name kept with the record, and the account of that name if there is one."""
    from django.contrib.auth import get_user_model

    if not user:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "command line"
    return user, get_user_model().objects.filter(username=user).first()


def _survey(key: str):
    from citizenfocus.surveys.models import Survey

    survey = Survey.objects.filter(key=key).first()
    if survey is None:
        known = ", ".join(Survey.objects.values_list("key", flat=True)) or "none yet"
        fail(f"no stored survey {key!r}; stored surveys: {known}")
    return survey


def purge(
    survey: Annotated[list[str] | None, typer.Option(
        "--survey", "-s", help="Only this survey (repeat for several; default: every stored survey)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would change; change and record nothing")]
    = False,
    hate_crime_years: Annotated[int | None, typer.Option(
        help="Hate crime records' retention in years (default: CITIZENFOCUS_HATE_CRIME_RETENTION_YEARS, else 6)",
        min=1)] = None,
    user: USER = None,
    db: DB = None,
) -> None:
    """Anonymise responses past their survey's retention, and minimise refused files' values.

    A response interviewed more than the survey's retention months (its definition's
    [retention] months, 24 by default) before this month loses its id, free text, consent,
    exact dates (the month stays), ward, sex and disability; every figure stays the same.
    A refused file's problems lose personal values at once, and every value after
    [retention] refused_values_days (30 by default). Each run is recorded (who, when,
    survey, how many, cut-off). Run it daily from cron.

    Without --survey it also erases the name and contact of key individual network members
    who left more than 90 days ago (docs/communities.md), on record too, and pseudonymises hate
    crime records recorded more than the hate crime retention (6 years by default) ago: the crime
    reference becomes its keyed hash, the victim's own religion is removed, the date kept to the month
    (docs/personal-data.md).
    """
    setup_django(db)
    from django.db import DatabaseError

    from citizenfocus.surveys.models import Survey
    from citizenfocus.surveys.retention import survey_purge

    name, account = _who(user)
    try:
        surveys = [_survey(key) for key in survey] if survey else list(Survey.objects.order_by("key"))
        for item in surveys:
            result = survey_purge(survey=item, user=account, who_name=name, dry_run=dry_run)
            verb = "would anonymise" if dry_run else "anonymised"
            typer.echo(f"{item.key}: {verb} {result.anonymised:,} responses interviewed before "
                       f"{result.cutoff:%d %b %Y}; refused files: {result.refused_masked:,} masked, "
                       f"{result.refused_removed:,} with every value removed (refused before "
                       f"{result.refused_cutoff:%d %b %Y})")
        _purge_victims(name, dry_run)
        if not survey:
            _purge_kin(name, dry_run)
            _purge_hate_crime(name, account, dry_run, hate_crime_years)
    except DatabaseError as exc:
        fail(f"the database is not ready ({exc}); run `citizenfocus migrate` first")
    if dry_run:
        typer.echo("dry run: nothing was changed or recorded")


def _purge_victims(name: str, dry_run: bool) -> None:
    """Victims' Code records: their own retention (the rules file's [retention])."""
    from django.utils import timezone

    from citizenfocus.victims.retention import victims_purge
    from citizenfocus.victims.rules import RulesError, load_rules

    try:
        rules = load_rules()
    except RulesError as exc:
        fail(str(exc))
    r = victims_purge(rules=rules, today=timezone.localdate(), who_name=name, dry_run=dry_run)
    verb = "would anonymise" if dry_run else "anonymised"
    typer.echo(f"victims: {verb} {r.cases:,} cases closed before {r.case_cutoff:%d %b %Y}; "
               f"{r.access_log:,} views of records before {r.log_cutoff:%d %b %Y} deleted; "
               f"{r.callback_notes:,} call-back notes of anonymised responses cleared")


def _purge_kin(name: str, dry_run: bool) -> None:
    """Key individual network members who left: name and contact erased after the retention period."""
    from citizenfocus.communities.services import KIN_RETENTION_DAYS, kin_purge

    erased = kin_purge(dry_run=dry_run, who_name=name)
    typer.echo(f"key individual networks: {'would erase' if dry_run else 'erased'} the name and contact of "
               f"{erased:,} members who left more than {KIN_RETENTION_DAYS} days ago")


def _purge_hate_crime(name: str, account, dry_run: bool, years: int | None) -> None:
    """Hate crime records past their retention: pseudonymised (equality/hate_crime_retention.py)."""
    from django.utils import timezone

    from citizenfocus.equality.hate_crime_retention import hate_crime_purge

    try:
        r = hate_crime_purge(today=timezone.localdate(), who_name=name, user=account, dry_run=dry_run, years=years)
    except ValueError as exc:
        fail(str(exc))
    typer.echo(f"hate crime: {'would pseudonymise' if dry_run else 'pseudonymised'} {r.pseudonymised:,} records "
               f"recorded before {r.cutoff:%d %b %Y} (retention {r.years} years)")


respondent = typer.Typer(help="One respondent's data: show everything stored about them, or erase them.",
                         no_args_is_help=True)


@respondent.command("show")
def respondent_show(
    survey: Annotated[str, typer.Argument(help="The survey key, e.g. uss")],
    response_id: Annotated[str, typer.Argument(metavar="RESPONSE_ID", help="The respondent's response id")],
    user: USER = None,
    db: DB = None,
) -> None:
    """Print, as JSON, everything stored about one respondent (a subject access request). Logged."""
    setup_django(db)
    from citizenfocus.surveys.respondents import respondent_record
    from citizenfocus.surveys.services import response_access_record

    name, account = _who(user)
    stored = _survey(survey)
    record = respondent_record(survey=stored, response_id=response_id)
    response_access_record(user=account, who_name=name, kind="respondent", rows=int(record["response"] is not None),
                           filters={"survey": survey, "response_id": response_id}, path="citizenfocus respondent show")
    typer.echo(json.dumps(record, indent=2, ensure_ascii=False))


@respondent.command("erase")
def respondent_erase(
    survey: Annotated[str, typer.Argument(help="The survey key, e.g. uss")],
    response_id: Annotated[str, typer.Argument(metavar="RESPONSE_ID", help="The respondent's response id")],
    reason: Annotated[str, typer.Option(help="Why (for example the erasure request's reference); recorded")],
    not_stored_ok: Annotated[bool, typer.Option(
        "--not-stored-ok", help="Record the erasure even when no response with this id is stored, so that no "
                                "later import stores it")] = False,
    user: USER = None,
    db: DB = None,
) -> None:
    """Erase one respondent: delete their response and make sure no later import stores it again."""
    setup_django(db)
    from citizenfocus.surveys.respondents import RespondentError
    from citizenfocus.surveys.respondents import respondent_erase as erase

    name, account = _who(user)
    try:
        erasure = erase(survey=_survey(survey), response_id=response_id, reason=reason, user=account,
                        who_name=name, not_stored_ok=not_stored_ok)
    except RespondentError as exc:
        fail(str(exc))
    done = "deleted their stored response" if erasure.deleted else "no response was stored"
    typer.echo(f"{survey} response {response_id}: erased ({done}; {erasure.batches_scrubbed} refused files "
               f"scrubbed); a re-import of an old file will not store it again")


def register(app: typer.Typer) -> None:
    app.command()(purge)
    app.add_typer(respondent, name="respondent")
