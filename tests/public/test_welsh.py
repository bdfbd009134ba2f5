"""The public pages in Welsh: translatable templates and a complete, compiled Welsh catalogue."""

import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

import citizenfocus.public

LOCALE = Path(citizenfocus.public.__file__).parent / "locale" / "cy" / "LC_MESSAGES"


def _po_entries() -> dict[str, str]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        m = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', block, re.M)
        if m:
            join = lambda part: "".join(re.findall(r'"(.*)"', part)).replace('\\"', '"')  # noqa: E731
            entries[join(m.group(1))] = join(m.group(2))
    entries.pop("", None)
    return entries


def test_every_fixed_text_has_welsh_and_the_compiled_catalogue_matches_it():
    entries = _po_entries()
    assert entries and all(entries.values()), [k for k, v in entries.items() if not v]
    with (LOCALE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert {k: compiled.gettext(k) for k in entries} == entries, "run compilemessages after editing django.po"


@pytest.mark.django_db
def test_the_public_pages_speak_welsh_when_asked_and_english_by_default(client):
    from citizenfocus.public.models import Release

    Release.objects.create(title="t", snapshot={"tables": {"you-said-we-did": {"caption": "c", "columns": [],
                                                                                "rows": []}},
                                                "neighbourhoods": [], "periods": {}},
                           sha256="0" * 64, min_base=50, approved_by_name="analyst")
    welsh = client.get(reverse("public:index"), {"lang": "cy"}).content.decode()
    assert '<html lang="cy">' in welsh and "Pa mor fodlon yw pobl â'r heddlu" in welsh
    assert "Nid ydym yn cyhoeddi ffigurau sy'n seiliedig ar lai na 50 o bobl" in welsh
    english = client.get(reverse("public:index")).content.decode()
    assert '<html lang="en-GB">' in english and "How satisfied people are with the police" in english
    assert 'href="?lang=cy" lang="cy">Cymraeg' in english
