"""Every action (`@action`: readiness, pack, import-responses, ...) answers what the schema says it answers.

An action whose answer is its own record (sign answers the MoU) is checked with the record's endpoints; every other
action's answer is built by hand (readiness gaps, survey tallies, a file's counts), so it is called here and its
body validated against the documented schema. A new action of that kind fails the coverage test until it is here."""

from functools import cache

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator

from tests.evaluations.factories import SurveyResponseFactory
from tests.test_api_battery import ADMINISTRATOR, client_as
from tests.test_api_shape import as_json_schema
from tests.test_permission_matrix import KEY_A, World

pytestmark = pytest.mark.django_db

API = "/api/v1"
AREA_FILE = b"code,name,note\n13.71.04,Padang Selatan,\n13.71.04.1001,Air Manis,\n"


@cache
def document() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def actions() -> dict[str, tuple[str, str, dict]]:
    """operationId -> (path, method, operation) of every action in the schema: a path past the record's own
    (`/api/v1/mous/{slug}/sign/`, `/api/v1/districts/load/`)."""
    found = {}
    for path, item in document()["paths"].items():
        parts = [part for part in path.split("/") if part][2:]  # after api/v1
        if len(parts) == 1 or (len(parts) == 2 and parts[1].startswith("{")):
            continue
        for method, operation in item.items():
            found[operation["operationId"]] = (path, method, operation)
    return found


def answer_ref(operation: dict) -> str | None:
    for code, response in operation["responses"].items():
        if code.startswith("2"):
            return response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
    return None


def record_ref(path: str) -> str | None:
    """The component a detail action's own record reads as (`/mous/{slug}/sign/` -> the retrieve of `/mous/{slug}/`)."""
    record = path.rstrip("/").rpartition("/")[0] + "/"
    return answer_ref(document()["paths"].get(record, {}).get("get", {"responses": {}}))


def hand_built() -> set[str]:
    return {name for name, (path, _, operation) in actions().items() if answer_ref(operation) != record_ref(path)}


def validate(operation_id: str, response) -> None:
    path, method, operation = actions()[operation_id]
    documented = operation["responses"][str(response.status_code)]  # an undocumented status is a KeyError
    [(media, content)] = [(m, c) for m, c in documented["content"].items() if m == "application/json"]
    schema = as_json_schema({**content["schema"], "components": document()["components"]})
    jsonschema.Draft202012Validator(schema).validate(response.json())


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


CASES = {
    "evaluations_readiness_list": lambda w, c: c.get(f"{API}/evaluations/{w.evaluation.slug}/readiness/"),
    "evaluations_pack_create": lambda w, c: c.post(
        f"{API}/evaluations/{w.evaluation.slug}/pack/", {"format": "xlsx"}, format="json"
    ),
    "self_assessments_readiness_retrieve": lambda w, c: c.get(
        f"{API}/self-assessments/{w.self_assessment.pk}/readiness/"
    ),
    "surveys_results_retrieve": lambda w, c: c.get(f"{API}/surveys/{w.survey_response.target.survey.slug}/results/"),
    "survey_targets_import_responses_create": lambda w, c: c.post(
        f"{API}/survey-targets/{w.survey_target.pk}/import-responses/",
        {"file": upload("r.csv", b"respondent,answered_on,q1,q2,q3\nA,2023-06-01,5,4,3\n"), "dry_run": "true"},
        format="multipart",
    ),
    "districts_load_create": lambda w, c: c.post(
        f"{API}/districts/load/", {"file": upload("wilayah.csv", AREA_FILE)}, format="multipart"
    ),
    "assets_geojson_retrieve": lambda w, c: w.asset("a") and c.get(f"{API}/assets/geojson/"),
    "webhook_endpoints_rotate_secret_create": lambda w, c: c.post(
        f"{API}/webhook-endpoints/{w.webhook_endpoint('a').pk}/rotate-secret/", {}, format="json"
    ),
}


ELSEWHERE = {"operated_assets_status_create"}  # a partner's: the last test (operated assets have no record read)


def test_every_action_with_an_answer_of_its_own_is_checked_here():
    assert hand_built() == set(CASES) | ELSEWHERE


@pytest.mark.parametrize("operation_id", sorted(CASES))
def test_the_action_answers_as_documented(operation_id):
    world = World()
    SurveyResponseFactory(target=world.survey_target, answers={"q1": 5, "q2": 4, "q3": 3})  # tallies with a mean
    response = CASES[operation_id](world, client_as(world, ADMINISTRATOR))
    assert 200 <= response.status_code < 300, response.content[:500]
    validate(operation_id, response)
    assert response.json()  # something to judge: not an empty list or object


def test_a_wrong_answer_fails_the_check():
    """The check can fail: a readiness gap without its `blocking` is not what the schema documents."""
    world = World()
    response = CASES["evaluations_readiness_list"](world, client_as(world, ADMINISTRATOR))
    body = response.json()
    dimension = next(dimension for dimension in body if dimension["gaps"])
    del dimension["gaps"][0]["blocking"]
    path, _, operation = actions()["evaluations_readiness_list"]
    content = operation["responses"]["200"]["content"]["application/json"]
    schema = as_json_schema({**content["schema"], "components": document()["components"]})
    with pytest.raises(jsonschema.ValidationError, match="blocking"):
        jsonschema.Draft202012Validator(schema).validate(body)


def test_the_partner_status_action_answers_its_asset():
    world = World()
    asset = world.asset("a")
    response = world.client(KEY_A, for_admin=False).post(
        f"{API}/operated-assets/{asset.pk}/status/", {"status": "down"}, format="json"
    )
    assert response.status_code == 200, response.content[:500]
    validate("operated_assets_status_create", response)
    assert response.json()["status"] == "down"
