"""Survey definitions as data: TOML files shipped in the package or loaded from a path.

Pure Python (no Django): the import pipeline, the engine and the CLI all read
the same definition. A definition says which columns a response file has,
how each measure's answers map to positive / negative / missing, how
self-defined ethnicity is grouped, and the survey's design factor.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from .packing import HIGHEST, LOWEST

DEFINITIONS_DIR = Path(__file__).with_name("definitions")
COMMON_FILE = DEFINITIONS_DIR / "_common.toml"

# The eight measures of the previous version, stored then as one 1/0 column each. Migration
# 0004 moved them into answers (docs/design-answers.md); kept here for that migration's sake.
LEGACY_MEASURES = (
    "ease_of_contact",
    "actions_taken",
    "kept_informed",
    "treatment",
    "whole_experience",
    "good_job",
    "deal_with_matters",
    "asb_problem",
)
# Answers migrated from a 1/0 column, whose code on the scale was never kept: each counts as
# positive (or negative) for the measure of the same key, and is missing for any other measure.
MIGRATED_POSITIVE = -1
MIGRATED_NEGATIVE = -2
# A key becomes a column name in the engine's queries: lower-case letters, digits, underscores.
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
RESERVED_KEYS = frozenset({
    "interview_date", "incident_date", "crime_type", "division", "neighbourhood", "ward", "ethnicity",
    "age_band", "sex", "disability", "weight", "response_id", "recontact_consent", "comment", "month",
    "ethnic_group", "stratum", "id", "survey", "batch", "row_hash", "anonymised_on", "survey_id", "batch_id",
    "division_id", "neighbourhood_id", "ward_id", "division_pk", "neighbourhood_pk", "ward_pk",
    "answer_response_pk", "answer_codes",
})

DIRECTIONS = ("higher-better", "higher-worse")


class DefinitionError(ValueError):
    """A survey definition file is wrong; the message names the file and the field."""


def _norm(text: object) -> str:
    """Lower-case, collapse spaces, underscores and hyphens: how headers and labels are matched."""
    return " ".join(str(text).strip().lower().replace("_", " ").replace("-", " ").split())


@dataclass(frozen=True)
class Scale:
    name: str
    labels: dict[int, str]
    positive: frozenset[int]
    negative: frozenset[int]
    missing: frozenset[int]

    def code_for(self, value: object) -> int | None:
        """The answer code for a code or a label; None when it is neither (a blank is missing: 0)."""
        if value is None:
            return 0
        text = str(value).strip()
        if text == "":
            return 0
        try:
            number = float(text)
        except ValueError:
            return self._by_label.get(_norm(text))
        if number.is_integer() and int(number) in self.labels:
            return int(number)
        return None

    def outcome(self, code: int) -> int | None:
        """1 positive, 0 negative, None missing (code 0 means blank / not asked)."""
        if code in self.positive:
            return 1
        if code in self.negative:
            return 0
        return None

    @cached_property
    def _by_label(self) -> dict[str, int]:
        mapping = {_norm(label): code for code, label in self.labels.items()}
        mapping.update({"dont know": 8, "don t know": 8, "dk": 8} if 8 in self.labels else {})
        return mapping

    def describe(self) -> str:
        return ", ".join(f"{code} = {label}" for code, label in sorted(self.labels.items()))


@dataclass(frozen=True)
class Item:
    """One question of a survey: its answers are stored as codes on its scale, as given."""

    key: str
    label: str
    question: str
    scale: Scale
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measure:
    """A rate derived from one item's codes: `scale.positive` codes count 1, `scale.negative` 0,
    any other code (don't know, refused, not asked) is out of the base."""

    key: str
    label: str
    spi: str
    direction: str
    question: str
    scale: Scale  # the item's scale, with this measure's positive and negative codes
    aliases: tuple[str, ...] = ()
    overall: bool = False
    item: str = ""

    @property
    def headline(self) -> bool:
        """The item's own measure (same key), as opposed to another share of its scale ("neither")."""
        return self.item in ("", self.key)

    @property
    def item_key(self) -> str:
        return self.item or self.key

    def outcome_codes(self) -> tuple[frozenset[int], frozenset[int]]:
        """(codes counted 1, codes counted 0), with the migrated answers' stand-in codes where they apply."""
        if not self.headline:
            return self.scale.positive, self.scale.negative
        return self.scale.positive | {MIGRATED_POSITIVE}, self.scale.negative | {MIGRATED_NEGATIVE}


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class EthnicGrouping:
    name: str
    white: frozenset[str]
    bme: frozenset[str]
    not_stated: frozenset[str]

    def group_of(self, code: str) -> str:
        if code in self.white:
            return "white"
        if code in self.bme:
            return "bme"
        return "not_stated"


@dataclass(frozen=True)
class SurveyDefinition:
    key: str
    name: str
    short_name: str
    kind: str
    deft: float
    has_crime_type: bool
    methodology: str
    measures: tuple[Measure, ...]
    items: tuple[Item, ...]
    crime_types: tuple[Choice, ...]
    ethnicity_labels: dict[str, str]
    grouping: EthnicGrouping
    age_bands: tuple[str, ...]
    sexes: tuple[str, ...]
    disabilities: tuple[str, ...]
    source: str = ""
    raw: dict = field(default_factory=dict, repr=False, compare=False)
    strata: str | None = None  # the stored column the survey was sampled within (its sampling strata)
    # How long identifiable responses, and the values of refused files, are kept (docs/personal-data.md).
    retention_months: int = 24
    refused_values_days: int = 30

    def measure(self, key: str) -> Measure:
        """A measure by key: one the definition declares, or a question's answer-code share (`item__code_N`)."""
        for measure in self.measures:
            if measure.key == key:
                return measure
        item_key, _, code = key.partition("__code_")
        if code and item_key in self.item_keys:
            for share in self.share_measures(item_key):
                if share.key == key:
                    return share
        known = ", ".join(m.key for m in self.measures)
        raise KeyError(f"unknown measure {key!r} for survey {self.key!r}; known: {known}")

    @property
    def measure_keys(self) -> tuple[str, ...]:
        return tuple(m.key for m in self.measures)

    @property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.items)

    def share_measures(self, item_key: str) -> tuple[Measure, ...]:
        """One measure per answer code of the question (its missing codes aside): the share who gave that
        code among those who gave any, so a question's distribution is rates the engine already sums."""
        item = self.item(item_key)
        valid = frozenset(item.scale.labels) - item.scale.missing
        return tuple(
            Measure(key=share_key(item.key, code), label=item.scale.labels[code], spi="", direction="higher-better",
                    question=item.question, item=item.key,
                    scale=Scale(item.scale.name, item.scale.labels, frozenset({code}), valid - {code},
                                item.scale.missing))
            for code in sorted(valid)
        )

    @property
    def all_share_measures(self) -> tuple[Measure, ...]:
        return tuple(m for item in self.items for m in self.share_measures(item.key))

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(f"unknown question {key!r} for survey {self.key!r}; known: {', '.join(self.item_keys)}")

    @property
    def overall_measure(self) -> Measure:
        return next((m for m in self.measures if m.overall), self.measures[-1])


def share_key(item_key: str, code: int) -> str:
    """The key of the measure "gave code `code` to question `item_key`" (definition.share_measures)."""
    return f"{item_key}__code_{code}"


def _scale(data: dict, where: str) -> Scale:
    try:
        labels = {int(code): str(label) for code, label in data["labels"].items()}
        scale = Scale(
            name=str(data.get("name", "")),
            labels=labels,
            positive=frozenset(int(c) for c in data["positive"]),
            negative=frozenset(int(c) for c in data["negative"]),
            missing=frozenset(int(c) for c in data.get("missing", [])),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DefinitionError(f"{where}: scale needs labels, positive and negative codes ({exc})") from exc
    outside = sorted(code for code in scale.labels if not LOWEST <= code <= HIGHEST)
    if outside:
        raise DefinitionError(f"{where}: scale codes {outside} are outside {LOWEST} to {HIGHEST}, the codes an "
                              "answer can be stored as: number the answers within that range")
    return scale


def _key(data: dict, what: str, where: str) -> str:
    key = data.get("key", "")
    if not isinstance(key, str) or not KEY_PATTERN.match(key) or key in RESERVED_KEYS:
        raise DefinitionError(f"{where}: {what} key {key!r} must be lower-case letters, digits and underscores "
                              "(starting with a letter, at most 40) and not the name of a response column")
    return key


def _item(data: dict, default_scale: dict | None, where: str) -> Item:
    key = _key(data, "question", where)
    scale_data = data.get("scale") or default_scale
    if scale_data is None:
        raise DefinitionError(f"{where}: question {key!r} has no scale and the survey has none")
    return Item(key=key, label=data.get("label", key), question=data.get("question", ""),
                scale=_scale(scale_data, f"{where} question {key}"), aliases=tuple(data.get("aliases", ())))


def _codes(data: dict, name: str, scale: Scale, where: str) -> frozenset[int]:
    try:
        codes = frozenset(int(c) for c in data[name])
    except (TypeError, ValueError) as exc:
        raise DefinitionError(f"{where}: {name} must be a list of answer codes ({exc})") from exc
    unknown = sorted(codes - set(scale.labels))
    if unknown:
        raise DefinitionError(f"{where}: {name} codes {unknown} are not on the {scale.name or 'item'} scale "
                              f"({scale.describe()})")
    return codes


def _measure(data: dict, items: dict[str, Item], where: str) -> Measure:
    key = _key(data, "measure", where)
    direction = data.get("direction", "higher-better")
    if direction not in DIRECTIONS:
        raise DefinitionError(f"{where}: measure {key!r} direction must be one of {DIRECTIONS}")
    item_key = data.get("item", key)
    if item_key not in items:
        raise DefinitionError(f"{where}: measure {key!r} is derived from question {item_key!r}, which the survey "
                              f"does not declare; questions: {', '.join(items)}")
    item = items[item_key]
    scale = item.scale
    if "positive" in data or "negative" in data:
        positive = _codes(data, "positive", scale, f"{where} measure {key}") if "positive" in data else frozenset()
        negative = _codes(data, "negative", scale, f"{where} measure {key}") if "negative" in data else frozenset()
        if not positive or positive & negative:
            raise DefinitionError(f"{where}: measure {key!r} needs positive codes, none of them also negative")
        scale = Scale(scale.name, scale.labels, positive, negative, frozenset(scale.labels) - positive - negative)
    return Measure(
        key=key, label=data.get("label", item.label if item_key == key else key), spi=data.get("spi", ""),
        direction=direction, question=data.get("question", item.question), scale=scale,
        aliases=tuple(data.get("aliases", ())) if item_key == key else (), overall=bool(data.get("overall", False)),
        item=item_key,
    )


def _items_and_measures(merged: dict, where: str) -> tuple[tuple[Item, ...], tuple[Measure, ...]]:
    """A measure of its own key declares its question too (the shipped files' short form); `[[items]]`
    declares a question with no measure of the same key; a measure with `item = ...` is derived."""
    default_scale = merged.get("scale")
    items: dict[str, Item] = {}
    for data in [*merged.get("items", []), *(m for m in merged["measures"] if m.get("item", m.get("key")) == m.get("key"))]:
        item = _item(data, default_scale, where)
        if item.key in items:
            raise DefinitionError(f"{where}: question {item.key!r} is declared twice")
        items[item.key] = item
    measures = tuple(_measure(m, items, where) for m in merged["measures"])
    keys = [m.key for m in measures]
    twice = sorted({k for k in keys if keys.count(k) > 1} | (set(keys) & (set(items) - {m.item for m in measures if m.headline})))
    if twice:
        raise DefinitionError(f"{where}: {', '.join(twice)} is the key of more than one measure or question")
    return tuple(items.values()), measures


@cache
def _common() -> dict:
    return tomllib.loads(COMMON_FILE.read_text(encoding="utf-8"))


def _merged(base: dict, override: dict) -> dict:
    """The shared sections with a survey's own on top, table by table (so a force can
    change its ethnicity grouping without repeating the labels)."""
    out = dict(base)
    for key, value in override.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def parse_definition(data: dict, *, source: str = "") -> SurveyDefinition:
    """Build a definition from parsed TOML, with the shared sections as defaults."""
    common = _common()
    merged = _merged(common, data)
    where = source or data.get("key", "survey definition")
    for required in ("key", "name", "measures"):
        if required not in merged:
            raise DefinitionError(f"{where}: missing required field {required!r}")
    items, measures = _items_and_measures(merged, where)
    grouping = merged["ethnicity"]["grouping"]
    return SurveyDefinition(
        key=merged["key"],
        name=merged["name"],
        short_name=merged.get("short_name", merged["name"]),
        kind=merged.get("kind", "victim"),
        deft=float(merged.get("deft", 1.0)),
        has_crime_type=bool(merged.get("has_crime_type", False)),
        methodology=merged.get("methodology", "").strip(),
        measures=measures,
        items=items,
        crime_types=tuple(
            Choice(c["key"], c.get("label", c["key"]), tuple(c.get("aliases", ())))
            for c in merged.get("crime_types", [])
        ),
        ethnicity_labels=dict(merged["ethnicity"]["labels"]),
        grouping=EthnicGrouping(
            name=grouping.get("name", ""),
            white=frozenset(grouping["white"]),
            bme=frozenset(grouping["bme"]),
            not_stated=frozenset(grouping.get("not_stated", [])),
        ),
        age_bands=tuple(merged["age_bands"]["bands"]),
        sexes=tuple(merged["sex"]["values"]),
        disabilities=tuple(merged["disability"]["values"]),
        source=source,
        raw=data,
        strata=_strata(merged, where),
        **_retention(merged, where),
    )


STRATA_COLUMNS = ("division", "neighbourhood", "crime_type")


def _strata(merged: dict, where: str) -> str | None:
    """`strata = "crime_type"` (or division, neighbourhood): the survey's sampling strata, if it has them."""
    strata = merged.get("strata")
    if strata is None:
        return None
    if strata not in STRATA_COLUMNS:
        raise DefinitionError(f"{where}: strata {strata!r} is not a stored column a survey is sampled within; "
                              f"use one of {', '.join(STRATA_COLUMNS)}")
    if strata == "crime_type" and not merged.get("has_crime_type", False):
        raise DefinitionError(f"{where}: strata 'crime_type' needs has_crime_type = true")
    return strata


def _retention(merged: dict, where: str) -> dict:
    """[retention] months (identifiable responses) and refused_values_days (a refused file's values)."""
    table = merged.get("retention", {})
    if not isinstance(table, dict):
        raise DefinitionError(f"{where}: retention must be a table: [retention] months = 24")
    out = {}
    for key, name, least in (("months", "retention_months", 1), ("refused_values_days", "refused_values_days", 0)):
        value = table.get(key, SurveyDefinition.__dataclass_fields__[name].default)
        if not isinstance(value, int) or isinstance(value, bool) or value < least:
            raise DefinitionError(f"{where}: retention {key} must be a whole number of at least {least}, "
                                  f"not {value!r}")
        out[name] = value
    return out


def load_definition_file(path: str | Path) -> SurveyDefinition:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DefinitionError(f"{path}: no such survey definition file") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{path}: not valid TOML ({exc})") from exc
    return parse_definition(data, source=str(path))


@cache
def shipped_definitions() -> dict[str, SurveyDefinition]:
    """The survey definitions shipped with the package, by key (read once: they are part of the code)."""
    found = {}
    for path in sorted(DEFINITIONS_DIR.glob("*.toml")):
        if path.name.startswith("_"):
            continue
        definition = load_definition_file(path)
        found[definition.key] = definition
    return found


def get_definition(name_or_path: str) -> SurveyDefinition:
    """A shipped definition by key, or one loaded from a TOML path."""
    shipped = shipped_definitions()
    if name_or_path in shipped:
        return shipped[name_or_path]
    if name_or_path.endswith(".toml"):
        return load_definition_file(name_or_path)
    raise DefinitionError(
        f"unknown survey {name_or_path!r}; shipped surveys: {', '.join(sorted(shipped))} "
        "(or give the path of a .toml definition)"
    )
