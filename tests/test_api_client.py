"""An integrator's first step works: a client generated from /api/v1/schema/ with openapi-python-client imports
every operation; the schema is one document whatever the UI language; a record read can be written back."""

import contextlib
import datetime
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from partnerships.models import ProgressReport
from tests.live import free_port, portal_env, serve, served_database_url
from tests.partnerships.factories import CommitmentFactory, MoUFactory, PartnerFactory, make_key
from tests.pillars.factories import InfrastructureAssetFactory
from tests.test_api_contract import live

GENERATOR = Path(sys.executable).parent / "openapi-python-client"


def component_and_enum_names(document: dict) -> set[str]:
    return set(document["components"]["schemas"]) | {
        f"{path} {method} {op['operationId']}"
        for path, item in document["paths"].items()
        for method, op in item.items()
    }


def generate_client(directory: Path, package: str) -> Path:
    """A client generated from the live schema, as an integrator makes one, in `directory`/`package`."""
    if not GENERATOR.exists():
        if os.environ.get("CI"):
            pytest.fail("openapi-python-client is not installed: `make fuzz-install` installs requirements-fuzz.txt")
        pytest.skip("openapi-python-client is not installed: make fuzz-install")
    schema = directory / "openapi.yaml"
    schema.write_text(yaml.safe_dump(live()))
    done = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(schema),
            "--output-path",
            str(directory / package),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return directory / package


@contextlib.contextmanager
def importable(directory: Path, package: str):
    sys.path.insert(0, str(directory))
    try:
        yield
    finally:
        sys.path.remove(str(directory))
        for name in [name for name in sys.modules if name == package or name.startswith(f"{package}.")]:
            del sys.modules[name]


def test_a_generated_client_imports_every_operation(tmp_path):
    root = generate_client(tmp_path, "kc_client")
    modules = sorted(path for path in (root / "api").rglob("*.py") if path.name != "__init__.py")
    operations = sum(len(item) for item in live()["paths"].values())
    with importable(tmp_path, "kc_client"):
        imported = [importlib.import_module(".".join(m.relative_to(tmp_path).with_suffix("").parts)) for m in modules]
    assert len(modules) == operations  # every operation has its module...
    assert all(hasattr(module, "sync_detailed") for module in imported)  # ...and each one imports (N of N)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the served portal reads committed rows
def test_a_partner_system_works_through_the_generated_client(tmp_path):
    partner = PartnerFactory()
    mou = MoUFactory(party__partner=partner)
    commitments = CommitmentFactory.create_batch(3, mou=mou)
    CommitmentFactory(mou=MoUFactory())  # another partner's, published: the filter leaves it out
    asset = InfrastructureAssetFactory(kind="tower", operator=partner)
    key = make_key(partner)[1]
    generate_client(tmp_path, "kc_partner")
    env = portal_env(DATABASE_URL=served_database_url(), WEBHOOK_ALLOW_LOOPBACK="true")
    with serve(env) as base, importable(tmp_path, "kc_partner"):
        answers = partner_walk(base, key, mou=mou.pk, commitment=commitments[0].pk, asset=asset.pk)

    assert answers["first_page"] == (2, True) and answers["second_page"] >= 1
    assert answers["filtered"] == {c.pk for c in commitments}
    assert answers["reported"] == 201 and answers["registered"] == (201, True)
    assert answers["operated"] == [asset.pk] and answers["status"] == (200, "down")
    asset.refresh_from_db()
    assert asset.status == "down"
    assert ProgressReport.objects.filter(commitment=commitments[0], quantity_reached=30).exists()


def partner_walk(base: str, key: str, *, mou: int, commitment: int, asset: int) -> dict:
    """What an integrator writes first, with the generated client only: list, page, filter, report, register, set."""
    from kc_partner import AuthenticatedClient
    from kc_partner.api.commitments import commitments_list
    from kc_partner.api.operated_assets import operated_assets_list, operated_assets_status_create
    from kc_partner.api.progress_reports import progress_reports_create
    from kc_partner.api.webhook_endpoints import webhook_endpoints_create
    from kc_partner.models import (
        AssetStatusEnum,
        AssetStatusRequest,
        ProgressReportRequest,
        WebhookEndpointWithSecretRequest,
        WebhookEventEnum,
    )

    client = AuthenticatedClient(base_url=base, token=key, prefix="Api-Key", raise_on_unexpected_status=True)
    first = commitments_list.sync(client=client, limit=2)
    second = commitments_list.sync(client=client, limit=2, offset=2)
    filtered = commitments_list.sync(client=client, mou_id=[mou])
    report = ProgressReportRequest(commitment=commitment, reported_on=datetime.date.today(), quantity_reached="30")
    reported = progress_reports_create.sync_detailed(client=client, body=report)
    hook = WebhookEndpointWithSecretRequest(
        url=f"http://127.0.0.1:{free_port()}/hooks", events=[WebhookEventEnum("commitment.progress_reported")]
    )
    registered = webhook_endpoints_create.sync_detailed(client=client, body=hook)
    operated = operated_assets_list.sync(client=client)
    status = operated_assets_status_create.sync_detailed(
        asset, client=client, body=AssetStatusRequest(status=AssetStatusEnum("down"))
    )
    return {
        "first_page": (len(first.results), bool(first.next_)),
        "second_page": len(second.results),
        "filtered": {row.id for row in filtered.results},
        "reported": reported.status_code,
        "registered": (registered.status_code, registered.parsed.secret.startswith("whsec_")),
        "operated": [row.id for row in operated.results],
        "status": (status.status_code, status.parsed.status.value),
    }


@pytest.mark.django_db
def test_the_schema_is_one_document_whatever_the_ui_language(client):
    english = client.get("/api/v1/schema/", HTTP_ACCEPT_LANGUAGE="en").content
    indonesian = client.get("/api/v1/schema/", HTTP_ACCEPT_LANGUAGE="id").content
    asked = client.get("/api/v1/schema/?lang=en").content
    client.cookies["django_language"] = "id"
    with_cookie = client.get("/api/v1/schema/").content

    assert english == indonesian == asked == with_cookie
    translated = yaml.safe_load(client.get("/api/v1/schema/?lang=id").content)
    assert component_and_enum_names(translated) == component_and_enum_names(yaml.safe_load(english))
    assert "title" not in yaml.safe_dump(translated["components"]["schemas"]["ProgressReport"])


@pytest.mark.django_db
def test_a_record_read_is_written_back_as_it_was_read(api_client, make_user):
    api_client.force_authenticate(make_user(is_superuser=True))
    commitment = CommitmentFactory()
    url = reverse("partnerships-api:commitment-detail", args=[commitment.pk])
    body = api_client.get(url).json()

    response = api_client.put(url, body, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["id"] == commitment.pk


@pytest.mark.django_db
def test_a_read_only_field_with_another_value_is_a_400_naming_it(api_client, make_user):
    api_client.force_authenticate(make_user(is_superuser=True))
    commitment = CommitmentFactory()
    url = reverse("partnerships-api:commitment-detail", args=[commitment.pk])
    body = api_client.get(url).json()

    response = api_client.put(
        url, {**body, "id": commitment.pk + 1, "updated_at": "2020-01-01T00:00:00Z"}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"id", "updated_at"}
    commitment.refresh_from_db()
    assert str(commitment.updated_at.year) != "2020"
