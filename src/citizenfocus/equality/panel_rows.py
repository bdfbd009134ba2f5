"""A review's searches as rows: what the panel sees, exports and scripts against."""

from __future__ import annotations

from .models import PanelReview

COLUMNS = (
    ("position", "#"), ("stratum", "Stratum"), ("probability", "Chance of selection"), ("date", "Date"),
    ("type", "Type"), ("legislation", "Legislation"), ("object_of_search", "Object of search"),
    ("outcome", "Outcome"), ("outcome_linked", "Outcome linked to object"), ("self_defined_ethnicity", "Self-defined"),
    ("officer_defined_ethnicity", "Officer-defined"), ("neighbourhood", "Neighbourhood"),
    ("grounds_recorded", "Grounds recorded"), ("grounds_reasonable", "Grounds reasonable"),
    ("video_reviewed", "Video reviewed"), ("feedback_to_officer", "Feedback to officer"), ("notes", "Notes"),
    ("finding_by", "Finding by"), ("recommendation", "Recommendation"),
)


def review_rows(review: PanelReview) -> list[dict]:
    rows = []
    for sample in review.searches.select_related("search__neighbourhood").prefetch_related("findings"):
        search, finding = sample.search, max(sample.findings.all(), key=lambda f: (f.at, f.pk), default=None)
        row = {"id": sample.pk, "position": sample.position, "stratum": sample.stratum,
               "probability": round(sample.probability, 4), "date": search.occurred_at.strftime("%Y-%m-%d %H:%M"),
               "type": search.type, "legislation": search.legislation, "object_of_search": search.object_of_search,
               "outcome": search.outcome, "outcome_linked": search.outcome_linked,
               "self_defined_ethnicity": search.self_defined_ethnicity,
               "officer_defined_ethnicity": search.officer_defined_ethnicity,
               "neighbourhood": search.neighbourhood.name if search.neighbourhood else ""}
        if finding:
            row.update({"finding_id": finding.pk, "grounds_recorded": finding.get_grounds_recorded_display(),
                        "grounds_reasonable": finding.get_grounds_reasonable_display(),
                        "video_reviewed": finding.video_reviewed, "feedback_to_officer": finding.feedback_to_officer,
                        "notes": finding.notes, "finding_by": f"{finding.who_name}, {finding.at:%Y-%m-%d %H:%M}",
                        "recommendation": finding.recommendation and f"{finding.recommendation.ref}: "
                                                                      f"{finding.recommendation.text}"})
        rows.append(row)
    return rows
