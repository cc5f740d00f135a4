from .evaluation import DimensionScore, Evaluation, PillarScore
from .federation import FollowedPortal, PortalSnapshot
from .finding import Finding, FollowUpAction, FollowUpDigest
from .report import ReportExport
from .scheme import EvaluationScheme, SchemeBand, SchemeDimension
from .visit import FieldVisit, FieldVisitAttachment

__all__ = [
    "DimensionScore",
    "Evaluation",
    "EvaluationScheme",
    "FieldVisit",
    "FieldVisitAttachment",
    "Finding",
    "FollowUpAction",
    "FollowUpDigest",
    "FollowedPortal",
    "PillarScore",
    "PortalSnapshot",
    "ReportExport",
    "SchemeBand",
    "SchemeDimension",
]
