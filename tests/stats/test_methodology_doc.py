"""Every registered method has its section in docs/methodology.md (conventions: registries are documented by test).

A section starts with `<a id="ANCHOR"></a>` and a heading equal to the
registry entry's title, then explains the method in plain English before the
formula ("**How it is calculated.**") and names its published source
("**Source:**").
"""

import re
from pathlib import Path

import pytest

from citizenfocus.stats import REGISTRIES

DOC = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"
ANCHOR = re.compile(r'^<a id="([a-z0-9-]+)"></a>\n(#{2,4}) (.+)$', re.M)
ENTRIES = [(name, key, entry) for name, registry in REGISTRIES.items() for key, entry in registry.items()]


def sections(text: str) -> dict[str, tuple[str, str]]:
    """anchor → (heading, body up to the next anchor or heading)."""
    found = {}
    matches = list(ANCHOR.finditer(text))
    for match in matches:
        rest = text[match.end():]
        stop = re.search(r'^(<a id=|#{1,4} )', rest, re.M)
        found[match[1]] = (match[3].strip(), rest[:stop.start()] if stop else rest)
    return found


def check_section(text: str, anchor: str, title: str) -> list[str]:
    """What is wrong with one method's section (empty when it is complete)."""
    found = sections(text)
    if anchor not in found:
        return [f'no section <a id="{anchor}"></a> followed by a heading']
    heading, body = found[anchor]
    problems = [] if heading == title else [f"heading {heading!r} is not the registry title {title!r}"]
    plain, _, formula = body.partition("**How it is calculated.**")
    if not formula:
        problems.append("no '**How it is calculated.**' part")
    if len(re.findall(r"[A-Za-z]+", plain)) < 25:
        problems.append("fewer than 25 words of plain English before the formula")
    if "**Source:**" not in formula:
        problems.append("no '**Source:**' after the formula")
    return problems


@pytest.fixture(scope="module")
def doc_text():
    return DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize(("registry", "key", "entry"), ENTRIES, ids=[f"{n}:{k}" for n, k, _ in ENTRIES])
def test_every_registered_method_is_explained_in_methodology_md(doc_text, registry, key, entry):
    assert check_section(doc_text, entry.anchor, entry.title) == [], f"{registry} entry {key!r}"


# Surveys and their measures are documented from the survey definitions (tests/surveys).
SURVEY_ANCHOR_PREFIXES = ("survey-", "measure-")


def test_every_section_anchor_belongs_to_a_registered_method(doc_text):
    registered = {entry.anchor for _, _, entry in ENTRIES}
    methods = {a for a in sections(doc_text) if not a.startswith(SURVEY_ANCHOR_PREFIXES)}
    assert methods - registered == set()


def test_anchors_are_unique_across_registries():
    anchors = [entry.anchor for _, _, entry in ENTRIES]
    assert len(anchors) == len(set(anchors))


def test_the_check_catches_a_missing_or_thin_section():
    good = ('<a id="x"></a>\n### Title\n\n' + "plain words " * 15 + "\n\n**How it is calculated.** f\n\n"
            "**Source:** Someone (2000).\n")
    assert check_section(good, "x", "Title") == []
    assert check_section(good, "y", "Title") == ['no section <a id="y"></a> followed by a heading']
    assert check_section(good, "x", "Other") == ["heading 'Title' is not the registry title 'Other'"]
    thin = good.replace("plain words " * 15, "Too short.")
    assert check_section(thin, "x", "Title") == ["fewer than 25 words of plain English before the formula"]
    assert check_section(good.replace("**Source:**", "Source"), "x", "Title") == [
        "no '**Source:**' after the formula"]
