"""The production environment passes Django's deployment checklist, and logs are JSON lines."""

import json
import subprocess
import sys

from tests.live import ROOT, portal_env

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "p" * 20 + "-production-like-secret-key-0123456789",
    "DJANGO_ALLOWED_HOSTS": "smartcity.example.go.id",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_BEHIND_PROXY": "true",
}


def test_check_deploy_is_clean_under_the_production_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=portal_env(**PRODUCTION),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_logs_are_json_lines():
    result = subprocess.run(
        [sys.executable, "-c", "import django, logging; django.setup(); logging.getLogger('smartcity').warning('x')"],
        cwd=ROOT,
        env=portal_env(DJANGO_SETTINGS_MODULE="smartcity.settings"),
        capture_output=True,
        text=True,
    )
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert (line["level"], line["logger"], line["message"]) == ("WARNING", "smartcity", "x")
