"""The neighbourhood profile: who lives there against the force, who answered the surveys and how well they
represent the residents, and satisfaction and confidence for each group there, with bases."""

from __future__ import annotations

from citizenfocus.performance.figures import clean
from citizenfocus.performance.pages.base import Column, PageResult, Table
from citizenfocus.stats.representativeness import representativeness

from . import charts, population, survey_figures
from .calibrated import calibrated_confidence
from .census import GROUPS
from .models import Boundary

WHO_COLUMNS = [
    Column("group", "Ethnic group"), Column("residents", "Residents here", "int"),
    Column("share", "Share here", "rate"), Column("force_share", "Share in the force", "rate"),
    Column("uss_n", "Victims who answered (all stored)", "int"), Column("uss_share", "Share of victims who answered", "rate"),
    Column("confidence_n", "Public who answered (all stored)", "int"),
    Column("confidence_share", "Share of the public who answered", "rate"),
]
CATEGORY_COLUMNS = [Column("category", "Ethnic group (19 census categories)"),
                    Column("residents", "Residents here", "int"), Column("share", "Share here", "rate"),
                    Column("force_share", "Share in the force", "rate")]
AGE_COLUMNS = [Column("age", "Age"), Column("sex", "Sex"), Column("residents", "Residents here (16+)", "int"),
               Column("share", "Share here", "rate"), Column("force_share", "Share in the force", "rate"),
               Column("respondents", "Public who answered", "int"),
               Column("respondent_share", "Share of the public who answered", "rate")]
RATE_COLUMNS = [Column("survey", "Survey"), Column("group", "Group"), Column("n", "Base (n)", "int"),
                Column("rate", "Rate", "rate"), Column("ci_low", "95% CI from", "rate"),
                Column("ci_high", "95% CI to", "rate"), Column("note", "Note")]


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _who(hood) -> tuple[list[dict], list[str]]:
    here, force = population.ethnic_groups(hood), population.ethnic_groups()
    answered = {key: survey_figures.respondents_by_group(survey=key, neighbourhood=hood) for key, _ in
                survey_figures.SURVEYS}
    rows = [{"group": g, "residents": here[g], "share": _share(here[g], sum(here.values())),
             "force_share": _share(force[g], sum(force.values())),
             **{f"{key}_n": answered[key][g] for key in answered},
             **{f"{key}_share": _share(answered[key][g], sum(answered[key].values())) for key in answered}}
            for g in GROUPS]
    words = [representativeness(answered[key], here).sentence(
        "victims who answered" if key == "uss" else "the public who answered") for key in answered]
    return rows, words


def _categories(hood) -> list[dict]:
    here, force = population.ethnic_categories(hood), population.ethnic_categories()
    total_here, total_force = sum(here.values()), sum(force.values())
    return [{"category": c, "residents": n, "share": _share(n, total_here),
             "force_share": _share(force.get(c, 0), total_force)} for c, n in here.items()]


def _age_sex(hood) -> list[dict]:
    here, force = population.age_sex(hood), population.age_sex()
    answered = survey_figures.respondents_by_age_sex(survey="confidence", neighbourhood=hood)
    answered_total = sum(n for (age, sex), n in answered.items() if (age, sex) in here)
    return [{"age": age, "sex": sex, "residents": n, "share": _share(n, sum(here.values())),
             "force_share": _share(force.get((age, sex), 0), sum(force.values())),
             "respondents": answered.get((age, sex), 0), "respondent_share": _share(answered.get((age, sex), 0),
                                                                                     answered_total)}
            for (age, sex), n in sorted(here.items())]


def _rates(hood) -> tuple[list[dict], str]:
    rows, period = [], ""
    for key, label in survey_figures.SURVEYS:
        period, found = survey_figures.rates_by_group(survey=key, neighbourhood=hood)
        rows += [{"survey": label, **row} for row in found]
    raked = calibrated_confidence(hood)
    if raked:
        rows.append({"survey": "Public confidence, weighted to the census", "group": "All respondents",
                     "measure": raked["label"], **{k: raked.get(k) for k in ("n", "rate", "ci_low", "ci_high")},
                     "note": raked["note"]})
    return [{k: clean(v) for k, v in r.items()} for r in rows], period


def build(hood) -> PageResult:
    who, words = _who(hood)
    result = PageResult(title=f"Neighbourhood profile: {hood.name}")
    result.headline = words
    result.tables["who"] = Table(f"Who lives in {hood.name} (census) and who answered the surveys", WHO_COLUMNS, who)
    result.charts["who"] = charts.shares_chart(
        [{"group": r["group"], "who": who_label, "share": r[key]} for r in who for key, who_label in (
            ("share", f"Residents of {hood.name}"), ("force_share", "Residents of the force"),
            ("confidence_share", "Public who answered"))], title=f"Ethnic make-up of {hood.name}")
    result.chart_tables["who"] = "who"
    rates, period = _rates(hood)
    result.tables["rates"] = Table(f"Satisfaction and confidence by group in {hood.name}, {period}",
                                   RATE_COLUMNS, rates)
    result.tables["categories"] = Table("Residents in each of the 19 census ethnic groups", CATEGORY_COLUMNS,
                                        _categories(hood))
    result.tables["age_sex"] = Table("Residents aged 16 and over by age and sex, and the public who answered",
                                     AGE_COLUMNS, _age_sex(hood))
    boundaries = list(Boundary.objects.filter(level=Boundary.Level.NEIGHBOURHOOD))
    if boundaries:
        shares = {code: _share(sum(g.values()) - g["White"], sum(g.values())) for code, g in _by_code().items()}
        result.charts["map"] = charts.choropleth(boundaries, shares, title=f"{hood.name} (outlined) on the map of "
                                                 "minority-ethnic residents' share", legend="Minority-ethnic share",
                                                 fmt=".0%", highlight=hood.code)
        result.tables["map"] = Table("Minority-ethnic share of residents by neighbourhood",
                                     [Column("code", "Code"), Column("share", "Minority-ethnic share", "rate")],
                                     [{"code": c, "share": s} for c, s in sorted(shares.items())])
        result.chart_tables["map"] = "map"
    result.extra["neighbourhood"] = {"code": hood.code, "name": hood.name, "division": hood.division.name}
    return result


def _by_code() -> dict[str, dict[str, int]]:
    from citizenfocus.areas.models import Neighbourhood

    codes = dict(Neighbourhood.objects.values_list("pk", "code"))
    return {codes[pk]: groups for pk, groups in population.groups_by_neighbourhood().items()}
