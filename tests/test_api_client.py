"""An integrator's first step works: a client generated from /api/v1/schema/ with openapi-python-client imports
every operation; the schema is one document whatever the UI language; a record read can be written back."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from tests.partnerships.factories import CommitmentFactory
from tests.test_api_contract import live

GENERATOR = Path(sys.executable).parent / "openapi-python-client"


def component_and_enum_names(document: dict) -> set[str]:
    return set(document["components"]["schemas"]) | {
        f"{path} {method} {op['operationId']}"
        for path, item in document["paths"].items()
        for method, op in item.items()
    }


def test_a_generated_client_imports_every_operation(tmp_path):
    if not GENERATOR.exists():
        if os.environ.get("CI"):
            pytest.fail("openapi-python-client is not installed: `make fuzz-install` installs requirements-fuzz.txt")
        pytest.skip("openapi-python-client is not installed: make fuzz-install")
    schema = tmp_path / "openapi.yaml"
    schema.write_text(yaml.safe_dump(live()))
    done = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(schema),
            "--output-path",
            str(tmp_path / "client"),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    modules = sorted(path for path in (tmp_path / "client" / "api").rglob("*.py") if path.name != "__init__.py")
    operations = sum(len(item) for item in live()["paths"].values())
    sys.path.insert(0, str(tmp_path))
    try:
        imported = [importlib.import_module(".".join(m.relative_to(tmp_path).with_suffix("").parts)) for m in modules]
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name == "client" or name.startswith("client.")]:
            del sys.modules[name]
    assert len(modules) == operations  # every operation has its module...
    assert all(hasattr(module, "sync_detailed") for module in imported)  # ...and each one imports (N of N)


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
