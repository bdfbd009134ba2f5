"""One vocabulary for significance: every page, command and report says a verdict in these words.

A comparison's verdict is one of a few fixed strings (from compare_arrays,
trend_verdict, msf_comparison); `versus` says it of what it was compared with.
"""

from __future__ import annotations

HIGHER, LOWER, SAME = "significantly higher", "significantly lower", "not significantly different"
BETTER, WORSE = "significantly better", "significantly worse"
IMPROVED, DETERIORATED, NO_CHANGE = "significantly improved", "significantly deteriorated", "no significant change"
NO_DATA, NOT_TESTED = "no data", "too few responses to test"


def versus(verdict: str, what: str) -> str:
    """A verdict said of what it is compared with: 'significantly higher than the same period last year',
    'not significantly different to the MSF average', 'no significant change from …'."""
    if verdict in (HIGHER, LOWER, BETTER, WORSE):
        return f"{verdict} than {what}"
    if verdict == SAME:
        return f"{SAME} to {what}"
    if verdict in (IMPROVED, DETERIORATED):
        return f"{verdict} against {what}"
    if verdict == NO_CHANGE:
        return f"{NO_CHANGE} from {what}"
    if verdict == NOT_TESTED:
        return f"not tested against {what}: too few responses"
    return f"no comparison with {what} (no data)"
