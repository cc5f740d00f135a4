from .announcement import PublicationAnnouncement
from .clarification import ClarificationAnswer, ClarificationRequest
from .evaluation import DimensionScore, Evaluation, PillarScore
from .evidence import BodyMember, LegalInstrument
from .external import ExternalIndex, ExternalIndexValue
from .federation import FollowedPortal, PortalSnapshot
from .finding import Finding, FollowUpAction
from .framework import (
    Framework,
    FrameworkAspect,
    FrameworkBand,
    FrameworkDomain,
    FrameworkIndicator,
    FrameworkLevel,
    SelfAssessment,
    SelfAssessmentEvidence,
    SelfAssessmentScore,
)
from .pack import EvaluationPack, ReadinessOverride
from .report import ReportExport
from .scheme import EvaluationScheme, SchemeBand, SchemeDimension
from .survey import Survey, SurveyAnswer, SurveyItem, SurveyResponse, SurveyTarget
from .visit import FieldVisit, FieldVisitAttachment

__all__ = [
    "BodyMember",
    "ClarificationAnswer",
    "ClarificationRequest",
    "DimensionScore",
    "Evaluation",
    "EvaluationPack",
    "EvaluationScheme",
    "ExternalIndex",
    "ExternalIndexValue",
    "FieldVisit",
    "FieldVisitAttachment",
    "Finding",
    "FollowUpAction",
    "LegalInstrument",
    "Framework",
    "FrameworkAspect",
    "FrameworkBand",
    "FrameworkDomain",
    "FrameworkIndicator",
    "FrameworkLevel",
    "PillarScore",
    "PublicationAnnouncement",
    "ReadinessOverride",
    "FollowedPortal",
    "PillarScore",
    "PublicationAnnouncement",
    "PortalSnapshot",
    "ReportExport",
    "SchemeBand",
    "SchemeDimension",
    "Survey",
    "SurveyAnswer",
    "SurveyItem",
    "SurveyResponse",
    "SurveyTarget",
    "SelfAssessment",
    "SelfAssessmentEvidence",
    "SelfAssessmentScore",
]
