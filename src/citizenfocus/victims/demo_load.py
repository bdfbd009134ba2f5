"""Load the demo force's victims: the export imported as an analyst would, templates, reasons, log-ins' teams."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from django.db import transaction

from .callback_models import CallBackReason
from .callbacks import callbacks_assign, dissatisfied_responses
from .importing import VictimImportSummary, victims_import
from .models import LetterTemplate, Officer, Team
from .theme_models import CommentTheme
from .themes import theme_save

DEFAULT_REASONS = (
    ("not-updated", "Not kept up to date", "kept_informed"),
    ("no-attendance", "Slow or no attendance", "actions_taken"),
    ("hard-to-reach", "Hard to reach the officer", "ease_of_contact"),
    ("attitude", "Felt not believed or taken seriously", "treatment"),
    ("outcome", "Unhappy with the outcome", "whole_experience"),
    ("language", "Language or interpretation needs not met", "kept_informed"),
)
LANGUAGES = ("en", "pl", "ur")
DEMO_THEMES = (
    ("Not kept informed", "heard nothing\nnever heard back\nchase for an update\nnobody told me"),
    ("Slow to attend", "took too long\ntoo long for anyone"),
    ("Not taken seriously", "did not take it seriously\nnothing was done"),
    ("Praise for the officer", "kind\nprofessional\npatient"),
)


def demo_letter_templates() -> int:
    from citizenfocus.demo.victims import letter_docx

    made = 0
    for language in LANGUAGES:
        for event in LetterTemplate.Event.values:
            if not LetterTemplate.objects.filter(event=event, language=language).exists():
                LetterTemplate.objects.create(event=event, language=language, docx=letter_docx(language, event),
                                              right_to_left=language == "ur", who_name="demo")
                made += 1
    return made


@transaction.atomic
def demo_victims_load(*, seed: int, today: date, officer, supervisor, analyst) -> VictimImportSummary:
    from citizenfocus.demo.victims import DEMO_OFFICER, DEMO_TEAM, victim_files

    with tempfile.TemporaryDirectory(prefix="citizenfocus-victims-") as tmp:
        crimes, events = victim_files(Path(tmp), seed=seed, today=today)
        summary = victims_import(paths=[crimes, events], user_name="demo", today=today)
    Officer.objects.filter(identifier=DEMO_OFFICER).update(user=officer)
    Team.objects.filter(name=DEMO_TEAM).update(supervisor=supervisor)
    demo_letter_templates()
    for code, label, measure in DEFAULT_REASONS:
        CallBackReason.objects.get_or_create(code=code, defaults={"label": label, "measure": measure})
    for name, phrases in DEMO_THEMES:
        if not CommentTheme.objects.filter(name=name).exists():
            theme_save(name=name, phrases=phrases, user=analyst)
    # The seed's regime: every dissatisfied BME victim in Central who agreed is called back by its team leader.
    wanted = [d.response for d in dissatisfied_responses(ethnic_group="bme")
              if d.response.division.name == "Central"][:40]
    callbacks_assign(responses=wanted, assigned_to=supervisor, user=analyst)
    return summary
