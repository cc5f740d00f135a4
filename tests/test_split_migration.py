"""The split of evaluations into evaluations, frameworks and federation (issue 24) moves no data: migrated forward from
the last migration before it and backward again, the rows, their history, the constraints, the permissions held by
groups and users and the admin log all survive, on the test database, in its transaction (PostgreSQL rolls the DDL
back with it). The same round trip was run on a copy of main's database with the demo city (see CHANGELOG)."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db

BEFORE = [("evaluations", "0018_frameworks_reference")]
MOVED = {
    "frameworks": ["framework", "frameworkdomain", "frameworkaspect", "frameworkindicator", "frameworklevel",
                   "frameworkband", "selfassessment", "selfassessmentscore", "selfassessmentevidence",
                   "externalindex", "externalindexvalue", "historicalframework", "historicalselfassessment"],
    "federation": ["followedportal", "portalsnapshot", "historicalfollowedportal"],
}  # fmt: skip
TABLES = [f"evaluations_{model}" for models in MOVED.values() for model in models]
CONSTRAINTS = ("framework_levels", "frameworkband_range", "selfassessmentscore_one_each", "externalindexvalue_rank")


def migrate(targets):
    """Migrate the test database to `targets`; the models of the state there (rendering every app's state is slow:
    only the targets and what they depend on)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check pending across an ALTER TABLE
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor.loader.project_state(targets).apps


def counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        found = {}
        for table in TABLES:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - our own table names
            found[table] = cursor.fetchone()[0]
        return found


def constraint_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint WHERE conname ~ '^(evaluations|frameworks)_'")
        return {row[0] for row in cursor.fetchall()}


def held(app_label: str) -> dict[str, set[str]]:
    """{holder: {codename}} of the moved models' permissions held by the test's group and user, under `app_label`."""
    rows = Permission.objects.filter(content_type__app_label=app_label, content_type__model__in=sum(MOVED.values(), []))
    return {
        "group": set(rows.filter(group__name="Penilai uji").values_list("codename", flat=True)),
        "user": set(rows.filter(user__username="tamu-uji").values_list("codename", flat=True)),
    }


def seed(old):
    """A framework with its structure, a self-assessment with a score and evidence, an index edition, a followed
    portal with a snapshot, a history row each, a group and a user holding the moved models' permissions, and an
    admin log entry about the framework: everything in the state before the split."""
    get = old.get_model
    framework = get("evaluations", "Framework").objects.create(
        slug="spbe-uji", name_id="SPBE uji", issuing_body="KemenPANRB", source="PermenPANRB 59/2020"
    )
    domain = get("evaluations", "FrameworkDomain").objects.create(framework=framework, code="d", name_id="D")
    aspect = get("evaluations", "FrameworkAspect").objects.create(framework=framework, domain=domain, code="a")
    indicator = get("evaluations", "FrameworkIndicator").objects.create(
        framework=framework, aspect=aspect, number=1, name_id="I", weight=Decimal("100")
    )
    get("evaluations", "FrameworkLevel").objects.create(framework=framework, level=3, name_id="Terdefinisi")
    get("evaluations", "FrameworkBand").objects.create(framework=framework, label_id="Baik", lower=2, upper=4)
    assessment = get("evaluations", "SelfAssessment").objects.create(framework=framework, year=2024)
    score = get("evaluations", "SelfAssessmentScore").objects.create(
        assessment=assessment, indicator=indicator, self_level=3
    )
    get("evaluations", "SelfAssessmentEvidence").objects.create(score=score, file="framework-evidence/a.pdf")
    index = get("evaluations", "ExternalIndex").objects.create(slug="ikci-uji", name_id="IKCI", scale_max=100)
    get("evaluations", "ExternalIndexValue").objects.create(index=index, year=2018, value=Decimal("58.20"), rank=41)
    portal = get("evaluations", "FollowedPortal").objects.create(name="Kota Solok", base_url="https://solok.test/")
    get("evaluations", "PortalSnapshot").objects.create(portal=portal, read_at=timezone.now(), ok=True, data={"a": 1})
    for model, row in (("Framework", framework), ("SelfAssessment", assessment), ("FollowedPortal", portal)):
        fields = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
        get("evaluations", f"Historical{model}").objects.create(**fields, history_date=timezone.now(), history_type="+")

    permission, content_type = Permission, ContentType
    group = Group.objects.create(name="Penilai uji")
    codenames = ["change_framework", "assess_selfassessment", "view_externalindexvalue", "view_historicalframework"]
    group.permissions.add(*permission.objects.filter(content_type__app_label="evaluations", codename__in=codenames))
    user = get_user_model().objects.create(username="tamu-uji")
    user.user_permissions.add(
        permission.objects.get(content_type__app_label="evaluations", codename="add_followedportal")
    )
    framework_type = content_type.objects.get(app_label="evaluations", model="framework")
    LogEntry.objects.create(
        user=user, content_type=framework_type, object_id=str(framework.pk), object_repr="SPBE uji", action_flag=2
    )
    return framework, framework_type.pk


def test_the_split_moves_models_without_data_loss_forward_and_backward():
    from federation.models import PortalSnapshot
    from frameworks.models import Framework, SelfAssessmentScore

    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    framework, framework_type = seed(migrate(BEFORE))
    before_counts, before_held = counts(), held("evaluations")
    assert all(before_counts.values()), before_counts  # every moved table has a row to keep
    assert before_held == {
        "group": {"change_framework", "assess_selfassessment", "view_externalindexvalue", "view_historicalframework"},
        "user": {"add_followedportal"},
    }
    assert {f"evaluations_{name}" for name in CONSTRAINTS} <= constraint_names()

    migrate(latest)  # forward: the models are now frameworks' and federation's (read with today's models)
    assert counts() == before_counts
    moved = Framework.objects.get(slug="spbe-uji")
    assert (moved.pk, moved.source, moved.indicators.get().weight) == (framework.pk, "PermenPANRB 59/2020", 100)
    assert moved.history.get().slug == "spbe-uji"
    assert SelfAssessmentScore.objects.get().indicator.framework_id == framework.pk
    assert PortalSnapshot.objects.get().portal.name == "Kota Solok"
    assert held("frameworks")["group"] | held("federation")["group"] == before_held["group"]
    assert held("federation")["user"] == before_held["user"]
    user = get_user_model().objects.get(username="tamu-uji")
    assert user.has_perm("federation.add_followedportal") and not user.has_perm("evaluations.add_followedportal")
    assert ContentType.objects.get(pk=framework_type).app_label == "frameworks"  # same id: the admin log follows
    assert ContentType.objects.get_for_model(Framework).pk == framework_type
    assert not ContentType.objects.filter(app_label="evaluations", model__in=sum(MOVED.values(), [])).exists()
    assert LogEntry.objects.get().get_edited_object() == moved
    names = constraint_names()
    assert {f"frameworks_{name}" for name in CONSTRAINTS} <= names
    assert not {f"evaluations_{name}" for name in CONSTRAINTS} & names

    old = migrate(BEFORE)  # backward: back in evaluations, nothing lost either way (the transaction ends it)
    assert counts() == before_counts and held("evaluations") == before_held
    assert old.get_model("evaluations", "Framework").objects.get(slug="spbe-uji").pk == framework.pk
    assert ContentType.objects.get(pk=framework_type).app_label == "evaluations"
    assert {f"evaluations_{name}" for name in CONSTRAINTS} <= constraint_names()
    ContentType.objects.clear_cache()


def test_a_content_type_made_under_the_new_label_first_gives_way():
    """A post-migrate step may have made the content type under the new label before the move ran: the moved one keeps
    its id and the permissions its holders had, the early one's holders get the moved type's permission of the same
    codename, and the early one is removed."""
    from django.apps import apps

    from smartcity.migration_tools import move_content_types

    moving = ContentType.objects.create(app_label="oldapp", model="thing")
    kept = Permission.objects.create(content_type=moving, codename="change_thing", name="Can change")
    early = ContentType.objects.create(app_label="newapp", model="thing")
    early_change = Permission.objects.create(content_type=early, codename="change_thing", name="Can change")
    fresh = Permission.objects.create(content_type=early, codename="fresh_thing", name="A new one")
    group = Group.objects.create(name="Awal")
    group.permissions.add(early_change)

    move_content_types(apps, old="oldapp", new="newapp", models=["thing", "absent"])
    assert not ContentType.objects.filter(pk=early.pk).exists()
    assert ContentType.objects.get(pk=moving.pk).app_label == "newapp"
    assert list(group.permissions.all()) == [kept]
    assert Permission.objects.get(pk=fresh.pk).content_type_id == moving.pk
