"""deploy/backup.sh and deploy/restore.sh: a backup of the demo city plus uploaded files, restored into an
empty new database and empty media folders, holds every row of every table and every file."""

import os
import subprocess
import tarfile
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

from tests.live import ROOT, manage, portal_env

pytestmark = pytest.mark.slow

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ADD_UPLOADS = """
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from evaluations.models import ReportExport
from pillars.models import Masterplan
plan = Masterplan.objects.first()
plan.document.save("rencana-induk.pdf", ContentFile({pdf!r}))
user = User.objects.create_superuser("backup-owner", "owner@example.org", "not-used-here-1")
report = ReportExport.objects.create(year=2024, format="pdf", status="done", requested_by=user)
report.file.save("laporan-2024.pdf", ContentFile({pdf!r}))
print(plan.document.name, report.file.name)
"""


def database_url(name: str) -> str:
    server = settings.DATABASES["default"]
    return f"postgres://{server['USER']}@{server['HOST'] or '127.0.0.1'}:{server['PORT'] or 5432}/{name}"


def connect(name: str):
    server = settings.DATABASES["default"]
    return psycopg2.connect(
        dbname=name, user=server["USER"], password=server["PASSWORD"], host=server["HOST"], port=server["PORT"]
    )


def postgres(*command: str) -> None:
    server = settings.DATABASES["default"]
    env = portal_env(PGHOST=server["HOST"] or "127.0.0.1", PGPORT=str(server["PORT"] or 5432), PGUSER=server["USER"])
    subprocess.run(command, env=env, check=True, capture_output=True)


def snapshot(name: str) -> dict[str, tuple]:
    """Per table: the row count and a checksum of every row; per sequence: its last value."""
    with connect(name) as connection, connection.cursor() as cursor:
        cursor.execute("select tablename from pg_tables where schemaname = 'public' order by tablename")
        tables = [row[0] for row in cursor.fetchall()]
        state = {}
        for table in tables:
            cursor.execute(
                f"select count(*), md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) from \"{table}\" t"  # noqa: S608 - names from pg_tables
            )
            state[table] = cursor.fetchone()
        cursor.execute("select sequencename, last_value from pg_sequences where schemaname = 'public'")
        state |= {f"sequence {name}": (value,) for name, value in cursor.fetchall()}
    connection.close()
    return state


def portal(tmp: Path, database: str) -> dict[str, str]:
    return portal_env(
        DATABASE_URL=database_url(database),
        REDIS_URL=None,  # tasks run in-process; nothing of this test lands in the shared Redis
        DJANGO_VAR_DIR=str(tmp),
        DJANGO_MEDIA_ROOT=str(tmp / "media"),
        DJANGO_PRIVATE_MEDIA_ROOT=str(tmp / "private"),
        DJANGO_OPEN_DATA_ROOT=str(tmp / "open-data"),
    )


def run(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(ROOT / "deploy" / script), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def databases():
    """Two fresh database names on the test server (source and target), dropped afterwards."""
    suffix = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
    names = (f"kc_backup_source_{suffix}", f"kc_backup_target_{suffix}")
    yield names
    for name in names:
        postgres("dropdb", "--if-exists", "--force", name)


def test_backup_restores_every_row_and_file_into_an_empty_database(tmp_path, databases):
    source, target = databases
    source_dir, target_dir = tmp_path / "source", tmp_path / "target"
    source_dir.mkdir(), target_dir.mkdir()
    env = portal(source_dir, source)
    postgres("createdb", source)
    for command in (["migrate", "--noinput"], ["load_demo"]):
        assert manage(*command, env=env).returncode == 0
    uploaded = manage("shell", "--no-imports", "-c", ADD_UPLOADS.format(pdf=PDF), env=env)
    assert uploaded.returncode == 0, uploaded.stderr
    public_name, private_name = uploaded.stdout.split()

    archive = tmp_path / "kota-cerdas.tar.gz"
    backup = run("backup.sh", str(archive), env=env)
    assert backup.returncode == 0, backup.stderr
    with tarfile.open(archive) as contents:
        names = contents.getnames()
    assert {"backup/database.dump", "backup/MANIFEST", f"backup/media/{public_name}"} <= set(names)

    postgres("createdb", target)  # empty: no migrations, no tables
    restore = run("restore.sh", str(archive), env=portal(target_dir, target))
    assert restore.returncode == 0, restore.stderr
    assert "cache cleared" in restore.stdout  # no answer of the state before the restore is served

    before, after = snapshot(source), snapshot(target)
    assert after == before
    assert before["pillars_program"][0] > 0 and before["partnerships_mou"][0] > 0  # the demo city is in there
    assert before["evaluations_reportexport"][0] == 1
    with connect(target) as connection, connection.cursor() as cursor:
        cursor.execute("select document from pillars_masterplan where document <> ''")
        assert cursor.fetchall() == [(public_name,)]
        cursor.execute("select username, is_superuser from auth_user where username = 'backup-owner'")
        assert cursor.fetchall() == [("backup-owner", True)]
    connection.close()
    assert (target_dir / "media" / public_name).read_bytes() == PDF
    assert (target_dir / "private" / private_name).read_bytes() == PDF


def test_restore_refuses_a_database_that_holds_tables(tmp_path, databases):
    source, target = databases
    env = portal(tmp_path, source)
    postgres("createdb", source)
    assert manage("migrate", "--noinput", env=env).returncode == 0
    archive = tmp_path / "backup.tar.gz"
    assert run("backup.sh", str(archive), env=env).returncode == 0

    restore = run("restore.sh", str(archive), env=env)  # back into the live source database

    assert restore.returncode == 1
    assert "restore only into an empty database" in restore.stderr
