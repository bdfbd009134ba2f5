from .history import ChangeEvent, Meeting, PlanImport, ReminderSent
from .indicators import IndicatorLink
from .plans import LABELS, Action, DatePrecision, Plan, PlanResponse, Recommendation, Status
from .risks import Mitigation, Risk, RiskRegister, RiskReview
from .updates import Evidence, PositionUpdate, TargetDateRevision

__all__ = [
    "LABELS", "Action", "ChangeEvent", "DatePrecision", "Evidence", "IndicatorLink", "Meeting", "Mitigation", "Plan", "PlanImport",
    "PlanResponse", "PositionUpdate", "Recommendation", "ReminderSent", "Risk", "RiskRegister", "RiskReview",
    "Status", "TargetDateRevision",
]
