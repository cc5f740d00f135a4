"""Writes of the evaluations app: one writer per model users change (smartcity/services.py), each rule once.

The rules: a scheme's weights add up to 100 and its bands lie inside its scale without overlapping (scales.py, the
one scale and band implementation, which the frameworks app reads too); a score lies inside its scheme's scale with
the scheme's decimals; an evaluation uses the scheme of its own year and changes status only through
`evaluation_submit` and `evaluation_finalise`; an OPD editor writes only their own agency's follow-ups, as they stand
and as they would become. Whatever changes scores or weights recomputes the index.

Every door reaches these writers: the API (RecordViewSet), the admin's forms, inlines, history reverts and bulk
actions (ServiceAdmin), and the demo loader (actor=None). Rules that need a whole set of rows (the weights, the
bands) run on the set where a door writes the set: the scheme writer (API, demo) and the admin's inline formsets,
which call the same functions. A child row (a dimension, a band, a score) written as part of its parent goes through
its own writer too, so its permission and the agency rule run.

Modules: scales (the shared scale rules), scores, schemes, evaluations (workflow, findings, follow-ups, visits),
file_jobs (the yearly report and the evaluation pack). Importing this package registers every writer of the app.
"""

from . import evidence  # noqa: F401 - evidence registers its writers on import
from .evaluations import (
    EVALUATION,
    FIELD_VISIT,
    FIELD_VISIT_ATTACHMENT,
    FINDING,
    FOLLOW_UP,
    evaluation_create,
    evaluation_delete,
    evaluation_embargoes_announce,
    evaluation_finalise,
    evaluation_publication_announce,
    evaluation_rules,
    evaluation_scheme_validate,
    evaluation_slug,
    evaluation_submit,
    evaluation_update,
    field_visit_create,
    field_visit_delete,
    field_visit_update,
    finding_create,
    finding_delete,
    finding_update,
    follow_up_create,
    follow_up_delete,
    follow_up_update,
    readiness_override_check,
)
from .file_jobs import (
    evaluation_pack_build,
    evaluation_pack_request,
    file_job_build,
    file_job_request,
    report_export_build,
    report_export_request,
)
from .scales import bands_validate, index_from_scores, quantum, score_validate, weights_validate
from .schemes import (
    DEFAULT_DIMENSIONS,
    SCHEME,
    SCHEME_BAND,
    SCHEME_DIMENSION,
    band_rules,
    scheme_copy,
    scheme_create,
    scheme_parts_validate,
    scheme_update,
)
from .scores import (
    DIMENSION_SCORE,
    PILLAR_SCORE,
    dimension_score_rules,
    evaluation_recompute_index,
    evaluation_set_scores,
    pillar_score_rules,
    scheme_recompute_indices,
)

__all__ = [
    "DEFAULT_DIMENSIONS",
    "DIMENSION_SCORE",
    "EVALUATION",
    "FIELD_VISIT",
    "FIELD_VISIT_ATTACHMENT",
    "FINDING",
    "FOLLOW_UP",
    "PILLAR_SCORE",
    "SCHEME",
    "SCHEME_BAND",
    "SCHEME_DIMENSION",
    "band_rules",
    "bands_validate",
    "dimension_score_rules",
    "evaluation_create",
    "evaluation_delete",
    "evaluation_embargoes_announce",
    "evaluation_finalise",
    "evaluation_pack_build",
    "evaluation_pack_request",
    "evaluation_publication_announce",
    "evaluation_recompute_index",
    "evaluation_rules",
    "evaluation_scheme_validate",
    "evaluation_set_scores",
    "evaluation_slug",
    "evaluation_submit",
    "evaluation_update",
    "field_visit_create",
    "file_job_build",
    "file_job_request",
    "field_visit_delete",
    "field_visit_update",
    "finding_create",
    "finding_delete",
    "finding_update",
    "follow_up_create",
    "follow_up_delete",
    "follow_up_update",
    "index_from_scores",
    "pillar_score_rules",
    "quantum",
    "readiness_override_check",
    "report_export_build",
    "report_export_request",
    "scheme_copy",
    "scheme_create",
    "scheme_parts_validate",
    "scheme_recompute_indices",
    "scheme_update",
    "score_validate",
    "weights_validate",
]
