from .evaluation import DimensionScore, Evaluation, PillarScore
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
    "PillarScore",
    "ReportExport",
    "SchemeBand",
    "SchemeDimension",
]
