"""`collectstatic` publishes the files the pages load and nothing more of the vendored packages (issue 24): every
file a template names with `{% static %}` is there after a collect into a manifest storage (which also fails on a
stylesheet image or a source map that a published file names but is not published), and every published file of
npm's packages and of the Swagger UI package is one a template names or a published file names."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.live import ROOT, manage, portal_env

STATIC_TAG = re.compile(r"""\{%\s*static\s+["']([^"']+)["']""")
VENDORED = ("vendor/", "drf_spectacular_sidecar/")


def template_references() -> set[str]:
    return {
        name for template in (ROOT / "templates").rglob("*.html") for name in STATIC_TAG.findall(template.read_text())
    }


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("static")
    env = portal_env(
        DJANGO_STATIC_ROOT=str(root),
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    )
    result = manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    assert result.returncode == 0, result.stderr  # a file named by a published stylesheet or script is missing
    return root


def test_every_file_a_template_names_is_collected(collected):
    references = template_references()
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    assert {name for name in references if name.startswith(VENDORED)}, "the check would check no vendored file"
    assert references - set(manifest) == set()
    assert all((collected / manifest[name]).is_file() for name in references)


def test_only_the_vendored_files_the_pages_load_are_collected(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    vendored = {name for name in manifest if name.startswith(VENDORED)}
    named_by_a_file = {
        name
        for name in vendored
        for other in vendored - {name}
        if Path(name).name in (collected / other).read_text(errors="replace")
        and Path(other).parent in (Path(name).parent, Path(name).parent.parent)
    }
    assert vendored - template_references() - named_by_a_file == set()
    declared = {f"{prefix}/{name}" for prefix, _root, names in settings.VENDOR_STATIC_FILES for name in names}
    assert vendored == declared
