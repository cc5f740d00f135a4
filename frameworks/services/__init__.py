"""Writes of the assessment frameworks, self-assessments and external indices (frameworks app).

The rules: a framework's indicator weights add up to 100 and its bands lie inside its level scale without
overlapping; its named levels and an indicator's criteria per level lie on that scale; a level lies on the
framework's scale; only an indicator the assessee names each year takes a named subject. An external index's edition
has a score inside its scale with its decimals, or, for a level rating, a level; a band only where the publisher gives
bands. The indices use the one scale and band implementation, the evaluations' (`evaluations.services.scales`: weights,
bands, `index_from_scores` half up). A framework file (the
shipped SPBE one, or the official text of a successor such as the Indeks Pemerintah Digital) is checked as the API
checks a framework and loaded whole, or not at all.

Modules: rules (a framework's structure on its scale), frameworks (the structure's writers, loading a data file),
assessments (self-assessments), indices (external indices). Importing this package registers every writer of the app.
"""

from .assessments import (
    SELF_ASSESSMENT,
    SELF_ASSESSMENT_EVIDENCE,
    SELF_ASSESSMENT_SCORE,
    self_assessment_add_evidence,
    self_assessment_assess,
    self_assessment_compute,
    self_assessment_create,
    self_assessment_readiness,
    self_assessment_recompute,
    self_assessment_update,
)
from .frameworks import (
    FRAMEWORK,
    FRAMEWORK_ASPECT,
    FRAMEWORK_BAND,
    FRAMEWORK_DOMAIN,
    FRAMEWORK_FILES,
    FRAMEWORK_INDICATOR,
    FRAMEWORK_LEVEL,
    framework_data_validate,
    framework_file,
    framework_file_read,
    framework_load,
    framework_set_levels,
    framework_set_parts,
)
from .indices import EXTERNAL_INDEX, EXTERNAL_INDEX_VALUE, edition_validate, external_index_value_delete
from .rules import framework_parts_validate, framework_weights_validate, level_validate

__all__ = [
    "EXTERNAL_INDEX",
    "EXTERNAL_INDEX_VALUE",
    "FRAMEWORK",
    "FRAMEWORK_ASPECT",
    "FRAMEWORK_BAND",
    "FRAMEWORK_DOMAIN",
    "FRAMEWORK_FILES",
    "FRAMEWORK_INDICATOR",
    "FRAMEWORK_LEVEL",
    "SELF_ASSESSMENT",
    "SELF_ASSESSMENT_EVIDENCE",
    "SELF_ASSESSMENT_SCORE",
    "edition_validate",
    "external_index_value_delete",
    "framework_data_validate",
    "framework_file",
    "framework_file_read",
    "framework_load",
    "framework_parts_validate",
    "framework_set_levels",
    "framework_set_parts",
    "framework_weights_validate",
    "level_validate",
    "self_assessment_add_evidence",
    "self_assessment_assess",
    "self_assessment_compute",
    "self_assessment_create",
    "self_assessment_readiness",
    "self_assessment_recompute",
    "self_assessment_update",
]
