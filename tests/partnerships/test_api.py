import datetime
from decimal import Decimal

import factory
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from partnerships.models import MoU, ProgressReport, ScopeArea
from partnerships.models.mou import MOU_DOCUMENT_MAX_BYTES
from pillars.models import Pillar
from tests.api import StandardApiTests, count_queries
from tests.pillars.factories import ProgramFactory
from tests.snapshots import snapshot

from .factories import (
    CommitmentFactory,
    MoUFactory,
    MoUPartyFactory,
    PartnerContactFactory,
    PartnerFactory,
    ProgressReportFactory,
    ScopeAreaFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def area(slug):
    return ScopeArea.objects.get(slug=slug)


class RichMoUFactory(MoUFactory):
    """An MoU touching every relation the serializer reads, so an N+1 would show in the query count."""

    @factory.post_generation
    def everything(self, create, extracted, **kwargs):
        MoUPartyFactory(mou=self)
        self.pillars.set(Pillar.objects.filter(slug__in=["governance", "living"]))
        self.programs.set([ProgramFactory(), ProgramFactory()])


class PartnershipsApiTests(StandardApiTests):
    def fresh(self, user):
        """The user as a new object, as each real request loads it: no permission cache carried over."""
        return type(user).objects.get(pk=user.pk)

    def test_list_query_count_is_constant(self, api_client, make_user):
        user = make_user(*self.view_perms)
        self.factory()
        api_client.force_authenticate(self.fresh(user))
        one = count_queries(api_client, self.list_url)
        self.factory.create_batch(5)
        api_client.force_authenticate(self.fresh(user))
        assert count_queries(api_client, self.list_url) == one  # no N+1


class TestPartnerApi(PartnershipsApiTests):
    url_name, factory, public, lookup_field = "partnerships-api:partner", PartnerFactory, True, "slug"
    view_perms = ("partnerships.view_partner", "partnerships.view_partnercontact")

    @staticmethod
    def factory_with_contacts():
        partner = PartnerFactory()
        PartnerContactFactory.create_batch(2, partner=partner)
        MoUFactory(party__partner=partner)
        return partner

    def test_contacts_only_for_staff_holding_view_partnercontact(self, api_client, make_user):
        partner = self.factory_with_contacts()
        assert "contacts" not in api_client.get(self.detail_url(partner)).data
        api_client.force_authenticate(make_user("partnerships.view_partner"))
        assert "contacts" not in api_client.get(self.detail_url(partner)).data
        api_client.force_authenticate(make_user(*self.view_perms))
        assert len(api_client.get(self.detail_url(partner)).data["contacts"]) == 2

    def test_query_count_with_contacts_and_mous_is_constant(self, api_client, make_user):
        user = make_user(*self.view_perms)
        self.factory_with_contacts()
        api_client.force_authenticate(self.fresh(user))
        one = count_queries(api_client, self.list_url)
        for _ in range(4):
            self.factory_with_contacts()
        api_client.force_authenticate(self.fresh(user))
        assert count_queries(api_client, self.list_url) == one

    def test_unpublished_partner_is_hidden_from_the_public(self, api_client):
        draft = PartnerFactory(publication="draft")
        assert api_client.get(self.detail_url(draft)).status_code == 404

    def test_filters_kind_scope_area_and_search(self, api_client):
        telkom = PartnerFactory(name="PT Telkom Indonesia", short_name="Telkom", kind="state_owned")
        PartnerFactory(name="Universitas Andalas", kind="university")
        MoUFactory(party__partner=telkom, scope_areas=[])
        tbg = PartnerFactory(name="Tower Bersama Grup")
        MoUFactory(party__partner=tbg)  # public-wifi
        assert self.slugs(api_client, kind="state_owned") == [telkom.slug]
        assert self.slugs(api_client, q="telkom") == [telkom.slug]
        assert self.slugs(api_client, scope_area="public-wifi") == [tbg.slug]

    def slugs(self, client, **params):
        return [row["slug"] for row in client.get(self.list_url, params).data["results"]]


class TestScopeAreaApi(PartnershipsApiTests):
    url_name, factory, public, lookup_field = "partnerships-api:scopearea", ScopeAreaFactory, True, "slug"
    view_perms = ("partnerships.view_scopearea",)

    def test_lists_the_eleven_reference_areas_in_order(self, api_client):
        response = api_client.get(self.list_url)
        assert response.data["count"] == 11 and response.data["results"][0]["slug"] == "digital-applications"

    def test_read_only_even_for_staff(self, api_client, make_user):
        api_client.force_authenticate(make_user("partnerships.add_scopearea", "partnerships.view_scopearea"))
        assert api_client.post(self.list_url, {"slug": "x"}).status_code == 405


PARTY_PERMS = ("partnerships.add_mouparty", "partnerships.change_mouparty", "partnerships.delete_mouparty")


class TestMoUApi(PartnershipsApiTests):
    url_name, factory, public, lookup_field = "partnerships-api:mou", RichMoUFactory, True, "slug"
    view_perms = ("partnerships.view_mou",)

    def editor(self, api_client, make_user, *extra, parties=True):
        """An MoU editor; the nested parties are written through the party writer, which needs its own perms."""
        party_perms = PARTY_PERMS if parties else ()
        api_client.force_authenticate(
            make_user("partnerships.add_mou", "partnerships.change_mou", "partnerships.view_mou", *party_perms, *extra)
        )
        return api_client

    def payload(self, **overrides):
        partner = PartnerFactory()
        data = {
            "slug": "tbg-2021",
            "title_ind": "Smart city bersama Tower Bersama Grup",
            "valid_from": "2021-07-26",
            "valid_until": "2026-07-25",
            "parties": [{"partner": partner.pk, "signatory_name": "Budianto Purwahjo", "partner_number": "TBG/1"}],
            "scope_areas": [area("digital-applications").pk, area("cctv-integration").pk],
            "pillars": [Pillar.objects.get(slug="governance").pk],
        }
        return data | overrides

    def test_status_is_derived_on_every_read(self, api_client):
        today = datetime.date.today()
        active = MoUFactory(
            valid_from=today - datetime.timedelta(days=5), valid_until=today + datetime.timedelta(days=5)
        )
        expired = MoUFactory(valid_from=D(2015, 5, 30), valid_until=D(2020, 5, 29))
        assert api_client.get(self.detail_url(active)).data["status"] == "active"
        assert api_client.get(self.detail_url(expired)).data["status"] == "expired"

    def test_create_records_a_draft_with_its_parties(self, api_client, make_user):
        response = self.editor(api_client, make_user).post(self.list_url, self.payload(), format="json")
        assert response.status_code == 201, response.data
        assert response.data["state"] == "draft" and response.data["status"] == "draft"
        assert [p["partner_number"] for p in response.data["parties"]] == ["TBG/1"]
        assert [a["slug"] for a in response.data["scope_areas"]] == ["digital-applications", "cctv-integration"]
        assert response.data["parties"][0]["partner"]["id"] == MoU.objects.get(slug="tbg-2021").partners.get().pk

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"valid_from": "2026-07-25", "valid_until": "2021-07-26"}, "valid_until"),  # reversed dates
            ({"parties": []}, "parties"),
            ({"scope_areas": [999999]}, "scope_areas"),
            ({"scope_areas": ["cctv-integration"]}, "scope_areas"),  # a slug: relations are named by id
        ],
    )
    def test_bad_input_is_400_and_saves_nothing(self, api_client, make_user, overrides, field):
        before = (MoU.objects.count(), MoU.history.count())
        response = self.editor(api_client, make_user).post(self.list_url, self.payload(**overrides), format="json")
        assert response.status_code == 400 and response.data["code"] == "invalid"
        assert field in response.data["errors"]
        assert (MoU.objects.count(), MoU.history.count()) == before

    def test_nested_parties_need_the_party_permissions_too(self, api_client, make_user):
        mou, other, payload = MoUFactory(), PartnerFactory(), self.payload()
        client = self.editor(api_client, make_user, parties=False)
        before = snapshot(mou)
        response = client.patch(self.detail_url(mou), {"title_ind": "Diubah", "parties": [{"partner": other.pk}]})
        assert response.status_code == 403
        assert snapshot(mou) == before
        assert client.post(self.list_url, payload, format="json").status_code == 403
        assert snapshot(mou) == before

    def test_a_party_with_commitments_cannot_be_dropped(self, api_client, make_user):
        commitment = CommitmentFactory()
        other = PartnerFactory()
        response = self.editor(api_client, make_user).patch(
            self.detail_url(commitment.mou), {"parties": [{"partner": other.pk}]}, format="json"
        )
        assert response.status_code == 400 and "parties" in response.data["errors"]
        assert list(commitment.mou.partners.all()) == [commitment.partner]

    def test_signed_pdf_upload(self, api_client, make_user):
        mou = MoUFactory()
        upload = SimpleUploadedFile("mou.pdf", PDF, content_type="application/pdf")
        response = self.editor(api_client, make_user).patch(
            self.detail_url(mou), {"signed_document": upload}, format="multipart"
        )
        assert response.status_code == 200, response.data
        mou.refresh_from_db()
        assert mou.signed_document.name.startswith("mous/") and mou.signed_document.name.endswith(".pdf")
        assert "mou" not in mou.signed_document.name.removeprefix("mous/")  # the uploader's name is not kept

    @pytest.mark.parametrize(
        ("content", "code"),
        [
            (b"MZ\x90\x00 not a pdf at all, an executable renamed", "file_type"),
            (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "file_type"),  # an image is not the signed MoU
            (PDF + b"0" * MOU_DOCUMENT_MAX_BYTES, "file_too_large"),
        ],
    )
    def test_a_signed_document_that_is_not_an_acceptable_pdf_is_400(self, api_client, make_user, content, code):
        mou = MoUFactory()
        upload = SimpleUploadedFile("mou.pdf", content, content_type="application/pdf")
        response = self.editor(api_client, make_user).patch(
            self.detail_url(mou), {"signed_document": upload}, format="multipart"
        )
        assert response.status_code == 400 and "signed_document" in response.data["errors"]
        mou.refresh_from_db()
        assert not mou.signed_document and mou.history.count() == 2  # created, scope set: no third row

    def test_sign_needs_a_draft(self, api_client, make_user):
        client = self.editor(api_client, make_user, "partnerships.sign_mou")
        response = client.post(
            reverse("partnerships-api:mou-sign", args=[MoUFactory().slug]), {"signed_on": "2025-01-01"}
        )
        with translation.override("id"):
            expected = gettext("Only a draft MoU can be signed.")
        assert response.status_code == 400 and response.data["errors"]["non_field_errors"] == [expected]

    def test_sign_online_with_a_place_is_400(self, api_client, make_user):
        draft = MoUFactory(state="draft", signed_on=None)
        response = self.editor(api_client, make_user, "partnerships.sign_mou").post(
            reverse("partnerships-api:mou-sign", args=[draft.slug]),
            {"signed_on": "2025-01-01", "signed_place": "Bandung", "signed_online": True},
        )
        assert response.status_code == 400 and "signed_place" in response.data["errors"]
        draft.refresh_from_db()
        assert draft.state == "draft"

    def test_terminate_carries_date_and_reason_and_shows_as_terminated(self, api_client, make_user):
        mou = MoUFactory()
        client = self.editor(api_client, make_user, "partnerships.terminate_mou")
        target = reverse("partnerships-api:mou-terminate", args=[mou.slug])
        early = client.post(target, {"terminated_on": "2000-01-01", "reason": "x"})
        assert early.status_code == 400 and "terminated_on" in early.data["errors"]
        response = client.post(target, {"terminated_on": datetime.date.today().isoformat(), "reason": "Dialihkan"})
        assert response.status_code == 200 and response.data["status"] == "terminated"
        assert response.data["termination_reason"] == "Dialihkan"
        assert client.post(target, {"terminated_on": "2030-01-01", "reason": "x"}).status_code == 400

    def test_filters(self, api_client):
        telkom = PartnerFactory(kind="state_owned")
        mou_2015 = MoUFactory(
            party__partner=telkom, signed_on=D(2015, 5, 30), valid_from=D(2015, 5, 30), valid_until=D(2020, 5, 29)
        )
        mou_2021 = MoUFactory(
            signed_on=D(2021, 7, 26),
            valid_from=D(2021, 7, 26),
            valid_until=D(2099, 7, 25),
            scope_areas=[],
            city_number="045/SC/2021",
        )
        mou_2021.pillars.set([1])
        draft = MoUFactory(state="draft", signed_on=None, valid_from=D(2030, 1, 1), valid_until=D(2031, 1, 1))
        cases = {
            "partner": ({"partner": telkom.slug}, [mou_2015]),
            "partner_id": ({"partner_id": telkom.pk}, [mou_2015]),
            "partner_kind": ({"partner_kind": "state_owned"}, [mou_2015]),
            "scope_area": ({"scope_area": "public-wifi"}, [draft, mou_2015]),
            "pillar": ({"pillar": "governance"}, [mou_2021]),
            "status": ({"status": ["expired", "draft"]}, [draft, mou_2015]),
            "in_force_on": ({"in_force_on": "2018-01-01"}, [mou_2015]),
            "expiring_before": ({"expiring_before": "2100-01-01"}, [mou_2021]),
            "year": ({"year": 2015}, [mou_2015]),
            "q": ({"q": "045/SC"}, [mou_2021]),
            "ordering": ({"ordering": "valid_until"}, [mou_2015, draft, mou_2021]),
        }
        for name, (params, expected) in cases.items():
            got = [row["slug"] for row in api_client.get(self.list_url, params).data["results"]]
            assert got == [m.slug for m in expected], name


class TestCommitmentApi(PartnershipsApiTests):
    url_name, factory, public = "partnerships-api:commitment", CommitmentFactory, True
    view_perms = ("partnerships.view_commitment",)

    def test_progress_comes_from_the_newest_report(self, api_client):
        commitment = CommitmentFactory(target_quantity=Decimal(80))
        ProgressReportFactory(commitment=commitment, reported_on=D(2021, 7, 31), quantity_reached=Decimal(80))
        data = api_client.get(self.detail_url(commitment)).data
        assert (data["reached_quantity"], data["progress_percent"], data["last_reported_on"]) == (
            "80.00",
            100,
            "2021-07-31",
        )

    @pytest.mark.parametrize(("quantity", "field"), [("-5", "target_quantity"), ("0", "target_quantity")])
    def test_negative_or_zero_target_is_400_and_saves_nothing(self, api_client, make_user, quantity, field):
        mou = MoUFactory()
        api_client.force_authenticate(make_user("partnerships.add_commitment", "partnerships.view_commitment"))
        before = self.model.objects.count()
        response = api_client.post(
            self.list_url,
            {
                "mou": mou.pk,
                "partner": mou.partners.get().pk,
                "description_ind": "x",
                "target_quantity": quantity,
                "unit_ind": "titik",
            },
        )
        assert response.status_code == 400 and field in response.data["errors"]
        assert self.model.objects.count() == before

    def test_partner_must_be_a_party_of_the_mou(self, api_client, make_user):
        mou = MoUFactory()
        api_client.force_authenticate(make_user("partnerships.add_commitment", "partnerships.view_commitment"))
        response = api_client.post(
            self.list_url,
            {
                "mou": mou.pk,
                "partner": PartnerFactory().pk,
                "description_ind": "x",
                "target_quantity": "5",
                "unit_ind": "unit",
            },
        )
        assert response.status_code == 400 and "partner" in response.data["errors"]
        assert not self.model.objects.exists()

    def test_filters(self, api_client):
        wifi = CommitmentFactory(pillar_id=1, description_ind="Titik Wi-Fi publik")
        old = CommitmentFactory(mou=MoUFactory(valid_from=D(2015, 5, 30), valid_until=D(2020, 5, 29), scope_areas=[]))
        cases = {
            "mou": ({"mou": wifi.mou.slug}, [wifi]),
            "partner": ({"partner": old.partner.slug}, [old]),
            "partner_kind": ({"partner_kind": "private"}, [wifi, old]),
            "pillar": ({"pillar": "governance"}, [wifi]),
            "scope_area": ({"scope_area": "public-wifi"}, [wifi]),
            "status": ({"status": "expired"}, [old]),
            "in_force_on": ({"in_force_on": "2016-01-01"}, [old]),
            "q": ({"q": "wi-fi"}, [wifi]),
        }
        for name, (params, expected) in cases.items():
            got = [row["id"] for row in api_client.get(self.list_url, params).data["results"]]
            assert got == [c.pk for c in expected], name


class TestProgressReportApi(PartnershipsApiTests):
    url_name, factory, public = "partnerships-api:progressreport", ProgressReportFactory, True
    view_perms = ("partnerships.view_progressreport",)

    def staff(self, api_client, make_user):
        api_client.force_authenticate(make_user("partnerships.add_progressreport", "partnerships.view_progressreport"))
        return api_client

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"quantity_reached": "-1"}, "quantity_reached"),  # negative
            ({"reported_on": "2999-01-01"}, "reported_on"),  # future
            ({"quantity_reached": "abc"}, "quantity_reached"),
        ],
    )
    def test_bad_input_is_400_and_saves_nothing(self, api_client, make_user, data, field):
        commitment = CommitmentFactory()
        payload = {"commitment": commitment.pk, "reported_on": "2025-01-01", "quantity_reached": "10"} | data
        response = self.staff(api_client, make_user).post(self.list_url, payload)
        assert response.status_code == 400 and field in response.data["errors"]
        assert not ProgressReport.objects.exists() and not ProgressReport.history.exists()

    def test_evidence_must_be_a_document_by_content(self, api_client, make_user):
        commitment = CommitmentFactory()
        fake = SimpleUploadedFile("bukti.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
        payload = {"commitment": commitment.pk, "reported_on": "2025-01-01", "quantity_reached": "10", "evidence": fake}
        response = self.staff(api_client, make_user).post(self.list_url, payload, format="multipart")
        assert response.status_code == 400 and "evidence" in response.data["errors"]
        assert not ProgressReport.objects.exists()

    def test_staff_report_with_pdf_evidence(self, api_client, make_user):
        commitment = CommitmentFactory(target_quantity=Decimal(80))
        evidence = SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf")
        payload = {
            "commitment": commitment.pk,
            "reported_on": "2025-01-01",
            "quantity_reached": "20",
            "evidence": evidence,
        }
        response = self.staff(api_client, make_user).post(self.list_url, payload, format="multipart")
        assert response.status_code == 201 and response.data["progress_percent"] == 25
        assert response.data["reported_with_key"] is False

    def test_filters(self, api_client):
        first = ProgressReportFactory(reported_on=D(2024, 1, 1), note="Tahap pertama")
        second = ProgressReportFactory(reported_on=D(2025, 1, 1))
        cases = {
            "commitment_id": ({"commitment_id": first.commitment_id}, [first]),
            "partner": ({"partner": second.commitment.partner.slug}, [second]),
            "reported_after": ({"reported_after": "2024-06-01"}, [second]),
            "q": ({"q": "pertama"}, [first]),
            "status": ({"status": "active"}, [first, second]),
        }
        for name, (params, expected) in cases.items():
            got = sorted(row["id"] for row in api_client.get(self.list_url, params).data["results"])
            assert got == sorted(r.pk for r in expected), name
