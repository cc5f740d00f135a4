"""The five roles hold exactly the permissions written here; a grant added or dropped by a migration fails this test.

Each expectation lists, per model, the actions the role has ("add change delete view"), plus the extra verbs.
"""

import pytest
from django.contrib.auth.models import Group

from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR, VIEWER

pytestmark = pytest.mark.django_db

ALL = "add change delete view"
WRITE = "add change view"
READ = "view"


def expand(app_label: str, models: dict[str, str]) -> set[str]:
    return {f"{app_label}.{action}_{model}" for model, actions in models.items() for action in actions.split()}


PILLARS_REFERENCE = {"pillar": READ, "subdimension": READ, "agency": READ}
PILLARS_PORTFOLIO = ["masterplan", "program", "milestone", "budgetline", "indicator", "indicatortarget",
                     "measurement", "digitalservice", "infrastructureasset"]  # fmt: skip
PARTNERSHIP_RECORDS = ["partner", "mou", "mouparty", "commitment", "progressreport", "scopearea"]
EVALUATION_MODELS = ["evaluationscheme", "schemedimension", "schemeband", "evaluation", "dimensionscore",
                     "pillarscore", "finding", "followupaction", "fieldvisit", "fieldvisitattachment"]  # fmt: skip

PILLARS_READ = expand(
    "pillars", PILLARS_REFERENCE | dict.fromkeys(PILLARS_PORTFOLIO, READ) | {"boundary": READ, "basemap": READ}
)
PARTNERSHIPS_READ = expand("partnerships", dict.fromkeys(PARTNERSHIP_RECORDS, READ))
EVALUATIONS_READ = expand("evaluations", dict.fromkeys(EVALUATION_MODELS, READ))

STAFF_PILLARS = expand(
    "pillars",
    {"pillar": "change view", "subdimension": "change view", "agency": WRITE, "boundary": ALL, "basemap": ALL}
    | dict.fromkeys(PILLARS_PORTFOLIO, ALL),
) | {"pillars.manage_all_agencies"}
REPORTS = {"evaluations.view_reportexport", "evaluations.add_reportexport"}
MOU_VERBS = {"partnerships.sign_mou", "partnerships.terminate_mou"}
# The evaluation's workflow: evaluators submit what they assessed; only Diskominfo declares it final.
EVALUATION_VERBS = {"evaluations.submit_evaluation", "evaluations.finalise_evaluation"}
# Partners' webhook endpoints and the delivery log (sent again by staff) stay with Diskominfo, like the API keys.
WEBHOOKS = expand("partnerships", {"webhookendpoint": ALL, "webhookdelivery": READ}) | {
    "partnerships.replay_webhookdelivery"
}
# Citizen feedback: the owning agency's editors and Diskominfo moderate it; only the Administrator deletes it.
FEEDBACK_MODERATION = expand("pillars", {"feedback": "change view"})
# The provincial view: Diskominfo keeps the followed portals; every staff role reads them and their snapshots.
PORTALS_READ = expand("federation", {"followedportal": READ, "portalsnapshot": READ})
PORTALS_KEPT = expand("federation", {"followedportal": ALL, "portalsnapshot": READ})

# Issue 14, the evaluation's evidence: Diskominfo keeps the output register and the survey; assessors ask for
# clarifications and close them; OPD editors plan and report their own activities and answer their own requests;
# only the Administrator submits a stage past blocking gaps (a kept readiness override).
EVIDENCE = ["legalinstrument", "bodymember", "survey", "surveyitem", "surveytarget", "surveyresponse", "surveyanswer"]
ANSWER = "evaluations.answer_clarificationrequest"
PACKS = {"evaluations.add_evaluationpack", "evaluations.view_evaluationpack"}
EVIDENCE_READ = expand("evaluations", dict.fromkeys(EVIDENCE, READ))
STAFF_EVIDENCE = (
    expand("evaluations", dict.fromkeys([*EVIDENCE, "clarificationrequest", "clarificationanswer"], ALL))
    | {ANSWER, "evaluations.view_readinessoverride"}
    | PACKS
    | expand("pillars", {"activity": ALL})
)
EVIDENCE_BY_ROLE = {
    ADMINISTRATOR: STAFF_EVIDENCE | {"evaluations.add_readinessoverride"},
    DISKOMINFO_EDITOR: STAFF_EVIDENCE,
    EVALUATOR: EVIDENCE_READ
    | expand("evaluations", {"clarificationrequest": WRITE})
    | {"evaluations.view_clarificationanswer", "evaluations.view_readinessoverride", "pillars.view_activity"}
    | PACKS,
    OPD_EDITOR: EVIDENCE_READ
    | {ANSWER, "evaluations.view_clarificationrequest"}
    | expand("evaluations", {"clarificationanswer": "add view"})
    | expand("pillars", {"activity": ALL}),
    VIEWER: EVIDENCE_READ | {"pillars.view_activity"},
}

EXPECTED = {
    ADMINISTRATOR: expand("auth", {"user": ALL, "group": ALL, "permission": READ})
    | expand("axes", {"accessattempt": "delete view"})
    | STAFF_PILLARS
    | {"pillars.delete_agency"}
    | expand(
        "partnerships",
        dict.fromkeys(["partner", "mou", "mouparty", "commitment", "progressreport", "partnercontact"], ALL)
        | {"partnerapikey": ALL, "scopearea": "change view"},
    )
    | MOU_VERBS
    | WEBHOOKS
    | expand("evaluations", dict.fromkeys(EVALUATION_MODELS, ALL))
    | {"evaluations.view_readiness"}
    | EVALUATION_VERBS
    | REPORTS
    | FEEDBACK_MODERATION
    | {"pillars.delete_feedback"}
    | PORTALS_KEPT,
    DISKOMINFO_EDITOR: STAFF_PILLARS
    | expand(
        "partnerships",
        dict.fromkeys(["partner", "mou", "commitment", "progressreport", "partnerapikey"], WRITE)
        | {"mouparty": ALL, "partnercontact": ALL, "scopearea": "change view"},
    )
    | MOU_VERBS
    | WEBHOOKS
    # Evaluations and their schemes are official records: only the Administrator deletes them.
    | expand("evaluations", dict.fromkeys(EVALUATION_MODELS, ALL) | {"evaluation": WRITE, "evaluationscheme": WRITE})
    | {"evaluations.view_readiness"}
    | EVALUATION_VERBS
    | REPORTS
    | FEEDBACK_MODERATION
    | PORTALS_KEPT,
    EVALUATOR: PILLARS_READ
    | PARTNERSHIPS_READ
    | EVALUATIONS_READ
    | expand("evaluations", {"evaluation": WRITE, "finding": WRITE, "fieldvisit": WRITE})
    | expand("evaluations", {"dimensionscore": ALL, "pillarscore": ALL, "fieldvisitattachment": ALL})
    | {"evaluations.view_readiness", "evaluations.submit_evaluation"}
    | REPORTS
    | PORTALS_READ,
    OPD_EDITOR: PILLARS_READ
    | expand("pillars", {"program": WRITE, "indicator": WRITE, "digitalservice": WRITE})
    | expand("pillars", {"milestone": ALL, "budgetline": ALL, "indicatortarget": ALL, "measurement": ALL})
    | PARTNERSHIPS_READ
    | EVALUATIONS_READ
    | {"evaluations.change_followupaction"}
    | FEEDBACK_MODERATION
    | PORTALS_READ,
    VIEWER: PILLARS_READ | PARTNERSHIPS_READ | EVALUATIONS_READ | {"evaluations.view_reportexport"} | PORTALS_READ,
}

# Issue 15. Districts and villages are Diskominfo's; the producing OPD submits an indicator, Diskominfo (walidata)
# approves it. Frameworks, self-assessments and external indices: Diskominfo keeps them (only the Administrator
# deletes a framework or a self-assessment), the evaluators (assessors) record their own levels.
AREAS = {"district": ALL, "village": ALL}
SUBMIT, APPROVE = "pillars.submit_indicator", "pillars.approve_indicator"
FRAMEWORK_MODELS = ["framework", "frameworkdomain", "frameworkaspect", "frameworkindicator", "frameworkband",
                    "frameworklevel", "selfassessment", "selfassessmentscore", "selfassessmentevidence",
                    "externalindex", "externalindexvalue"]  # fmt: skip
FRAMEWORKS_READ = expand("frameworks", dict.fromkeys(FRAMEWORK_MODELS, READ))
ASSESS = "frameworks.assess_selfassessment"
EXPECTED[ADMINISTRATOR] |= (
    expand("pillars", AREAS) | {SUBMIT, APPROVE} | expand("frameworks", dict.fromkeys(FRAMEWORK_MODELS, ALL)) | {ASSESS}
)
EXPECTED[DISKOMINFO_EDITOR] |= (
    expand("pillars", AREAS)
    | {SUBMIT, APPROVE}
    | expand("frameworks", dict.fromkeys(FRAMEWORK_MODELS, ALL) | {"framework": WRITE, "selfassessment": WRITE})
)
EXPECTED[EVALUATOR] |= FRAMEWORKS_READ | {ASSESS}
EXPECTED[OPD_EDITOR] |= expand("pillars", dict.fromkeys(AREAS, READ)) | {SUBMIT} | FRAMEWORKS_READ
EXPECTED[VIEWER] |= expand("pillars", dict.fromkeys(AREAS, READ)) | FRAMEWORKS_READ

# Issue 25: a program's lead agency links it to the indicators it moves; Diskominfo for every agency.
LINKS = expand("pillars", {"programindicator": ALL})
for role in (ADMINISTRATOR, DISKOMINFO_EDITOR, OPD_EDITOR):
    EXPECTED[role] |= LINKS
for role in (EVALUATOR, VIEWER):
    EXPECTED[role] |= {"pillars.view_programindicator"}


EXPECTED = {role: perms | EVIDENCE_BY_ROLE[role] for role, perms in EXPECTED.items()}


def group_perms(name: str) -> set[str]:
    permissions = Group.objects.get(name=name).permissions.select_related("content_type")
    return {f"{perm.content_type.app_label}.{perm.codename}" for perm in permissions}


def test_the_five_roles_exist_and_no_others():
    assert set(Group.objects.values_list("name", flat=True)) == set(EXPECTED)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_role_holds_exactly_its_permissions(role):
    held = group_perms(role)
    assert held - EXPECTED[role] == set(), "granted beyond the role"
    assert EXPECTED[role] - held == set(), "missing from the role"


@pytest.mark.parametrize("role", [DISKOMINFO_EDITOR, OPD_EDITOR, EVALUATOR, VIEWER])
def test_only_the_administrator_manages_accounts(role):
    assert not {perm for perm in group_perms(role) if perm.split(".")[0] in {"auth", "axes", "admin"}}
    assert "auth.change_user" in group_perms(ADMINISTRATOR)


def test_viewer_only_reads():
    assert all(perm.split(".")[1].startswith("view_") for perm in group_perms(VIEWER))


def test_only_staff_roles_edit_for_every_agency():
    holders = {role for role in EXPECTED if "pillars.manage_all_agencies" in group_perms(role)}
    assert holders == {ADMINISTRATOR, DISKOMINFO_EDITOR}


def test_evaluator_reads_partnerships_but_not_contacts_or_keys():
    held = group_perms(EVALUATOR)
    assert PARTNERSHIPS_READ <= held
    assert not {"partnerships.view_partnercontact", "partnerships.view_partnerapikey"} & held
