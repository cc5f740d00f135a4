"""One filter dialect for the whole API (issue 18).

Every list endpoint filters through a FilterSet on smartcity.filters.FilterSet; every model field has a filter or
a recorded reason (NetBox's test_missing_filters); every relation to a public record is offered as `<rel>_id` and,
where the record has a slug, `<rel>`; and each FilterSet's filters narrow its list through the API, a hidden
row's slug or id answers like an unknown one, and a bad value is a 400 naming the filter."""

import datetime

import django_filters
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from rest_framework.test import APIClient

from evaluations import filters as evaluation_filters
from evaluations.models import Evaluation, EvaluationPack, EvaluationScheme, Finding, PillarScore
from federation import filters as federation_filters
from federation.models import PortalSnapshot
from federation.services import FOLLOWED_PORTAL
from frameworks import filters as framework_filters
from frameworks.models import ExternalIndex, Framework
from partnerships import filters as partnership_filters
from partnerships.models import Commitment, MoU, Partner, ScopeArea
from pillars import filters as pillar_filters
from pillars.models import Indicator, Milestone, Pillar, Program, SubDimension
from smartcity.filters import (
    BooleanFilter,
    FilterSet,
    IdsFilter,
    SlugsFilter,
    YearFilter,
    has_slug,
    path_target,
    public_relations,
    relation_filter_name,
)
from tests.evaluations.factories import (
    ClarificationRequestFactory,
    EvaluationFactory,
    EvaluationSchemeFactory,
    FieldVisitFactory,
    FindingFactory,
    FollowUpActionFactory,
    LegalInstrumentFactory,
    SurveyFactory,
    SurveyResponseFactory,
    SurveyTargetFactory,
)
from tests.factories import UserFactory
from tests.frameworks.factories import (
    ExternalIndexFactory,
    ExternalIndexValueFactory,
    FrameworkFactory,
    SelfAssessmentFactory,
)
from tests.partnerships.factories import (
    CommitmentFactory,
    MoUFactory,
    PartnerFactory,
    ProgressReportFactory,
    ScopeAreaFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
)
from tests.pillars.factories import (
    ActivityFactory,
    AgencyFactory,
    BudgetLineFactory,
    DigitalServiceFactory,
    DistrictFactory,
    FeedbackFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    InfrastructureAssetFactory,
    MasterplanFactory,
    MeasurementFactory,
    MilestoneFactory,
    PillarFactory,
    ProgramFactory,
    ProgramIndicatorFactory,
    VillageFactory,
)

APPS = ("pillars", "partnerships", "evaluations", "frameworks", "federation")
MODULES = (
    pillar_filters,
    partnership_filters,
    evaluation_filters,
    framework_filters,
    federation_filters,
)  # imported so that every FilterSet is defined


def app_filtersets() -> list[type[FilterSet]]:
    """Every FilterSet of the apps on the base (a class defined in a test, as below, is not one of them)."""
    found, pending = set(), [FilterSet]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls._meta.model is not None and cls.__module__.split(".")[0] in APPS:
            found.add(cls)
    return sorted(found, key=lambda cls: cls.__name__)


def api_lists() -> dict[str, type]:
    """The path and view class of every list endpoint of the API."""
    lists = {}
    for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints():
        if method == "GET" and getattr(callback, "actions", {}).get("get") == "list":
            lists[path] = callback.cls
    return lists


def list_url(filterset) -> str:
    return next(path for path, view in api_lists().items() if getattr(view, "filterset_class", None) is filterset)


# --- The check itself -------------------------------------------------------------------------------------------
def model_fields(model):
    return [*model._meta.concrete_fields, *model._meta.many_to_many]


def is_covered(filterset, field) -> bool:
    """A field is filtered when a filter bears its name (or `<name>_id`), starts its path at it, or `q` searches it."""
    filters = filterset.base_filters
    names = {field.name, f"{field.name}_id"}
    if field.is_relation:
        names.add(f"{relation_filter_name(field)}_id")
    if names & set(filters):
        return True
    if any((f.field_name or "").split("__")[0] == field.name for f in filters.values()):
        return True
    return "q" in filters and field.name in getattr(filterset._meta.model, "search_fields", ())


def missing_filters(filterset) -> list[str]:
    """The model's fields with neither a filter nor a reason in `Meta.unfiltered`."""
    reasons = filterset.unfiltered()
    return [
        field.name
        for field in model_fields(filterset._meta.model)
        if not is_covered(filterset, field) and not reasons.get(field.name)
    ]


def stale_reasons(filterset) -> list[str]:
    """`Meta.unfiltered` entries for a field the model does not have, or that has a filter after all."""
    fields = {field.name: field for field in model_fields(filterset._meta.model)}
    declared = getattr(filterset.Meta, "unfiltered", {})
    return [name for name in declared if name not in fields or is_covered(filterset, fields[name])]


def pattern_breaks(filterset) -> list[str]:
    """Filters that read a relation or a year outside the one pattern, or a relation offered without it."""
    model, filters, breaks = filterset._meta.model, filterset.base_filters, []
    expected = {relation_filter_name(field): (field.name, field.related_model) for field in public_relations(model)}
    expected |= {name: (path, path_target(model, path)[0]) for name, path in filterset.relation_paths().items()}
    for name, (path, target) in expected.items():
        ids = filters.get(f"{name}_id")
        if not (isinstance(ids, IdsFilter) and ids.field_name == path and ids.queryset.model is target):
            breaks.append(f"{name}_id")
        slugs = filters.get(name)
        if has_slug(target) and not (isinstance(slugs, SlugsFilter) and slugs.field_name == f"{path}__slug"):
            breaks.append(name)
    for name, declared in filters.items():
        model_choice = (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)
        if isinstance(declared, model_choice) and not isinstance(declared, IdsFilter | SlugsFilter):
            breaks.append(name)  # a relation filter that neither repeats nor hides drafts
        if isinstance(declared, IdsFilter) and not name.endswith("_id"):
            breaks.append(name)
        if isinstance(declared, SlugsFilter) and f"{name}_id" not in filters:
            breaks.append(name)  # a slug filter without its id twin
        if (declared.field_name or "").endswith("__slug") and not isinstance(declared, SlugsFilter):
            breaks.append(name)  # `program = CharFilter(field_name="program__slug")`: one slug, drafts told apart
        year_like = declared.lookup_expr == "year" or (declared.field_name or "").endswith("year")
        if (name == "year" or year_like) and not isinstance(declared, YearFilter):
            breaks.append(name)
        if isinstance(declared, YearFilter) and name != "year":
            breaks.append(name)
    return sorted(set(breaks))


# --- (a) no field without a filter or a reason; (b) one pattern ---------------------------------------------------
def test_every_api_list_filters_through_a_filterset_on_the_base():
    lists = api_lists()
    assert len(lists) >= 20
    off_base = {
        path: view.__name__
        for path, view in lists.items()
        if getattr(view, "filterset_fields", None) or not issubclass(view.filterset_class, FilterSet)
    }
    assert not off_base
    assert {view.filterset_class for view in lists.values()} == set(app_filtersets())


@pytest.mark.parametrize("filterset", app_filtersets(), ids=lambda cls: cls.__name__)
def test_every_model_field_has_a_filter_or_a_recorded_reason(filterset):
    assert not missing_filters(filterset), f"{filterset.__name__}: filter these fields or say why in Meta.unfiltered"
    assert not stale_reasons(filterset), f"{filterset.__name__}: Meta.unfiltered names a filtered or unknown field"


@pytest.mark.parametrize("filterset", app_filtersets(), ids=lambda cls: cls.__name__)
def test_every_public_relation_is_offered_as_rel_id_and_rel_and_a_year_is_year(filterset):
    assert not pattern_breaks(filterset)


def test_the_checks_name_what_is_missing_or_off_pattern():
    class Incomplete(FilterSet):  # defined here, so not one of the apps' FilterSets
        program = django_filters.CharFilter(field_name="program__slug")
        year_due = YearFilter(field_name="due_on__year")

        class Meta:
            model = Milestone
            fields = ["id"]
            unfiltered = {"evidence": "a file", "no_such_field": "a reason left behind"}

    assert missing_filters(Incomplete) == ["done_on"]  # title_* are searched, due_on is year_due's
    assert stale_reasons(Incomplete) == ["no_such_field"]
    assert pattern_breaks(Incomplete) == ["program", "year_due"]


def test_relations_to_reference_data_and_to_many_relations_follow_the_pattern():
    program = pillar_filters.ProgramFilterSet.base_filters
    assert {"pillar", "pillar_id", "lead_agency", "lead_agency_id", "masterplan_id"} <= set(program)
    assert program["supporting_agency"].field_name == "supporting_agencies__slug"
    mou = partnership_filters.MoUFilterSet.base_filters
    assert {name: mou[name].field_name for name in ("partner", "scope_area_id", "program")} == {
        "partner": "partners__slug",
        "scope_area_id": "scope_areas",
        "program": "programs__slug",
    }
    # staff accounts, contacts and API keys are not public: no filter offers them
    assert "contact_id" not in mou and "reported_by_id" not in partnership_filters.ProgressReportFilterSet.base_filters


def test_the_schema_documents_ids_as_integers_and_the_year_as_a_bounded_integer():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    seen = 0
    for path, operations in schema["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            kind = parameter["schema"].get("items", parameter["schema"])
            if parameter["name"].endswith("_id"):
                seen += 1
                assert kind["type"] == "integer", (path, parameter["name"])
            if parameter["name"] == "year":
                assert (kind["type"], kind["minimum"], kind["maximum"]) == ("integer", 1, 9999), path
    assert seen > 40


# --- (c) each FilterSet through the API ----------------------------------------------------------------------------
def pillar(slug: str) -> Pillar:
    return Pillar.objects.get(slug=slug)


def scope(slug: str) -> ScopeArea:
    return ScopeArea.objects.get(slug=slug)


def result(year: int, **fields) -> Evaluation:
    return EvaluationFactory(scheme=EvaluationSchemeFactory(year=year), **fields)


def program_with_everything(title: str, pillar_slug: str, years: tuple[int, int]) -> Program:
    program = ProgramFactory(
        title_ind=title,
        pillar=pillar(pillar_slug),
        masterplan=MasterplanFactory(),
        first_year=years[0],
        last_year=years[1],
    )
    program.sub_dimensions.set(program.pillar.sub_dimensions.all()[:1])
    program.supporting_agencies.set([AgencyFactory()])
    program.districts.set([DistrictFactory()])
    ProgramIndicatorFactory(program=program)  # the indicator it moves
    return program


def mou_with_everything(title: str, pillar_slug: str, scope_slug: str, **fields) -> MoU:
    mou = MoUFactory(title_ind=title, scope_areas=[scope(scope_slug)], **fields)
    mou.pillars.set([pillar(pillar_slug)])
    mou.programs.set([ProgramFactory()])
    return mou


def evaluation_with_score(year: int, pillar_slug: str, **fields) -> Evaluation:
    evaluation = result(year, **fields)
    PillarScore.objects.create(evaluation=evaluation, pillar=pillar(pillar_slug), score="3.00")
    return evaluation


def programs():
    hit = program_with_everything("Parkir elektronik", "living", (2010, 2012))
    miss = program_with_everything("Layanan lain", "governance", (2023, 2025))
    supporting = hit.supporting_agencies.get()
    return hit, miss, {"q": "parkir", "year": 2011, "agency": supporting.slug, "agency_id": hit.lead_agency_id}


def milestones():
    hit = MilestoneFactory(title_ind="Tahap uji coba", due_on=datetime.date(2021, 3, 1))
    return hit, MilestoneFactory(title_ind="Tahap peluncuran"), {"q": "coba", "year": 2021}


def budget_lines():
    hit = BudgetLineFactory(program=ProgramFactory(title_ind="Program irigasi", pillar=pillar("living")), year=2021)
    miss = BudgetLineFactory(program=ProgramFactory(title_ind="Program jalan"), year=2022)
    return hit, miss, {"q": "irigasi", "year": 2021}


def indicators():
    hit = IndicatorFactory(name_ind="Indeks kebahagiaan", pillar=pillar("living"), is_composite=True)
    hit.building_blocks.set(
        [IndicatorFactory(name_ind="Survei kepuasan", pillar=pillar("economy"))]
    )  # a composite and its building block
    miss = IndicatorFactory(name_ind="Angka harapan hidup", is_composite=True)
    miss.building_blocks.set([IndicatorFactory(name_ind="Usia rata-rata", pillar=pillar("economy"))])
    ProgramIndicatorFactory(indicator=hit), ProgramIndicatorFactory(indicator=miss)  # the programs that move them
    return hit, miss, {"q": "kebahagiaan"}


def program_indicators():
    hit = ProgramIndicatorFactory(
        program=ProgramFactory(pillar=pillar("living")), note="Titik Wi-Fi kelurahan", expected_value=5,
        expected_year=2026,
    )  # fmt: skip
    miss = ProgramIndicatorFactory(note="Kamera terpadu", role="output")
    return hit, miss, {"q": "wi-fi", "year": 2026, "role": "outcome"}


def indicator_targets():
    hit = IndicatorTargetFactory(year=2021)
    return hit, IndicatorTargetFactory(year=2022), {"year": 2021}


def measurements():
    hit = MeasurementFactory(
        indicator=IndicatorFactory(name_ind="Indeks udara", pillar=pillar("environment")),
        measured_on=datetime.date(2021, 5, 1),
    )
    miss = MeasurementFactory(indicator=IndicatorFactory(name_ind="Indeks air"), measured_on=datetime.date(2022, 5, 1))
    return hit, miss, {"q": "udara", "year": 2021}


def services():
    hit = DigitalServiceFactory(name="Sapa Warga", pillar=pillar("living"), launched_year=2016)
    return hit, DigitalServiceFactory(name="Padang Command", launched_year=2019), {"q": "sapa", "year": 2016}


def assets():
    hit_village, miss_village = VillageFactory(), VillageFactory()
    hit = InfrastructureAssetFactory(
        name="CCTV Pantai",
        operator=PartnerFactory(),
        program=ProgramFactory(),
        installed_on=datetime.date(2019, 5, 1),
        district=hit_village.district,
        village=hit_village,
    )
    miss = InfrastructureAssetFactory(
        name="Menara Bukit",
        operator=PartnerFactory(),
        program=ProgramFactory(),
        installed_on=datetime.date(2021, 5, 1),
        district=miss_village.district,
        village=miss_village,
    )
    return hit, miss, {"q": "pantai", "year": 2019}


def partners():
    hit, miss = PartnerFactory(name="PT Telekomunikasi Nusantara"), PartnerFactory(name="Universitas Andalas")
    MoUFactory(party__partner=hit, scope_areas=[scope("cctv-integration")])
    MoUFactory(party__partner=miss, scope_areas=[scope("public-wifi")])
    return hit, miss, {"q": "telekomunikasi"}


def mous():
    signed = datetime.date(2015, 3, 1)
    hit = mou_with_everything(
        "Kerja sama menara",
        "living",
        "cctv-integration",
        signed_on=signed,
        valid_from=signed,
        valid_until=datetime.date(2018, 3, 1),
    )
    miss = mou_with_everything("Kerja sama lain", "governance", "public-wifi")
    return hit, miss, {"q": "menara", "year": 2015}


def commitments():
    hit = CommitmentFactory(
        mou=MoUFactory(scope_areas=[scope("cctv-integration")]), description_ind="Membangun", pillar=pillar("living")
    )
    miss = CommitmentFactory(description_ind="Memasang kamera", pillar=pillar("governance"))
    return hit, miss, {"q": "membangun"}


def progress_reports():
    hit = ProgressReportFactory(
        commitment=CommitmentFactory(mou=MoUFactory(scope_areas=[scope("cctv-integration")]), pillar=pillar("living")),
        note="Tahap pertama selesai",
    )
    miss = ProgressReportFactory(commitment=CommitmentFactory(pillar=pillar("governance")), note="Laporan kedua")
    return hit, miss, {"q": "pertama"}


def evaluations():
    hit = evaluation_with_score(2019, "living", letter_number="B-147/2019")
    return hit, evaluation_with_score(2023, "governance", letter_number="C-99/2023"), {"q": "B-147", "year": 2019}


def findings():
    hit = FindingFactory(evaluation=result(2019), text_ind="Jaringan lemah", pillar=pillar("living"))
    miss = FindingFactory(evaluation=result(2023), text_ind="Data terpadu", pillar=pillar("governance"))
    return hit, miss, {"q": "jaringan", "year": 2019}


def follow_ups():
    hit = FollowUpActionFactory(
        finding=FindingFactory(evaluation=result(2019), pillar=pillar("living")), title_ind="Perluas jaringan"
    )
    miss = FollowUpActionFactory(
        finding=FindingFactory(evaluation=result(2023), pillar=pillar("governance")), title_ind="Satukan data"
    )
    return hit, miss, {"q": "perluas", "year": 2019}


def field_visits():
    hit = FieldVisitFactory(
        evaluation=result(2019), site="Pantai Air Manis", agency=AgencyFactory(), pillar=pillar("living")
    )
    miss = FieldVisitFactory(
        evaluation=result(2023), site="Balai Kota", agency=AgencyFactory(), pillar=pillar("economy")
    )
    return hit, miss, {"q": "pantai", "year": 2019}


def villages():
    hit = VillageFactory(name="Air Tawar Barat")
    return hit, VillageFactory(name="Lolong Belanti"), {"q": "tawar"}


def self_assessments():
    hit = SelfAssessmentFactory(framework=FrameworkFactory(name_ind="Kerangka SPBE"), year=2019)
    return hit, SelfAssessmentFactory(year=2023), {"q": "spbe", "year": 2019}


def external_index_values():
    hit = ExternalIndexValueFactory(year=2019)
    return hit, ExternalIndexValueFactory(year=2023), {"year": 2019}


def webhook_endpoints():
    hit = WebhookEndpointFactory(url="https://sistem.telkom.example/hooks/kota", partner=PartnerFactory(), active=True)
    miss = WebhookEndpointFactory(url="https://mitra.example/hooks", partner=PartnerFactory(), active=False)
    return hit, miss, {"q": "telkom", "active": "true"}


def webhook_deliveries():
    """The hit is a replay (`replay_of`); the delivery it replays is put on a third endpoint with its own event, so
    every filter but `replay_of_id` leaves it out and the two rows differ in every relation."""
    replayed = WebhookDeliveryFactory(
        endpoint=WebhookEndpointFactory(url="https://lain.example/hooks"), event_type="mou.terminated", status="failed"
    )
    hit = WebhookDeliveryFactory(
        endpoint=WebhookEndpointFactory(url="https://sistem.telkom.example/hooks"),
        event_type="mou.signed",
        status="delivered",
        replay_of=replayed,
    )
    miss = WebhookDeliveryFactory(
        endpoint=WebhookEndpointFactory(url="https://mitra.example/hooks"), event_type="mou.expiring"
    )
    params = {"q": "telkom", "event": hit.event_id, "event_type": "mou.signed", "status": "delivered"}
    return hit, miss, params


# --- Evidence of the five dimensions (issue 14) ---
def activities():
    hit = ActivityFactory(program=ProgramFactory(pillar=pillar("living")), title_ind="Pasang sensor banjir", year=2021)
    miss = ActivityFactory(program=ProgramFactory(pillar=pillar("governance")), title_ind="Pelatihan", year=2022)
    return hit, miss, {"q": "sensor", "year": 2021}


def legal_instruments():
    hit = LegalInstrumentFactory(title_ind="Dewan Kota Cerdas", year=2021)
    hit.pillars.set([pillar("living")])
    miss = LegalInstrumentFactory(title_ind="Peraturan lain", year=2022)
    miss.pillars.set([pillar("governance")])
    return hit, miss, {"q": "dewan", "year": 2021}


def surveys():
    hit, miss = SurveyFactory(title_ind="Survei kepuasan", year=2021), SurveyFactory(title_ind="Survei lain", year=2022)
    return hit, miss, {"q": "kepuasan", "year": 2021}


def survey_targets():
    hit = SurveyTargetFactory(
        survey=SurveyFactory(year=2021),
        sub_dimension=SubDimension.objects.filter(pillar__slug="living").first(),
        service=DigitalServiceFactory(),
        owner_agency=AgencyFactory(),
    )
    miss = SurveyTargetFactory(survey=SurveyFactory(year=2022))
    return hit, miss, {"year": 2021}


def clarifications():
    evaluation = result(2021)
    hit = ClarificationRequestFactory(
        evaluation=evaluation,
        pillar=pillar("living"),
        dimension=evaluation.scheme.dimensions.first(),
        program=ProgramFactory(),
        question="Mohon dokumen sensor",
    )
    return hit, ClarificationRequestFactory(evaluation=result(2022), question="Mohon foto"), {"q": "sensor"}


def packs():
    user = get_user_model().objects.create_user("pemohon")
    hit = EvaluationPack.objects.create(evaluation=result(2021), format="xlsx", requested_by=user)
    return hit, EvaluationPack.objects.create(evaluation=result(2022), format="pdf", requested_by=user), {}


# Lists never shown to anonymous callers (401): read as a superuser, who also sees drafts (no hidden-row case).
PRIVATE = {
    evaluation_filters.SurveyResponseFilterSet,
    evaluation_filters.ClarificationRequestFilterSet,
    evaluation_filters.EvaluationPackFilterSet,
}


def feedback():
    """Feedback is about a program or a service, never both: one pair of rows for each of the two relations."""
    published = {"status": "published"}
    on_programs = (
        FeedbackFactory(program=ProgramFactory(), message="Lampu taman mati", **published),
        FeedbackFactory(program=ProgramFactory(), message="Jaringan lambat", **published),
        {"q": "lampu"},
    )
    on_services = (
        FeedbackFactory(program=None, service=DigitalServiceFactory(), message="Aplikasi galat", **published),
        FeedbackFactory(program=None, service=DigitalServiceFactory(), message="Formulir panjang", **published),
        {"q": "galat"},
    )
    return [on_programs, on_services]


def followed(name: str, address: str):
    return FOLLOWED_PORTAL.create(data={"name": name, "base_url": f"http://{address}/"}, actor=None)


def portal_snapshots():
    now = timezone.now()
    hit = PortalSnapshot.objects.create(portal=followed("Kota Padang", "36.66.1.1"), read_at=now, reason="timed out")
    miss = PortalSnapshot.objects.create(portal=followed("Kota Solok", "36.66.1.2"), read_at=now, reason="not JSON")
    return hit, miss, {"q": "timed"}


# Each FilterSet: a row every filter should keep (hit), one it should leave out (miss), and the values of the filters
# that are not relations (`q`, `year`, relations read by a method). Relations are read off the two rows themselves.
# Rows whose relations exclude each other (feedback names a program or a service) give a list of such triples:
# each relation filter is then judged on the pair that differs in it, and every one must be judged once.
CASES = {
    pillar_filters.PillarFilterSet: lambda: (
        PillarFactory(name_ind="Samudra"),
        PillarFactory(name_ind="Gunung"),
        {"q": "samudra"},
    ),
    pillar_filters.AgencyFilterSet: lambda: (
        AgencyFactory(name="Dinas Kelautan"),
        AgencyFactory(name="Dinas Pertanian"),
        {"q": "kelautan"},
    ),
    pillar_filters.MasterplanFilterSet: lambda: (
        MasterplanFactory(title="Masterplan lama", first_year=2010, last_year=2015),
        MasterplanFactory(title="Masterplan baru"),
        {"q": "lama", "year": 2012},
    ),
    pillar_filters.DistrictFilterSet: lambda: (
        DistrictFactory(name="Padang Barat"),
        DistrictFactory(name="Koto Tangah"),
        {"q": "barat"},
    ),
    pillar_filters.VillageFilterSet: villages,
    pillar_filters.ProgramFilterSet: programs,
    pillar_filters.MilestoneFilterSet: milestones,
    pillar_filters.BudgetLineFilterSet: budget_lines,
    pillar_filters.IndicatorFilterSet: indicators,
    pillar_filters.IndicatorTargetFilterSet: indicator_targets,
    pillar_filters.ProgramIndicatorFilterSet: program_indicators,
    pillar_filters.MeasurementFilterSet: measurements,
    pillar_filters.DigitalServiceFilterSet: services,
    pillar_filters.InfrastructureAssetFilterSet: assets,
    partnership_filters.PartnerFilterSet: partners,
    partnership_filters.ScopeAreaFilterSet: lambda: (
        ScopeAreaFactory(name_ind="Samudra"),
        ScopeAreaFactory(name_ind="Darat"),
        {"q": "samudra"},
    ),
    partnership_filters.MoUFilterSet: mous,
    partnership_filters.CommitmentFilterSet: commitments,
    partnership_filters.ProgressReportFilterSet: progress_reports,
    evaluation_filters.EvaluationSchemeFilterSet: lambda: (
        EvaluationSchemeFactory(name="Skema Kominfo", year=2019),
        EvaluationSchemeFactory(name="Skema Bappenas", year=2023),
        {"q": "kominfo", "year": 2019},
    ),
    evaluation_filters.EvaluationFilterSet: evaluations,
    evaluation_filters.FindingFilterSet: findings,
    evaluation_filters.FollowUpActionFilterSet: follow_ups,
    evaluation_filters.FieldVisitFilterSet: field_visits,
    framework_filters.FrameworkFilterSet: lambda: (
        FrameworkFactory(name_ind="Kerangka SPBE"),
        FrameworkFactory(name_ind="Kerangka Indeks Pemdi"),
        {"q": "spbe"},
    ),
    framework_filters.SelfAssessmentFilterSet: self_assessments,
    framework_filters.ExternalIndexFilterSet: lambda: (
        ExternalIndexFactory(name_ind="Indeks Kota Cerdas"),
        ExternalIndexFactory(name_ind="Indeks Kota Toleran"),
        {"q": "cerdas"},
    ),
    framework_filters.ExternalIndexValueFilterSet: external_index_values,
    partnership_filters.WebhookEndpointFilterSet: webhook_endpoints,
    partnership_filters.WebhookDeliveryFilterSet: webhook_deliveries,
    pillar_filters.ActivityFilterSet: activities,
    evaluation_filters.LegalInstrumentFilterSet: legal_instruments,
    evaluation_filters.SurveyFilterSet: surveys,
    evaluation_filters.SurveyTargetFilterSet: survey_targets,
    evaluation_filters.SurveyResponseFilterSet: lambda: (
        SurveyResponseFactory(target=SurveyTargetFactory()),
        SurveyResponseFactory(target=SurveyTargetFactory()),
        {},
    ),
    evaluation_filters.ClarificationRequestFilterSet: clarifications,
    evaluation_filters.EvaluationPackFilterSet: packs,
    pillar_filters.FeedbackFilterSet: feedback,
    federation_filters.FollowedPortalFilterSet: lambda: (
        followed("Kota Padang", "36.66.1.1"),
        followed("Kota Solok", "36.66.1.2"),
        {"q": "padang"},
    ),
    federation_filters.PortalSnapshotFilterSet: portal_snapshots,
}

# Lists that are not public, read as a member of staff who may view every row of them. (A partner's key sees only
# its own endpoints and their deliveries: tests/partnerships/test_webhooks.py.)
WEBHOOK_VIEW = ("view_webhookendpoint", "view_webhookdelivery")
READERS = {
    partnership_filters.WebhookEndpointFilterSet: WEBHOOK_VIEW,
    partnership_filters.WebhookDeliveryFilterSet: WEBHOOK_VIEW,
}


def client_for(filterset) -> APIClient:
    """Anonymous for a public list; for one that is not, a staff member holding exactly the view permissions."""
    client = APIClient()
    if filterset in READERS:
        user = UserFactory(is_staff=True)
        user.user_permissions.add(*Permission.objects.filter(codename__in=READERS[filterset]))
        client.force_authenticate(user)
    elif filterset in PRIVATE:
        user = get_user_model().objects.filter(is_superuser=True).first()
        client.force_authenticate(user or get_user_model().objects.create_superuser("filters-admin"))
    return client


# A draft of each record a relation filter may name: it must answer exactly like a row that does not exist.
HIDDEN = {
    Program: lambda: ProgramFactory(publication="draft"),
    Indicator: lambda: IndicatorFactory(publication="draft"),
    Partner: lambda: PartnerFactory(publication="draft"),
    MoU: lambda: MoUFactory(publication="draft"),
    Commitment: lambda: CommitmentFactory(mou=MoUFactory(publication="draft")),
    EvaluationScheme: lambda: EvaluationSchemeFactory(publication="draft"),
    Evaluation: lambda: EvaluationFactory(publication="draft"),
    Finding: lambda: FindingFactory(publication="draft"),
    Framework: lambda: FrameworkFactory(publication="draft"),
    ExternalIndex: lambda: ExternalIndexFactory(publication="draft"),
}


def relation_filters(filterset) -> dict[str, IdsFilter | SlugsFilter]:
    """The filters that read a relation by its path (not through a method)."""
    return {
        name: declared
        for name, declared in filterset.base_filters.items()
        if isinstance(declared, IdsFilter | SlugsFilter) and not declared.method
    }


def related_values(filterset, row, declared) -> set:
    """The ids or slugs `row` reaches through the filter's path."""
    rows = filterset._meta.model._default_manager.filter(pk=row.pk)
    return set(rows.values_list(declared.field_name, flat=True)) - {None}


def listed(client, url, params=None) -> set[int]:
    response = client.get(url, {"limit": 1000, **(params or {})})
    assert response.status_code == 200, (params, response.content)
    return {row["id"] for row in response.json()["results"]}


def test_every_filterset_has_a_filter_test():
    assert set(CASES) == set(app_filtersets())


@pytest.mark.django_db
@pytest.mark.parametrize("filterset", list(CASES), ids=lambda cls: cls.__name__)
def test_each_filter_narrows_the_list(filterset):
    cases = CASES[filterset]()
    cases = cases if isinstance(cases, list) else [cases]
    judged = set()
    for hit, miss, params in cases:
        judged |= narrows(filterset, hit, miss, params, exclusive=len(cases) > 1)
    assert judged == set(relation_filters(filterset)), "a relation filter no pair of rows judged"


def narrows(filterset, hit, miss, params, *, exclusive: bool) -> set[str]:
    client, url = client_for(filterset), list_url(filterset)
    assert {hit.pk, miss.pk} <= listed(client, url)
    assert ("q" in params) == ("q" in filterset.base_filters) and ("year" in params) == (
        "year" in filterset.base_filters
    )
    first, judged = None, set()
    for name, declared in relation_filters(filterset).items():
        values = related_values(filterset, hit, declared) - related_values(filterset, miss, declared)
        if exclusive and not values:
            continue  # another pair of rows judges this relation
        assert values, f"{name}: the two rows must differ in what the filter reads"
        judged.add(name)
        params[name] = sorted(values)[0]
        first = first or (name, params[name], sorted(related_values(filterset, miss, declared))[0])
    for name, value in params.items():
        assert listed(client, url, {name: value}) == {hit.pk}, name
    if first:  # a relation filter repeats: any of the values
        name, hit_value, miss_value = first
        assert listed(client, url, {name: [hit_value, miss_value]}) == {hit.pk, miss.pk}
    return judged


def hidden_cases():
    for filterset in [each for each in CASES if each not in PRIVATE]:
        for name, declared in relation_filters(filterset).items():
            if declared.queryset.model in HIDDEN:
                yield pytest.param(filterset, name, id=f"{filterset.__name__}-{name}")


@pytest.mark.django_db
@pytest.mark.parametrize(("filterset", "name"), list(hidden_cases()))
def test_a_hidden_rows_slug_or_id_answers_like_an_unknown_one(filterset, name):
    declared = filterset.base_filters[name]
    hidden = HIDDEN[declared.queryset.model]()
    hidden_value, unknown = (
        (hidden.slug, "no-such-row") if isinstance(declared, SlugsFilter) else (str(hidden.pk), "987654")
    )
    client, url = client_for(filterset), list_url(filterset)
    answers = []
    for value in (hidden_value, unknown):
        response = client.get(url, {name: value})
        answers.append((response.status_code, response.content.decode().replace(value, "<value>")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 400


def bad_values(filterset) -> dict[str, str]:
    names = filterset.base_filters
    bad = {"year": "0"} if "year" in names else {}
    ids = [name for name, declared in names.items() if isinstance(declared, IdsFilter)]
    # a yes/no filter reads `true` or `false`: `null` was read as "no filter" and answered the whole list
    flags = {name: "null" for name, declared in names.items() if isinstance(declared, django_filters.BooleanFilter)}
    return bad | ({ids[0]: "abc"} if ids else {"id": "abc"}) | flags


def test_every_yes_no_filter_is_the_strict_one():
    loose = [
        f"{filterset.__name__}.{name}"
        for filterset in CASES
        for name, declared in filterset.base_filters.items()
        if isinstance(declared, django_filters.BooleanFilter) and not isinstance(declared, BooleanFilter)
    ]
    assert loose == []
    assert any(isinstance(f, BooleanFilter) for fs in CASES for f in fs.base_filters.values())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filterset", "name", "value"),
    [
        pytest.param(filterset, name, value, id=f"{filterset.__name__}-{name}")
        for filterset in CASES
        for name, value in bad_values(filterset).items()
    ],
)
def test_a_bad_value_is_a_400_naming_the_filter(filterset, name, value):
    response = client_for(filterset).get(list_url(filterset), {name: value})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and list(body["errors"]) == [name] and body["errors"][name]
