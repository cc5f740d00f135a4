"""Assessment frameworks as data (SPBE from its data file), the yearly self-assessment recorded through the API by
the roles that do it, its index and band, and the external indices register."""

import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from frameworks.models import ExternalIndexValue, Framework, FrameworkIndicator, SelfAssessment, SelfAssessmentScore
from frameworks.services import framework_file
from smartcity.roles import DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR
from tests.api import StandardApiTests, count_queries
from tests.factories import UserFactory

from .factories import ExternalIndexFactory, ExternalIndexValueFactory, FrameworkFactory, SelfAssessmentFactory

pytestmark = pytest.mark.django_db

SELF = {"kebijakan-internal": 3, "tata-kelola": 2, "manajemen": 2, "layanan": 3}
ASSESSED = {"kebijakan-internal": 3, "tata-kelola": 3, "manajemen": 3, "layanan": 4}


def role(name):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def spbe():
    call_command("load_framework", "spbe-2020", stdout=io.StringIO())
    return Framework.objects.get(slug="spbe-2020")


def domain_of(framework) -> dict[int, str]:
    return dict(framework.indicators.values_list("number", "aspect__domain__code"))


def test_the_spbe_file_loads_4_domains_8_aspects_47_weighted_indicators_and_says_what_is_verified(spbe):
    assert spbe.domains.count() == 4 and spbe.aspects.count() == 8 and spbe.indicators.count() == 47
    assert sum(spbe.indicators.values_list("weight", flat=True)) == Decimal(100)
    weights = {code: sum(i.weight for i in spbe.indicators.filter(aspect__domain__code=code)) for code in SELF}
    assert weights == {
        "kebijakan-internal": 13,
        "tata-kelola": 25,
        "manajemen": Decimal("16.5"),
        "layanan": Decimal("45.5"),
    }
    assert all(i.source_verified and "59 Tahun 2020" in i.source for i in spbe.indicators.all())
    notes = " ".join(framework_file("spbe-2020")["_verification"])
    assert "VERIFIED: the indicator weights" in notes and "NOT YET FILLED: the criteria" in notes
    assert "not yet filled" in spbe.notes


def test_a_year_recorded_through_the_api_by_its_roles_gives_the_hand_computed_index_and_band(api_client, spbe):
    domains = domain_of(spbe)
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    scores = [
        {"indicator": n, "target_level": 4, "self_level": SELF[d], "justification": "Perwal 12/2023"}
        for n, d in domains.items()
    ]
    response = api_client.post(
        reverse("evaluations-api:selfassessment-list"),
        {"framework": spbe.pk, "year": 2024, "scores": scores},
        format="json",
    )
    assert response.status_code == 201, response.data
    # 3 × 13 + 2 × 25 + 2 × 16.5 + 3 × 45.5 = 258.5 → 2.585 → 2.59 (half up): "Cukup" (1.80–2.59)
    assert (response.data["self_index"], response.data["index"], response.data["band_ind"]) == (
        "2.5900",
        "2.5900",
        "Cukup",
    )
    assessment = response.data["id"]
    url = reverse("evaluations-api:selfassessment-assess", args=[assessment])
    assessed = {"scores": [{"indicator": n, "assessor_level": ASSESSED[d]} for n, d in domains.items()]}
    assert api_client.post(url, assessed, format="json").status_code == 403  # Diskominfo does not assess itself
    api_client.force_authenticate(role(EVALUATOR))
    response = api_client.post(url, assessed, format="json")
    assert response.status_code == 200, response.data
    # 3 × 13 + 3 × 25 + 3 × 16.5 + 4 × 45.5 = 345.5 → 3.455 → 3.46 (half up): "Baik" (2.60–3.49)
    assert (response.data["assessor_index"], response.data["index"]) == ("3.4600", "3.4600")
    assert (response.data["band_ind"], response.data["band_en"]) == ("Baik", "Good")
    score = next(s for s in response.data["scores"] if s["indicator"] == 43)
    assert (score["self_level"], score["assessor_level"], score["gap"]) == (3, 4, 0)
    api_client.force_authenticate(role(OPD_EDITOR))
    assert api_client.post(url, assessed, format="json").status_code == 403


def test_a_level_outside_the_scale_is_400_and_changes_nothing(api_client, spbe):
    assessment = SelfAssessmentFactory(framework=spbe, year=2024)
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    url = reverse("evaluations-api:selfassessment-detail", args=[assessment.pk])
    scores = [{"indicator": 1, "self_level": 3}, {"indicator": 2, "self_level": 6}]
    response = api_client.patch(url, {"scores": scores}, format="json")
    assert response.status_code == 400 and "2:" in str(response.data["errors"]["scores"])
    assert not SelfAssessmentScore.objects.exists()  # the valid first score rolled back with the rest
    api_client.force_authenticate(role(EVALUATOR))
    response = api_client.post(
        reverse("evaluations-api:selfassessment-assess", args=[assessment.pk]),
        {"scores": [{"indicator": 1, "assessor_level": 0}]},
        format="json",
    )
    assert response.status_code == 400 and not SelfAssessmentScore.objects.exists()


def test_an_unknown_indicator_number_is_400(api_client, spbe):
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    response = api_client.post(
        reverse("evaluations-api:selfassessment-list"),
        {"framework": spbe.pk, "year": 2024, "scores": [{"indicator": 48, "self_level": 3}]},
        format="json",
    )
    assert response.status_code == 400 and "48" in str(response.data["errors"])
    assert not SelfAssessment.objects.exists()


def framework_payload(*weights):
    indicators = [{"number": n, "name_ind": f"Indikator {n}", "weight": w} for n, w in enumerate(weights, start=1)]
    return {
        "slug": "pemdi-2025",
        "name_ind": "Indeks Pemerintah Digital",
        "issuing_body": "KemenPANRB",
        "domains": [
            {
                "code": "d",
                "name_ind": "Domain",
                "aspects": [{"code": "a", "name_ind": "Aspek", "indicators": indicators}],
            }
        ],
        "bands": [{"label_ind": "Baik", "lower": "3", "upper": "5"}],
    }


def test_weights_that_do_not_add_up_are_refused_by_the_api_and_the_loader_and_change_nothing(api_client, tmp_path):
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    response = api_client.post(reverse("evaluations-api:framework-list"), framework_payload("40", "50"), format="json")
    assert response.status_code == 400 and response.data["code"] == "weights_sum" and "90" in str(response.data)
    path = tmp_path / "pemdi.json"
    path.write_text(json.dumps(framework_payload("40", "50.5")))
    with pytest.raises(CommandError, match="90.5"):
        call_command("load_framework", str(path))
    assert not Framework.objects.exists() and not FrameworkIndicator.objects.exists()


def test_a_framework_is_written_whole_and_read_back_nested(api_client):
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    response = api_client.post(reverse("evaluations-api:framework-list"), framework_payload("40", "60"), format="json")
    assert response.status_code == 201, response.data
    aspect = response.data["domains"][0]["aspects"][0]
    assert [(i["number"], i["weight"]) for i in aspect["indicators"]] == [(1, "40.0000"), (2, "60.0000")]
    overlapping = framework_payload("40", "60") | {
        "bands": [{"label_ind": "A", "lower": "1", "upper": "3"}, {"label_ind": "B", "lower": "2.5", "upper": "5"}]
    }
    response = api_client.patch(
        reverse("evaluations-api:framework-detail", args=["pemdi-2025"]), {"bands": overlapping["bands"]}, format="json"
    )
    assert response.status_code == 400 and Framework.objects.get().bands.count() == 1


def test_readiness_lists_indicators_without_justification_or_evidence(api_client):
    assessment = SelfAssessmentFactory()
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    detail = reverse("evaluations-api:selfassessment-detail", args=[assessment.pk])
    api_client.patch(detail, {"scores": [{"indicator": 1, "self_level": 4, "justification": "SK Tim"}]}, format="json")
    readiness = reverse("evaluations-api:selfassessment-readiness", args=[assessment.pk])
    answer = api_client.get(readiness).data
    assert answer["missing"] == 2 and answer["indicators"][0]["missing"] == ["evidence"]
    upload = SimpleUploadedFile("sk.pdf", b"%PDF-1.4 bukti dukung", content_type="application/pdf")
    evidence = reverse("evaluations-api:selfassessment-evidence", args=[assessment.pk])
    assert (
        api_client.post(evidence, {"indicator": 1, "file": upload, "caption": "SK"}, format="multipart").status_code
        == 200
    )
    answer = api_client.get(readiness).data
    assert answer["missing"] == 1 and answer["indicators"][0]["indicator"] == 2


def test_a_draft_assessment_is_on_no_public_surface(api_client, client):
    assessment = SelfAssessmentFactory(publication="draft", year=2031)
    public = SelfAssessmentFactory(framework=assessment.framework, year=2030)
    years = [row["year"] for row in api_client.get(reverse("evaluations-api:selfassessment-list")).data["results"]]
    assert years == [public.year]
    html = client.get(reverse("evaluations:framework-detail", args=[assessment.framework.slug])).content.decode()
    assert "2030" in html and "2031" not in html
    assert (
        client.get(reverse("evaluations:framework-detail", args=[assessment.framework.slug]) + "?year=2031").status_code
        == 404
    )


def test_the_framework_page_shows_the_result_in_both_languages(client):
    assessment = SelfAssessmentFactory(year=2024)
    for number, level in ((1, 3), (2, 4)):
        SelfAssessmentScore.objects.create(
            assessment=assessment,
            indicator=assessment.framework.indicators.get(number=number),
            self_level=level,
            target_level=4,
        )
    from frameworks.services import self_assessment_recompute

    self_assessment_recompute(assessment=assessment)  # 3 × 40 + 4 × 60 = 360 → 3.60
    slug = assessment.framework.slug
    assert "3,60" in client.get(f"/evaluations/frameworks/{slug}/").content.decode()
    english = client.get(f"/en/evaluations/frameworks/{slug}/").content.decode()
    assert "3.60" in english and "Good" in english


class TestSelfAssessmentApi(StandardApiTests):
    url_name, factory, public = "evaluations-api:selfassessment", SelfAssessmentFactory, True
    view_perms = ("frameworks.view_selfassessment",)

    def test_list_query_count_is_constant(self, api_client, make_user):
        self.factory()
        api_client.get(self.list_url)
        one = count_queries(api_client, self.list_url)
        self.factory.create_batch(5)
        assert count_queries(api_client, self.list_url) == one


class TestExternalIndexValueApi(StandardApiTests):
    url_name, factory, public = "evaluations-api:externalindexvalue", ExternalIndexValueFactory, True
    view_perms = ("frameworks.view_externalindexvalue",)

    def test_list_query_count_is_constant(self, api_client, make_user):
        self.factory()
        api_client.get(self.list_url)
        one = count_queries(api_client, self.list_url)
        self.factory.create_batch(5)
        assert count_queries(api_client, self.list_url) == one

    @pytest.mark.parametrize("value", ["100.01", "-1", "55.123"])
    def test_a_value_outside_the_scale_or_with_too_many_decimals_is_400(self, api_client, value):
        index = ExternalIndexFactory()
        api_client.force_authenticate(role(DISKOMINFO_EDITOR))
        response = api_client.post(self.list_url, {"index": index.pk, "year": 2024, "value": value}, format="json")
        assert response.status_code == 400 and "value" in response.data["errors"]
        assert not ExternalIndexValue.objects.exists()

    def test_a_draft_index_hides_its_values(self, api_client):
        ExternalIndexValueFactory(index=ExternalIndexFactory(publication="draft"))
        shown = ExternalIndexValueFactory()
        assert [r["id"] for r in api_client.get(self.list_url).data["results"]] == [shown.pk]


def test_the_index_page_charts_the_years(client):
    index = ExternalIndexFactory(slug="ikci", name_en="Smart city index")
    for year, value in ((2022, "60.5"), (2023, "63.75")):
        ExternalIndexValueFactory(index=index, year=year, value=Decimal(value), rank=20, ranked_among=98)
    html = client.get("/en/evaluations/indices/ikci/").content.decode()
    assert "index-chart" in html and "63.75" in html and "20 / 98" in html
    chart = json.loads(html.split('id="index-chart"')[1].split(">", 1)[1].split("</script>")[0])
    assert chart["labels"] == [2022, 2023] and chart["datasets"][0]["data"] == [60.5, 63.75]


def test_the_admin_refuses_weights_that_do_not_add_up_as_a_form_error(client):
    from tests.test_permission_matrix import World, admin_form_data

    framework = FrameworkFactory()
    client.force_login(role(DISKOMINFO_EDITOR))
    data = admin_form_data(World(), Framework, framework)
    weight = next(key for key, value in data.items() if key.endswith("-weight") and value.startswith("60"))
    response = client.post(reverse("admin:frameworks_framework_change", args=[framework.pk]), data | {weight: "50"})
    assert response.status_code == 200 and "90" in str(
        response.context["inline_admin_formsets"][2].formset.non_form_errors()
    )
    assert sorted(framework.indicators.values_list("weight", flat=True)) == [40, 60]


def test_the_data_migration_approves_the_indicators_that_were_public_before():
    import importlib

    from django.apps import apps

    from tests.pillars.factories import IndicatorFactory

    indicator = IndicatorFactory(approval="draft")
    migration = importlib.import_module("pillars.migrations.0017_approve_existing_roles")
    migration.approve_existing(apps, None)
    indicator.refresh_from_db()
    assert indicator.approval == "approved"


def test_a_scored_self_assessment_keeps_its_framework(api_client):
    assessment = SelfAssessmentFactory()
    api_client.force_authenticate(role(DISKOMINFO_EDITOR))
    url = reverse("evaluations-api:selfassessment-detail", args=[assessment.pk])
    api_client.patch(url, {"scores": [{"indicator": 1, "self_level": 2}]}, format="json")
    response = api_client.patch(url, {"framework": FrameworkFactory().pk}, format="json")
    assert response.status_code == 400 and "framework" in response.data["errors"]
    assert SelfAssessment.objects.get(pk=assessment.pk).framework_id == assessment.framework_id
