"""Tables that leave the dashboard: suppressed for publication, flagged for internal use (statistics.md §8).

A table's estimates are found from its columns, as the cell template finds
them: a rate column `<p>rate` rests on the base `<p>n` of the same row, and
carries its interval `<p>ci_low`, `<p>ci_high` (rate columns). A base column
(`n` or `*_n`) with no rate is a count in its own right.

For publication (`publish_table`), an estimate whose base is under
`publish_min_base` is blanked with its interval and base, and its rate cell
says why. Everything else in that row that is worked out from more than one
estimate — gaps, verdicts, control limits, odds ratios, words — is blanked
too, since a gap and one side give the other side; only the leading text
columns that name the row are kept.

Published bases that add up get secondary suppression
(citizenfocus.stats.disclosure.suppress_margins): more are hidden until no
hidden one can be narrowed down from the totals and the rest. They add up
down a column when the table has a total row (a row with `"is_total": True`),
and along a row when it publishes an all-users base `<s>all_n` beside its
groups `<s><group>_n` (all users = white + BME + not stated; the not stated
are taken as known). In such a table every hidden estimate carries the same
words, so the words do not tell which hidden bases are the small ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from citizenfocus.stats.disclosure import (
    LOW_BASE,
    LOW_BASE_NOTE,
    PUBLISH_MIN_BASE,
    low_base,
    suppress_margins,
)

from .pages.base import Column, PageResult, Table

TOTAL_ROW = "is_total"
LOW_BASE_KEY = "low_base_note"


def suppressed_words(min_base: int, *, with_secondary: bool) -> str:
    """What a suppressed cell says in a published table."""
    words = f"suppressed: base under {min_base}"
    return words + ", or hidden so that such a figure cannot be worked out" if with_secondary else words


@dataclass(frozen=True)
class _Estimate:
    """One estimate in each row: the row key of its base, its own columns, and the column that says it is hidden."""

    base: str
    members: tuple[str, ...]
    marked: str


def _is_base(key: str) -> bool:
    return key == "n" or key.endswith("_n")


def _estimates(table: Table) -> list[_Estimate]:
    kinds = {c.key: c.kind for c in table.columns}
    found, bases = [], set()
    for c in table.columns:
        base = c.key[: -len("rate")] + "n"
        if c.kind != "rate" or not c.key.endswith("rate") or not any(base in row for row in table.rows):
            continue  # a rate with no base of its own (a target, a control limit) is worked out, not estimated
        interval = [c.key[: -len("rate")] + end for end in ("ci_low", "ci_high")]
        members = [c.key, *(k for k in interval if kinds.get(k) == "rate"), *([base] if base in kinds else [])]
        found.append(_Estimate(base, tuple(members), c.key))
        bases.add(base)
    found += [_Estimate(c.key, (c.key,), c.key) for c in table.columns
              if c.kind == "int" and _is_base(c.key) and c.key not in bases]
    return found


def _base(row: dict, key: str) -> float:
    value = row.get(key)
    return 0.0 if value is None else float(value)


def _total_row(table: Table) -> int | None:
    at = [i for i, row in enumerate(table.rows) if row.get(TOTAL_ROW)]
    if len(at) > 1:
        raise ValueError(f"table {table.caption!r} has {len(at)} total rows; a published table can have one")
    return at[0] if at else None


def _families(estimates: list[_Estimate], published: set[str]) -> list[tuple[list[str], str | None]]:
    """The published bases that add up along a row: `<s>all_n` is the total of `<s><group>_n` (each a part).

    All users = white + BME + not stated: the not stated are a remainder,
    taken as known. Every other published base is a part with no row total.
    """
    bases = [e.base for e in estimates if e.base in published]
    families, placed = [], set()
    for whole in (b for b in bases if b.endswith("all_n")):
        stem = whole[: -len("all_n")]
        parts = [b for b in bases if b != whole and b.startswith(stem) and b.endswith("_n")
                 and "_" not in b[len(stem): -len("_n")]]
        if parts:
            families.append((parts, whole))
            placed.update([whole, *parts])
    rest = [b for b in bases if b not in placed]
    return families + ([(rest, None)] if rest else [])


def _hidden(table: Table, estimates: list[_Estimate], min_base: int) -> list[set[str]]:
    """For each row, the bases of the estimates that are not published (primary or secondary)."""
    rows, total = table.rows, _total_row(table)
    body = [i for i in range(len(rows)) if i != total]
    published = {c.key for c in table.columns}
    hidden: list[set[str]] = [{e.base for e in estimates if 0 < _base(row, e.base) < min_base} for row in rows]
    for parts, whole in _families(estimates, published) if body else []:
        if whole and any(sum(_base(rows[i], k) for k in parts) > _base(rows[i], whole) for i in body):
            parts, whole = [*parts, whole], None  # they do not add up here, so the whole is one more part
        result = suppress_margins(
            [[_base(rows[i], k) for k in parts] for i in body],
            row_totals=[_base(rows[i], whole) for i in body] if whole else None,
            column_totals=[_base(rows[total], k) for k in parts] if total is not None else None,
            grand_total=_base(rows[total], whole) if whole and total is not None else None, min_base=min_base)
        for r, i in enumerate(body):
            hidden[i].update(k for k, s in zip(parts, result.cells[r], strict=True) if s)
            hidden[i].update([whole] if whole and result.row_totals[r] else [])
        if total is not None:
            hidden[total].update(k for k, s in zip(parts, result.column_totals, strict=True) if s)
            hidden[total].update([whole] if whole and result.grand_total else [])
    return hidden


def _has_secondary(table: Table, estimates: list[_Estimate]) -> bool:
    """Whether any published bases add up (a total row, or an all-users estimate beside its groups)."""
    published = {c.key for c in table.columns}
    return _total_row(table) is not None or any(whole for _, whole in _families(estimates, published))


def _naming_columns(table: Table) -> set[str]:
    """The text columns before the first figure: they name the row (neighbourhood, division, month)."""
    names = set()
    for c in table.columns:
        if c.kind != "text":
            break
        names.add(c.key)
    return names


def publish_table(table: Table, *, min_base: int = PUBLISH_MIN_BASE) -> Table:
    """The table as it may be published: no figure resting on a base under `min_base`, and none recoverable.

    Rows keep only the table's columns (the JSON twin's extra keys stay
    inside). Source: statistics.md §8; see the module docstring for what is
    blanked with a suppressed estimate.
    """
    estimates = _estimates(table)
    hidden = _hidden(table, estimates, min_base)
    words = suppressed_words(min_base, with_secondary=_has_secondary(table, estimates))
    names = _naming_columns(table)
    rows = []
    for row, gone in zip(table.rows, hidden, strict=True):
        out = {c.key: row.get(c.key) for c in table.columns}
        if gone:
            kept = names | {k for e in estimates if e.base not in gone for k in e.members}
            out = {key: value if key in kept else None for key, value in out.items()}
            out.update({e.marked: words for e in estimates if e.base in gone})
        rows.append(out)
    return Table(f"{table.caption} (for publication)", table.columns, rows)


def published_result(result: PageResult, *, min_base: int = PUBLISH_MIN_BASE) -> dict:
    """The JSON twin for publication: every table published; no sentences or charts, which quote small bases."""
    return {
        "title": result.title,
        "publication": {"min_base": min_base, "suppressed": suppressed_words(min_base, with_secondary=False)},
        "tables": {key: publish_table(t, min_base=min_base).as_dict() for key, t in result.tables.items()},
        **{key: result.extra[key] for key in ("filters", "period") if key in result.extra},
    }


def flag_low_bases(table: Table, *, threshold: int = LOW_BASE) -> Table:
    """The table for internal use, with a column naming every estimate in the row that rests on a low base."""
    estimates = _estimates(table)
    if not estimates:
        return table
    labels = {c.key: c.label for c in table.columns}
    rows = []
    for row in table.rows:
        low = [f"{labels[e.marked]} (n={int(_base(row, e.base)):,})" for e in estimates
               if low_base(_base(row, e.base), threshold)]
        rows.append({**row, LOW_BASE_KEY: f"{'; '.join(low)}: {LOW_BASE_NOTE}" if low else None})
    return Table(table.caption, [*table.columns, Column(LOW_BASE_KEY, f"Low base (n under {threshold})")], rows)
