"""Issue 14, done when: one evaluation year walked end to end through the API, as the roles that would do it.

Diskominfo registers the year's regulation and the decree forming the smart-city council, the OPDs plan and report
their activities (the program's progress rolls up by weight), Diskominfo imports 50 survey responses for one
sub-dimension and 49 for another (readiness flags the second, and it blocks), an assessor asks for clarification,
the OPD answers with a file and the assessor closes it, the pack is built, and the stage is submitted: refused
while the gap blocks, then by an administrator's override whose reason is kept.
"""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from rest_framework.test import APIClient

from evaluations.choices import ExportStatus
from evaluations.models import ClarificationRequest, EvaluationPack, ReadinessOverride, SurveyResponse
from evaluations.tasks import build_evaluation_pack
from pillars.models import Pillar, Program, SubDimension
from smartcity.api.serializers import with_deprecated_names
from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR
from tests.factories import UserFactory
from tests.pillars.factories import AgencyFactory, ProgramFactory

from .factories import EvaluationFactory, EvaluationSchemeFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def client_as(role, agency=None):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if agency is not None:
        agency.members.add(user)
    client = APIClient()
    client.force_authenticate(user)
    return client


def responses_csv(count: int, *, bad: str | None = None) -> SimpleUploadedFile:
    lines = ["respondent,answered_on,q1,q2,q3"]
    lines += [
        f"R{n:03},2023-06-{1 + n % 28:02},{1 + n % 5},4,{bad if bad and n == count - 1 else 5}" for n in range(count)
    ]
    return SimpleUploadedFile("responses.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def ok(response, status=200):
    assert response.status_code == status, getattr(response, "data", response.content)
    return response.data


def test_one_evaluation_year_walked_through_the_api_by_its_roles():
    dishub, dinkes = AgencyFactory(acronym="Dishub"), AgencyFactory(acronym="Dinkes")
    diskominfo, evaluator, admin = client_as(DISKOMINFO_EDITOR), client_as(EVALUATOR), client_as(ADMINISTRATOR)
    opd_dishub, opd_dinkes = client_as(OPD_EDITOR, dishub), client_as(OPD_EDITOR, dinkes)
    evaluation = EvaluationFactory(
        scheme=EvaluationSchemeFactory(year=2023), stage="stage_1", kind="self_assessment", publication="draft"
    )
    governance, living = Pillar.objects.get(slug="governance"), Pillar.objects.get(slug="living")
    program = ProgramFactory(lead_agency=dishub, pillar=governance, progress=10, first_year=2022, last_year=2025)

    # Output: the mayor's regulation and the decree forming the smart-city council, with its members.
    ok(diskominfo.post(f"{API}/legal-instruments/", {
        "year": 2023, "kind": "regulation", "number": "Perwako No. 12 Tahun 2023", "issued_on": "2023-02-01",
        "title_ind": "Masterplan Smart City", "pillars": [governance.pk, living.pk], "publication": "published",
    }, format="json"), 201)  # fmt: skip
    decree = ok(diskominfo.post(f"{API}/legal-instruments/", {
        "year": 2023, "kind": "decree", "number": "SK 100/2023", "issued_on": "2023-03-01", "forms_body": "council",
        "title_ind": "Pembentukan Dewan Smart City", "pillars": [governance.pk],
        "members": [{"name": "Wali Kota", "role": "Ketua"}, {"name": "Kepala Diskominfo", "role": "Sekretaris"}],
    }, format="json"), 201)  # fmt: skip
    assert [m["name"] for m in decree["members"]] == ["Wali Kota", "Kepala Diskominfo"]
    brief = {"id": governance.pk, "slug": "governance", "name_ind": governance.name_ind, "name_en": governance.name_en}
    assert decree["pillars"][0] == with_deprecated_names(brief)

    # Outcome: Dishub plans two activities (weights 3 and 1) and reports them; the program reads 75 %.
    first = ok(opd_dishub.post(f"{API}/activities/", {"program": program.pk, "year": 2023, "owner_agency": dishub.pk,
               "title_ind": "Pemasangan Wi-Fi", "weight": "3", "target": "30 titik"}, format="json"), 201)  # fmt: skip
    ok(opd_dishub.post(f"{API}/activities/", {"program": program.pk, "year": 2023, "owner_agency": dishub.pk,
       "title_ind": "Sosialisasi", "weight": "1"}, format="json"), 201)  # fmt: skip
    ok(opd_dishub.patch(f"{API}/activities/{first['id']}/", {"progress": 100}, format="json"))
    assert ok(diskominfo.get(f"{API}/programs/{program.slug}/"))["progress"] == 75
    # Dinkes cannot report Dishub's activity, and nothing changes.
    refused = opd_dinkes.patch(f"{API}/activities/{first['id']}/", {"progress": 0}, format="json")
    assert refused.status_code == 400 and "owner_agency" in refused.data["errors"]
    assert Program.objects.get(pk=program.pk).progress == 75

    # Impact: the survey, two surveyed sub-dimensions, 50 and 49 responses imported (a dry run first writes nothing).
    survey = ok(diskominfo.post(f"{API}/surveys/", {"year": 2023, "slug": "survei-2023", "title_ind": "Survei Warga",
                "items": [{"code": "q1", "text_ind": "Layanan mudah", "text_en": "Easy to use"},
                          {"code": "q2", "text_ind": "Cepat"}, {"code": "q3", "text_ind": "Puas"}],
                "publication": "published"}, format="json"), 201)  # fmt: skip
    public_services, health = (SubDimension.objects.get(pillar=governance, order=1),
                               SubDimension.objects.get(pillar=living, order=2))  # fmt: skip
    living_program = ProgramFactory(lead_agency=dinkes, pillar=living)
    enough = ok(diskominfo.post(f"{API}/survey-targets/", {"survey": survey["id"], "sub_dimension": public_services.pk,
                "program": program.pk}, format="json"), 201)  # fmt: skip
    short = ok(diskominfo.post(f"{API}/survey-targets/", {"survey": survey["id"], "sub_dimension": health.pk,
               "program": living_program.pk}, format="json"), 201)  # fmt: skip
    assert short["owner_agency"]["id"] == dinkes.pk  # the program's lead agency, by default
    dry = ok(diskominfo.post(f"{API}/survey-targets/{enough['id']}/import-responses/",
             {"file": responses_csv(50), "dry_run": "true"}, format="multipart"))  # fmt: skip
    assert dry == {"rows": 50, "dry_run": True, "responses": 0} and not SurveyResponse.objects.exists()
    url = f"{API}/survey-targets/{{}}/import-responses/"
    assert (
        ok(diskominfo.post(url.format(enough["id"]), {"file": responses_csv(50)}, format="multipart"))["responses"]
        == 50
    )
    assert (
        ok(diskominfo.post(url.format(short["id"]), {"file": responses_csv(49)}, format="multipart"))["responses"] == 49
    )

    readiness = ok(evaluator.get(f"{API}/evaluations/{evaluation.slug}/readiness/"))
    impact = next(d for d in readiness if d["dimension"] == "impact")
    flagged = [g for g in impact["gaps"] if g["blocking"]]
    assert [(g["pillar"], g["sub_dimension"]) for g in flagged] == [("living", health.slug)]
    assert "49" in flagged[0]["text"]
    output = next(d for d in readiness if d["dimension"] == "output")
    assert output["blocking"] == 0  # a regulation and a decree are registered

    # A clarification: asked by the assessor, seen and answered by Dishub only (with a file), then closed.
    asked = ok(evaluator.post(f"{API}/clarification-requests/", {"evaluation": evaluation.pk, "pillar": governance.pk,
               "owner_agency": dishub.pk, "question": "Mohon SK tim pelaksana", "due_on": "2023-07-10"},
               format="json"), 201)  # fmt: skip
    assert asked["status"] == "open"
    assert ok(opd_dinkes.get(f"{API}/clarification-requests/"))["count"] == 0
    assert opd_dinkes.post(f"{API}/clarification-requests/{asked['id']}/answer/", {"text": "x"}).status_code == 404
    blocked = ok(evaluator.get(f"{API}/evaluations/{evaluation.slug}/readiness/"))
    assert any(g["blocking"] and "Mohon SK" in g["text"] for d in blocked for g in d["gaps"])
    answer = {"text": "Terlampir SK", "file": SimpleUploadedFile("sk.pdf", PDF, content_type="application/pdf")}
    answered = ok(opd_dishub.post(f"{API}/clarification-requests/{asked['id']}/answer/", answer, format="multipart"))
    assert answered["status"] == "answered" and answered["answers"][0]["file"]
    assert ok(evaluator.post(f"{API}/clarification-requests/{asked['id']}/close/"))["status"] == "closed"
    assert ClarificationRequest.objects.get(pk=asked["id"]).closed_on == datetime.date.today()

    # The pack, built by its task, dimension by dimension.
    for fmt in ("xlsx", "pdf"):
        pack = ok(evaluator.post(f"{API}/evaluations/{evaluation.slug}/pack/", {"format": fmt}, format="json"), 202)
        assert pack["status"] == "queued"
        assert build_evaluation_pack(pack_id=pack["id"]) == ExportStatus.DONE
        built = ok(evaluator.get(f"{API}/evaluation-packs/{pack['id']}/"))
        assert (built["status"], built["progress"]) == ("done", 100) and built["download"]
    workbook = load_workbook(io.BytesIO(EvaluationPack.objects.get(format="xlsx").file.read()))
    assert [name.split(".")[0] for name in workbook.sheetnames] == ["1", "2", "3", "4", "5", "Permintaan klarifikasi"]
    cells = [str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Perwako No. 12 Tahun 2023" in cells and "Pemasangan Wi-Fi" in cells and "Terlampir SK" in cells
    assert any("49" in cell and "di bawah" in cell for cell in cells)  # the 50-response rule, in the pack
    assert EvaluationPack.objects.get(format="pdf").file.read()[:5] == b"%PDF-"

    # The stage: refused while the 49 blocks; an evaluator cannot override; an administrator can, with a reason.
    refused = evaluator.post(f"{API}/evaluations/{evaluation.slug}/submit/", {}, format="json")
    assert refused.status_code == 400 and "readiness" in refused.data["errors"]
    no_right = evaluator.post(
        f"{API}/evaluations/{evaluation.slug}/submit/", {"override_reason": "Tenggat"}, format="json"
    )
    assert no_right.status_code == 403
    assert not ReadinessOverride.objects.exists()
    reason = "Survei Kesehatan dilengkapi saat tahap II; kementerian menyetujui."
    submitted = ok(
        admin.post(f"{API}/evaluations/{evaluation.slug}/submit/", {"override_reason": reason}, format="json")
    )
    assert submitted["status"] == "submitted"
    kept = ReadinessOverride.objects.get()
    assert kept.reason == reason and kept.gaps[0]["sub_dimension"] == health.slug


def test_a_stage_without_blocking_gaps_is_submitted_by_the_evaluator(django_assert_max_num_queries):
    from .factories import LegalInstrumentFactory

    evaluation = EvaluationFactory(scheme=EvaluationSchemeFactory(year=2023), stage="stage_1", kind="self_assessment")
    LegalInstrumentFactory(year=2023, kind="regulation")
    LegalInstrumentFactory(year=2023, kind="decree")
    submitted = client_as(EVALUATOR).post(f"{API}/evaluations/{evaluation.slug}/submit/", {}, format="json")
    assert ok(submitted)["status"] == "submitted"
    assert not ReadinessOverride.objects.exists()
