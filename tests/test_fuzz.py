"""CI's bounded run of the outside fuzzer (deploy/fuzz.py --bounded, about two minutes of fuzzing): schemathesis with
every check (`--checks all`) against /api/v1/schema/ on a live gunicorn with the production settings, as anonymous,
staff and partner callers."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.live import ROOT, free_port

pytestmark = pytest.mark.slow


def test_fuzzer_finds_no_server_error_and_no_answer_that_breaks_the_schema():
    if not (Path(sys.executable).parent / "st").exists():
        if os.environ.get("CI"):
            pytest.fail("schemathesis is not installed: `make test` installs requirements-fuzz.txt")
        pytest.skip("schemathesis is not installed: make fuzz-install")
    server = settings.DATABASES["default"]
    database = f"kc_fuzz_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    host, port = server["HOST"] or "127.0.0.1", server["PORT"] or 5432
    command = [
        sys.executable,
        "deploy/fuzz.py",
        "--bounded",
        f"--database={database}",
        f"--pg-host={host}",
        f"--pg-port={port}",
        f"--redis-url={settings.REDIS_URL}",
        f"--port={free_port()}",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=400)
    report = json.loads(done.stdout[done.stdout.index("{") :]) if "{" in done.stdout else {}
    try:
        assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
        assert set(report["runs"]) == {"anonymous", "staff", "partner"}
        for name, result in report["runs"].items():
            assert result["operations_tested"] > 100, name  # every operation of the document was reached
            assert result["failures"] == {}, name
        assert report["server_errors_logged"] == 0
    finally:
        subprocess.run(
            ["dropdb", "--if-exists", "--force", database],
            env={**os.environ, "PGHOST": host, "PGPORT": str(port), "PGUSER": server["USER"]},
            capture_output=True,
            check=False,
        )
