"""The frameworks' models. They moved here from evaluations (issue 24) without moving their tables: each keeps its
`evaluations_*` table (Meta.db_table, and the history's table_name), so the move was a change of state only."""

from .external import ExternalIndex, ExternalIndexValue
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

__all__ = [
    "ExternalIndex",
    "ExternalIndexValue",
    "Framework",
    "FrameworkAspect",
    "FrameworkBand",
    "FrameworkDomain",
    "FrameworkIndicator",
    "FrameworkLevel",
    "SelfAssessment",
    "SelfAssessmentEvidence",
    "SelfAssessmentScore",
]
