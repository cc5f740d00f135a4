from .evaluation import DimensionScore, Evaluation, PillarScore
from .external import ExternalIndex, ExternalIndexValue
from .finding import Finding, FollowUpAction, FollowUpDigest
from .framework import (
    Framework,
    FrameworkAspect,
    FrameworkBand,
    FrameworkDomain,
    FrameworkIndicator,
    SelfAssessment,
    SelfAssessmentEvidence,
    SelfAssessmentScore,
)
from .report import ReportExport
from .scheme import EvaluationScheme, SchemeBand, SchemeDimension
from .visit import FieldVisit, FieldVisitAttachment

__all__ = [
    "DimensionScore",
    "Evaluation",
    "EvaluationScheme",
    "ExternalIndex",
    "ExternalIndexValue",
    "FieldVisit",
    "FieldVisitAttachment",
    "Finding",
    "FollowUpAction",
    "FollowUpDigest",
    "Framework",
    "FrameworkAspect",
    "FrameworkBand",
    "FrameworkDomain",
    "FrameworkIndicator",
    "PillarScore",
    "ReportExport",
    "SchemeBand",
    "SchemeDimension",
    "SelfAssessment",
    "SelfAssessmentEvidence",
    "SelfAssessmentScore",
]
