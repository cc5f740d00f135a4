from .announcement import PublicationAnnouncement
from .clarification import ClarificationAnswer, ClarificationRequest
from .evaluation import DimensionScore, Evaluation, PillarScore
from .evidence import BodyMember, LegalInstrument
from .finding import Finding, FollowUpAction
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
    "FieldVisit",
    "FieldVisitAttachment",
    "Finding",
    "FollowUpAction",
    "LegalInstrument",
    "PillarScore",
    "PublicationAnnouncement",
    "ReadinessOverride",
    "ReportExport",
    "SchemeBand",
    "SchemeDimension",
    "Survey",
    "SurveyAnswer",
    "SurveyItem",
    "SurveyResponse",
    "SurveyTarget",
]
