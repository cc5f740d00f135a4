"""The API contract (docs/api/openapi-v1.yaml): the live schema is the committed one, and a change that breaks a
client of /api/v1/ needs the version to move or a deprecation note in CHANGELOG (the walk: tests/contract.py)."""

import copy
import re
import subprocess
from functools import cache

import pytest
import yaml
from django.test import override_settings
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from smartcity.api.docs import SCHEMA_LANGUAGE
from tests import contract
from tests.live import ROOT

CONTRACT = ROOT / "docs" / "api" / "openapi-v1.yaml"
REGENERATE = (
    "If the change is deliberate, regenerate the contract with `make schema` and commit docs/api/openapi-v1.yaml."
)


@cache
def live() -> dict:
    with translation.override(SCHEMA_LANGUAGE):
        document = SchemaGenerator().get_schema(request=None, public=True)
    return yaml.safe_load(yaml.safe_dump(document))  # plain types, as the committed file reads


@cache
def committed() -> dict:
    return yaml.safe_load(CONTRACT.read_text())


def released() -> dict | None:
    """The contract as the main branch has it (where this branch started), or None outside a git checkout."""
    base = subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=ROOT, capture_output=True, text=True)
    if base.returncode:
        return None
    shown = subprocess.run(
        ["git", "show", f"{base.stdout.strip()}:docs/api/openapi-v1.yaml"], cwd=ROOT, capture_output=True, text=True
    )
    return yaml.safe_load(shown.stdout) if shown.returncode == 0 else None


def unreleased_notes() -> str:
    text = (ROOT / "CHANGELOG.md").read_text()
    sections = re.findall(r"^## Unreleased.*?$(.*?)(?=^## |\Z)", text, flags=re.MULTILINE | re.DOTALL)
    return "\n".join(sections)  # every "## Unreleased — topic" section


def refused(old: dict, new: dict, notes: str) -> list[contract.Change]:
    """The breaking changes from `old` to `new` that neither a new major version nor a deprecation note allows."""
    if old["info"]["version"].split(".")[0] != new["info"]["version"].split(".")[0]:
        return []
    deprecations = "\n".join(line for line in notes.splitlines() if "deprecat" in line.lower())
    return [change for change in contract.breaking(old, new) if f"`{change.where}`" not in deprecations]


def test_the_live_schema_is_the_committed_contract():
    differences = contract.changes(committed(), live())
    shown = "\n".join(str(change) for change in differences[:30]) or "\n".join(
        contract.differing_places(committed(), live())  # descriptions or examples only
    )
    assert live() == committed(), f"The API schema differs from {CONTRACT.relative_to(ROOT)}:\n{shown}\n{REGENERATE}"


def test_no_breaking_change_since_main_unless_the_version_moves_or_changelog_deprecates_it():
    base = released()
    if base is None:
        pytest.skip("no contract on main to compare with (first contract, or not a git checkout)")
    refusals = refused(base, live(), unreleased_notes())
    assert not refusals, (
        "Breaking changes to /api/v1/ (move SPECTACULAR_SETTINGS VERSION to a new major version, or list each one "
        "as deprecated, in backquotes, under CHANGELOG's Unreleased section):\n" + "\n".join(map(str, refusals))
    )


# --- the classifier itself, on copies of the live schema -----------------------------------------------------------
def test_a_removed_response_field_is_breaking():
    new = copy.deepcopy(live())
    del new["components"]["schemas"]["ProgressReport"]["properties"]["quantity_reached"]

    found = contract.breaking(live(), new)

    assert [str(change) for change in found] == ["BREAKING: ProgressReport.quantity_reached: field removed or renamed"]
    assert refused(live(), new, notes="") == found  # and the guard refuses it


def test_a_deprecation_note_or_a_new_major_version_lets_a_breaking_change_through():
    new = copy.deepcopy(live())
    del new["components"]["schemas"]["ProgressReport"]["properties"]["quantity_reached"]

    assert refused(live(), new, notes="- Deprecated: `ProgressReport.quantity_reached`, use `progress`.\n") == []
    assert refused(live(), new, notes="- `ProgressReport.quantity_reached` was removed.\n") != []  # not a deprecation
    new["info"]["version"] = "2.0.0"
    assert refused(live(), new, notes="") == []


def test_removed_paths_parameters_enum_values_and_new_required_request_fields_are_breaking():
    new = copy.deepcopy(live())
    del new["paths"]["/api/v1/webhook-endpoints/"]
    new["components"]["schemas"]["AssetStatusEnum"]["enum"].remove("down")
    new["components"]["schemas"]["ProgressReportRequest"]["required"].append("note")
    new["paths"]["/api/v1/commitments/"]["get"]["parameters"] = [
        p for p in new["paths"]["/api/v1/commitments/"]["get"]["parameters"] if p["name"] != "limit"
    ]

    found = {(change.where, change.what) for change in contract.breaking(live(), new)}

    assert ("/api/v1/webhook-endpoints/", "path removed or renamed") in found
    assert ("AssetStatusEnum", "enum values removed: ['down']") in found
    assert ("ProgressReportRequest.note", "field now required") in found
    assert ("GET /api/v1/commitments/ parameter limit (query)", "parameter removed") in found


def test_additions_are_not_breaking():
    new = copy.deepcopy(live())
    new["components"]["schemas"]["ProgressReport"]["properties"]["remark"] = {"type": "string"}
    new["components"]["schemas"]["AssetStatusEnum"]["enum"].append("flooded")
    new["paths"]["/api/v1/ping/"] = {"get": {"responses": {"200": {"description": "pong"}}}}

    assert contract.breaking(live(), new) == []
    assert len(contract.changes(live(), new)) == 3


@override_settings(LANGUAGE_CODE="en")
def test_the_served_schema_is_the_contract(client):
    response = client.get("/api/v1/schema/")

    assert yaml.safe_load(response.content) == committed()
