"""Official reference data of the national frameworks and external indices (issue 25), each fact checked against the
figure ../shared/DOMAIN.md cites and carrying its source: SPBE's weights, bands and level names (PermenPANRB
59/2020), the IKCI's two editions, the national EGDI and GTMI shown as the country's value, the survey minimum as the
scheme's setting, and the framework file door (all or nothing)."""

import importlib
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from evaluations.models import EvaluationScheme
from evaluations.readiness import blocking_gaps
from frameworks import demo as framework_demo
from frameworks.models import ExternalIndex, ExternalIndexValue, Framework, FrameworkIndicator, SelfAssessmentScore
from frameworks.services import framework_file, framework_load
from smartcity.roles import DISKOMINFO_EDITOR
from tests.evaluations.factories import (
    EvaluationFactory,
    EvaluationSchemeFactory,
    LegalInstrumentFactory,
    SurveyResponseFactory,
    SurveyTargetFactory,
)
from tests.factories import UserFactory

from .factories import ExternalIndexFactory, ExternalIndexValueFactory, FrameworkFactory, SelfAssessmentFactory

pytestmark = pytest.mark.django_db

REGULATION = "Nomor 59 Tahun 2020"
SPBE = framework_file("spbe-2020")
INDICATORS = {i["number"]: i for d in SPBE["domains"] for a in d["aspects"] for i in a["indicators"]}


def role(name):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=name))
    return user


def cites_the_regulation(row: dict) -> bool:
    return row["source_verified"] is True and REGULATION in row["source"]


@pytest.fixture
def spbe():
    call_command("load_framework", "spbe-2020", stdout=io.StringIO())
    return Framework.objects.get(slug="spbe-2020")


# --- SPBE (PermenPANRB 59/2020) --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("first", "last", "weight"),
    [(1, 10, "1.30"), (11, 20, "2.50"), (21, 31, "1.50"), (32, 41, "2.75"), (42, 47, "3.00")],
)
def test_spbe_indicator_weights_by_range_are_verified_with_their_source(first, last, weight):
    rows = [INDICATORS[number] for number in range(first, last + 1)]
    assert {Decimal(row["weight"]) for row in rows} == {Decimal(weight)}
    assert all(cites_the_regulation(row) and "2,34 Cukup" in row["source"] for row in rows)


def test_spbe_has_47_indicators_whose_domain_weights_are_13_25_16_5_45_5(spbe):
    assert sorted(INDICATORS) == list(range(1, 48))
    by_domain = {d["code"]: sum(Decimal(i["weight"]) for a in d["aspects"] for i in a["indicators"])
                 for d in SPBE["domains"]}  # fmt: skip
    assert list(by_domain.values()) == [Decimal(13), Decimal(25), Decimal("16.5"), Decimal("45.5")]
    loaded = {code: sum(i.weight for i in spbe.indicators.filter(aspect__domain__code=code)) for code in by_domain}
    assert loaded == by_domain
    assert spbe.source_verified and REGULATION in spbe.source
    assert all(i.source_verified and "13 / 25 / 16,5 / 45,5" in i.source for i in spbe.indicators.all())


SPBE_BANDS = [("Kurang", "1.00", "1.79"), ("Cukup", "1.80", "2.59"), ("Baik", "2.60", "3.49"),
              ("Sangat Baik", "3.50", "4.19"), ("Memuaskan", "4.20", "5.00")]  # fmt: skip


def test_spbe_bands_are_the_published_predicates_verified_with_their_source(spbe):
    assert [(b["label_ind"], b["lower"], b["upper"]) for b in SPBE["bands"]] == SPBE_BANDS
    assert all(cites_the_regulation(b) and "Kurang < 1,8" in b["source"] for b in SPBE["bands"])
    stored = [(b.label_ind, f"{b.lower:.2f}", f"{b.upper:.2f}", b.source_verified) for b in spbe.bands.all()]
    assert stored == [(*band, True) for band in SPBE_BANDS]


@pytest.mark.parametrize(("index", "predicate"), [("2.34", "Cukup"), ("3.12", "Baik")])  # national 2022, 2024
def test_the_published_national_spbe_results_fall_in_their_published_predicate(index, predicate):
    band = next(b for b in SPBE["bands"] if Decimal(b["lower"]) <= Decimal(index) <= Decimal(b["upper"]))
    assert band["label_ind"] == predicate and index.replace(".", ",") in band["source"]


def test_spbe_level_names_are_data_of_the_framework_verified_with_their_source(spbe):
    names = ["Rintisan", "Terkelola", "Terdefinisi", "Terpadu dan Terukur", "Optimum"]
    assert [(lv["level"], lv["name_ind"]) for lv in SPBE["levels"]] == list(enumerate(names, start=1))
    assert all(cites_the_regulation(level) for level in SPBE["levels"])
    assert [(lv.level, lv.name_ind, lv.source_verified) for lv in spbe.levels.all()] == [
        (n, name, True) for n, name in enumerate(names, start=1)
    ]


def test_the_criteria_per_level_are_not_yet_filled_and_the_page_says_so(spbe, client):
    assert all(row["level_criteria"] == {} for row in INDICATORS.values())
    assert any("NOT YET FILLED" in note and "level_criteria" in note for note in SPBE["_verification"])
    Framework.objects.filter(pk=spbe.pk).update(publication="published")
    SelfAssessmentFactory(framework=spbe, year=2024)
    html = client.get(f"/en/evaluations/frameworks/{spbe.slug}/").content.decode()
    assert html.count("Not yet filled.") == 47 and "Rintisan" in html and "not verified" not in html


def test_indicators_45_to_47_take_the_sector_the_city_names_each_year(spbe, api_client):
    assert sorted(n for n, row in INDICATORS.items() if row["named_by_assessee"]) == [45, 46, 47]
    assessment = SelfAssessmentFactory(framework=spbe, year=2024)
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    url = reverse("evaluations-api:selfassessment-detail", args=[assessment.pk])
    refused = api_client.patch(url, {"scores": [{"indicator": 44, "subject": "Kesehatan"}]}, format="json")
    assert refused.status_code == 400 and not SelfAssessmentScore.objects.exists()
    named = api_client.patch(url, {"scores": [{"indicator": 45, "self_level": 3, "subject": "Kesehatan"}]},
                             format="json")  # fmt: skip
    assert named.status_code == 200, named.data
    assert assessment.scores.get(indicator__number=45).subject == "Kesehatan"
    readiness = api_client.get(reverse("evaluations-api:selfassessment-readiness", args=[assessment.pk])).data
    missing = {row["indicator"]: row["missing"] for row in readiness["indicators"]}
    assert "subject" in missing[46] and "subject" not in missing[45] and "subject" not in missing[44]


# --- External indices: editions, peer groups, level ratings, national context -------------------------------------
@pytest.fixture
def demo(spbe):
    framework_demo.load()


def test_the_ikci_has_only_its_2015_and_2018_editions_ranked_in_a_peer_group_with_no_bands(demo):
    ikci = ExternalIndex.objects.get(slug="ikci")
    assert (ikci.scope, ikci.kind, ikci.publishes_bands) == ("city", "score", False)
    assert ikci.source and not ikci.source_verified and "Kompas" in ikci.source
    editions = list(ikci.editions.order_by("year"))
    assert [e.year for e in editions] == [2015, 2018]
    assert all(e.peer_group_ind.startswith("kota besar") and e.rank and e.ranked_among for e in editions)
    assert all(not e.band_ind and not e.source_verified and "demo" in e.source for e in editions)


def test_an_ikci_edition_with_a_band_is_refused(demo, api_client):
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    ikci = ExternalIndex.objects.get(slug="ikci")
    data = {"index": ikci.pk, "year": 2021, "value": "60", "band_ind": "Baik"}
    response = api_client.post(reverse("evaluations-api:externalindexvalue-list"), data, format="json")
    assert response.status_code == 400 and "band_ind" in response.data["errors"]
    assert sorted(ikci.editions.values_list("year", flat=True)) == [2015, 2018]


def test_the_rkci_is_a_level_rating_that_stores_a_level_not_a_score(demo, api_client):
    rkci = ExternalIndex.objects.get(slug="rkci")
    assert rkci.kind == "level" and rkci.source and not rkci.source_verified
    assert [(e.level, e.value, e.source_verified) for e in rkci.editions.all()] == [(3, None, False)]
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    url = reverse("evaluations-api:externalindexvalue-list")
    for data in ({"value": "3"}, {"level": 6}):
        response = api_client.post(url, {"index": rkci.pk, "year": 2021, **data}, format="json")
        assert response.status_code == 400, data
    assert rkci.editions.count() == 1


@pytest.mark.parametrize("slug", ["egdi", "gtmi"])
def test_egdi_and_gtmi_are_national_and_never_shown_as_the_citys_own_value(demo, client, slug):
    index = ExternalIndex.objects.get(slug=slug)
    assert index.scope == "national" and index.source and not index.source_verified
    assert all(not e.source_verified and e.source for e in index.editions.all())
    html = client.get(f"/en/evaluations/indices/{slug}/").content.decode()
    assert 'id="national-context"' in html and "Indonesia's values, not the city's" in html
    assert "Indonesia's value</th>" in html and ">Score<" not in html and "not verified" in html
    listing = client.get("/en/evaluations/frameworks/").content.decode()
    line = next(li for li in listing.split("<li>") if f"/indices/{slug}/" in li)
    assert "Indonesia's value, not the city's" in line and "not verified" in line


def test_an_unverified_edition_is_marked_on_the_public_page_in_indonesian(demo, client):
    html = client.get("/evaluations/indices/ikci/").content.decode()
    assert html.count(">belum terverifikasi</mark>") == 3  # the index's source and both editions
    assert "kota besar, 500 ribu–1 juta jiwa" in html and "Predikat" not in html


def test_the_data_migration_moves_existing_rows_to_sourced_editions_and_indicators():
    framework = FrameworkFactory(source="PermenPANRB 59/2020")
    FrameworkIndicator.objects.filter(framework=framework, number=1).update(source_verified=True, source="")
    banded = ExternalIndexFactory()
    kept = ExternalIndexValueFactory(index=banded, year=2019, value=Decimal("61.25"), rank=20, ranked_among=98,
                                     source_url="https://example.org/ikci", band_ind="Baik")  # fmt: skip
    plain = ExternalIndexValueFactory(year=2020)
    migration = importlib.import_module("evaluations.migrations.0018_frameworks_reference")
    # the models as the migration knew them (in evaluations, before issue 24 moved them): the same tables, their
    # columns named as then (frameworks 0002 renamed the Indonesian texts `_ind`), in the test's transaction
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([("frameworks", "0001_initial")])
    state = executor.loader.project_state([("evaluations", "0018_frameworks_reference")])
    migration.forward(state.apps, None)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    indicator = framework.indicators.get(number=1)
    assert indicator.source_verified and indicator.source == "PermenPANRB 59/2020"
    assert framework.indicators.get(number=2).source == ""  # unverified rows claim no source
    kept.refresh_from_db()
    assert (kept.value, kept.rank, kept.ranked_among, kept.band_ind) == (Decimal("61.25"), 20, 98, "Baik")
    assert kept.source == "https://example.org/ikci" and not kept.source_verified
    assert ExternalIndex.objects.get(pk=banded.pk).publishes_bands
    assert not ExternalIndex.objects.get(pk=plain.index_id).publishes_bands


# --- Names: GM-DTGI does not exist, and the SPBE's successor is the Indeks Pemdi ----------------------------------
ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("evaluations", "frameworks", "federation", "pillars", "partnerships", "smartcity", "templates", "static",
           "locale", "README.md", "CHANGELOG.md", "tests")  # fmt: skip
WRONG = re.compile(r"GM-DTGI|\bIPD\b", re.IGNORECASE)


def test_no_wrong_index_name_appears_in_code_templates_or_data():
    this = Path(__file__).resolve()
    found = []
    for top in SCANNED:
        paths = [ROOT / top] if (ROOT / top).is_file() else (ROOT / top).rglob("*")
        for path in paths:
            if path == this or not path.is_file() or path.suffix in (".mo", ".pyc", ".png", ".jpg", ".woff2"):
                continue
            text = path.read_text(encoding="utf-8", errors="ignore")
            found += [f"{path.relative_to(ROOT)}: {m.group()}" for m in WRONG.finditer(text)]
    assert found == []


# --- The survey minimum: a setting of the year's scheme ----------------------------------------------------------
def test_the_survey_minimum_is_the_schemes_setting_defaulting_to_the_offices_convention():
    field = EvaluationScheme._meta.get_field("min_survey_responses")
    with translation.override("en"):
        assert field.default == 50 and "no official source" in str(field.help_text)
    evaluation = EvaluationFactory(scheme=EvaluationSchemeFactory(year=2023), stage="stage_1")
    LegalInstrumentFactory(year=2023, kind="regulation")
    LegalInstrumentFactory(year=2023, kind="decree")
    SurveyResponseFactory.create_batch(3, target=SurveyTargetFactory(survey__year=2023))
    assert [gap.dimension for gap in blocking_gaps(evaluation=evaluation)] == ["impact"]
    EvaluationScheme.objects.filter(pk=evaluation.scheme_id).update(min_survey_responses=3)
    evaluation.scheme.refresh_from_db()
    assert blocking_gaps(evaluation=evaluation) == []
    assert EvaluationScheme.objects.survey_minimum(2023) == 3 and EvaluationScheme.objects.survey_minimum(1999) == 50


def test_a_scheme_copy_keeps_its_survey_minimum():
    from evaluations import services

    scheme = EvaluationSchemeFactory(year=2023, min_survey_responses=30)
    copy = services.scheme_copy(scheme=scheme, year=2024, actor=None)
    assert copy.min_survey_responses == 30


# --- The framework file door (the Indeks Pemdi, once the office has the official text) ---------------------------
def pemdi(*weights, **extra):
    indicators = [{"number": n, "name_ind": f"Indikator {n}", "weight": str(w)} for n, w in enumerate(weights, 1)]
    aspects = [{"code": "a", "name_ind": "Aspek", "indicators": indicators}]
    return {
        "slug": "pemdi-2025",
        "name_ind": "Indeks Pemerintah Digital (Indeks Pemdi)",
        "issuing_body": "KemenPANRB",
        "domains": [{"code": "d", "name_ind": "Domain", "aspects": aspects}],
        **extra,
    }


def upload(client, content: bytes):
    file = SimpleUploadedFile("pemdi.json", content, content_type="application/json")
    return client.post(reverse("admin:frameworks_framework_load"), {"file": file})


def test_an_uploaded_framework_starts_as_a_draft_even_if_the_file_says_published(client):
    client.force_login(role(DISKOMINFO_EDITOR))
    response = upload(client, json.dumps(pemdi(40, 60, publication="published")).encode())
    framework = Framework.objects.get(slug="pemdi-2025")
    assert response.status_code == 302 and framework.publication == "draft"
    assert framework.indicators.count() == 2 and not framework.source_verified


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        (b"{not json", "bukan JSON"),
        (b"[1, 2]", "satu objek JSON"),
        (json.dumps(pemdi(40, 50)).encode(), "90"),
        (json.dumps(pemdi(40, 60, levels=[{"level": 9, "name_ind": "Sembilan"}])).encode(), "9"),
        (json.dumps(pemdi(40, 60, colour="red")).encode(), "colour"),
        (json.dumps(pemdi(40, 60, source_verified=True)).encode(), "Sebutkan sumber"),
        (json.dumps({**pemdi(40, 60), "domains": [{"code": "d"}]}).encode(), "domains.0.name_ind"),
    ],
)
def test_a_bad_framework_file_is_a_form_error_and_changes_nothing(client, content, shown):
    known = FrameworkFactory(slug="pemdi-2025", notes="Sebelum")
    client.force_login(role(DISKOMINFO_EDITOR))
    response = upload(client, content)
    assert response.status_code == 200 and shown in str(response.context["form"].errors)
    assert Framework.objects.count() == 1 and Framework.objects.get(pk=known.pk).notes == "Sebelum"
    assert sorted(known.indicators.values_list("weight", flat=True)) == [40, 60] and not known.levels.exists()


def test_the_loader_refuses_a_bad_file_all_or_nothing():
    with pytest.raises(ValidationError):
        bands = [{"label_ind": "A", "lower": "1", "upper": "3"}, {"label_ind": "B", "lower": "2", "upper": "5"}]
        framework_load(data=pemdi(40, 60, bands=bands), actor=None)
    assert not Framework.objects.exists() and not FrameworkIndicator.objects.exists()


def test_the_upload_door_needs_add_and_change_framework(client):
    client.force_login(UserFactory(is_staff=True))
    assert upload(client, json.dumps(pemdi(40, 60)).encode()).status_code == 403
    assert not Framework.objects.exists() and ExternalIndexValue.objects.count() == 0


def test_the_migration_keeps_existing_framework_sources_weights_and_index_values():
    """Forward over real rows: from the schema before issue 25 (0017) to 0018, on the test database, in its
    transaction (PostgreSQL rolls the DDL back with it)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("evaluations", "0017_evaldoors_publication_announcement")],
        [("evaluations", "0018_frameworks_reference")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    framework = old.get_model("evaluations", "Framework").objects.create(
        slug="spbe-lama", name_id="SPBE", issuing_body="KemenPANRB", source="PermenPANRB 59/2020, Lampiran"
    )
    domain = old.get_model("evaluations", "FrameworkDomain").objects.create(framework=framework, code="d", name_id="D")
    aspect = old.get_model("evaluations", "FrameworkAspect").objects.create(
        framework=framework, domain=domain, code="a", name_id="A"
    )
    old.get_model("evaluations", "FrameworkIndicator").objects.create(
        framework=framework, aspect=aspect, number=1, name_id="I", weight=Decimal("100"), verified=True
    )
    index = old.get_model("evaluations", "ExternalIndex").objects.create(
        slug="ikci-lama", name_id="IKCI", publisher="Kompas", scale_max=Decimal(100)
    )
    old.get_model("evaluations", "ExternalIndexValue").objects.create(
        index=index, year=2019, value=Decimal("58.20"), rank=41, ranked_among=98, source_url="https://example.org/k"
    )
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    moved = new.get_model("evaluations", "Framework").objects.get(slug="spbe-lama")
    assert moved.source == "PermenPANRB 59/2020, Lampiran" and not moved.source_verified
    indicator = new.get_model("evaluations", "FrameworkIndicator").objects.get(framework=moved)
    assert (indicator.weight, indicator.source_verified, indicator.source) == (
        Decimal("100"),
        True,
        "PermenPANRB 59/2020, Lampiran",
    )
    edition = new.get_model("evaluations", "ExternalIndexValue").objects.get(index__slug="ikci-lama")
    assert (edition.value, edition.rank, edition.ranked_among, edition.level) == (Decimal("58.20"), 41, 98, None)
    assert edition.source == "https://example.org/k" and not edition.source_verified
    assert new.get_model("evaluations", "ExternalIndex").objects.get(slug="ikci-lama").scope == "city"


def test_the_admin_shows_source_and_verified_in_lists_and_forms(client, spbe):
    framework_demo.load()
    client.force_login(role(DISKOMINFO_EDITOR))
    listing = client.get(reverse("admin:frameworks_framework_changelist")).content.decode()
    assert "column-source_verified" in listing and reverse("admin:frameworks_framework_load") in listing
    form = client.get(reverse("admin:frameworks_framework_change", args=[spbe.pk])).content.decode()
    assert 'name="source_verified"' in form and "levels-0-name_ind" in form and "indicators-44-source" in form
    ikci = ExternalIndex.objects.get(slug="ikci")
    index_list = client.get(reverse("admin:frameworks_externalindex_changelist")).content.decode()
    assert "column-source_verified" in index_list and "column-scope" in index_list
    index_form = client.get(reverse("admin:frameworks_externalindex_change", args=[ikci.pk])).content.decode()
    assert "editions-0-peer_group_ind" in index_form and "editions-0-source_verified" in index_form
    assert client.get(reverse("admin:frameworks_framework_load")).status_code == 200
