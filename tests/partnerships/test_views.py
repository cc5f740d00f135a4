import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from tests.responses import body

from .factories import CommitmentFactory, MoUFactory, MoUPartyFactory, PartnerFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def page(client, name, *args, query=""):
    with translation.override("id"):
        url = reverse(f"partnerships:{name}", args=args)
    response = client.get(url + query)
    assert response.status_code == 200
    return response.content.decode()


def test_registry_lists_published_mous_with_partners_and_status(client):
    telkom = PartnerFactory(name="PT Telkom Indonesia", short_name="Telkom")
    MoUFactory(
        title_ind="Dukungan Smart City Padang",
        party__partner=telkom,
        valid_from=D(2015, 5, 30),
        valid_until=D(2020, 5, 29),
    )
    MoUFactory(title_ind="Rahasia", publication="draft")
    html = page(client, "mou-list")
    assert "Dukungan Smart City Padang" in html and ">Telkom</a>" in html and "mou-status-expired" in html
    assert "Rahasia" not in html
    assert '<html lang="id"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=expired", ["Lama"]),
        ("?status=active", ["Baru"]),
        ("?scope_area=cctv-integration", ["Baru"]),
        ("?partner_kind=state_owned", ["Lama"]),
        ("?year=2015", ["Lama"]),
        ("?year=abc", ["Baru", "Lama"]),  # a bad value is ignored, not an error page
    ],
)
def test_registry_filters(client, query, expected):
    from partnerships.models import ScopeArea

    MoUFactory(
        title_ind="MoU Lama",
        party__partner=PartnerFactory(kind="state_owned"),
        signed_on=D(2015, 5, 30),
        valid_from=D(2015, 5, 30),
        valid_until=D(2020, 5, 29),
    )
    MoUFactory(title_ind="MoU Baru", scope_areas=ScopeArea.objects.filter(slug="cctv-integration"))
    html = page(client, "mou-list", query=query)
    assert [title for title in ("Baru", "Lama") if f"MoU {title}" in html] == expected


def test_mou_page_shows_parties_scope_programs_and_progress(client):
    from tests.pillars.factories import ProgramFactory

    commitment = CommitmentFactory(target_quantity=Decimal(80), description_ind="Menara telekomunikasi di Kota Padang")
    mou = commitment.mou
    MoUPartyFactory(mou=mou, partner=PartnerFactory(name="Kementerian Uji"), signatory_name="Ibu Menteri")
    mou.programs.set([ProgramFactory(title_ind="Command center kota")])
    ProgressReportFactory(commitment=commitment, quantity_reached=Decimal(60))
    html = page(client, "mou-detail", mou.slug)
    assert commitment.partner.name in html and "Kementerian Uji" in html and "Ibu Menteri" in html
    assert "Wi-Fi publik" in html  # the scope area, in Indonesian
    assert "Command center kota" in html
    assert '<progress value="75" max="100">' in html and "Menara telekomunikasi di Kota Padang" in html
    assert 'style="' not in html and html.count("<script>") == 1  # only the page's `js` mark (base.html)


def test_mou_page_in_english(client):
    mou = MoUFactory(title_ind="Judul", title_en="English title")
    html = client.get(f"/en/partnerships/mou/{mou.slug}/").content.decode()
    assert '<html lang="en"' in html and "English title" in html and "Public Wi-Fi" in html


def test_unpublished_mou_and_partner_pages_are_404(client):
    assert client.get(f"/partnerships/mou/{MoUFactory(publication='draft').slug}/").status_code == 404
    assert client.get(f"/partnerships/partners/{PartnerFactory(publication='draft').slug}/").status_code == 404


def test_partner_pages(client):
    tbg = PartnerFactory(name="Tower Bersama Grup", short_name="TBG")
    MoUFactory(title_ind="Smart city bersama TBG", party__partner=tbg)
    MoUFactory(title_ind="Belum terbit", party__partner=tbg, publication="draft")
    listing = page(client, "partner-list")
    assert "Tower Bersama Grup" in listing and "<td>1</td>" in listing  # only the published MoU counts
    detail = page(client, "partner-detail", tbg.slug)
    assert "Smart city bersama TBG" in detail and "Belum terbit" not in detail


def _grow(n):
    for _ in range(n):
        commitment = CommitmentFactory()
        MoUPartyFactory(mou=commitment.mou)
        ProgressReportFactory(commitment=commitment)


@pytest.mark.parametrize(
    "name", ["mou-list", "partner-list", "mou-download-csv", "mou-download-json", "partner-download-json"]
)
def test_list_pages_and_downloads_run_a_constant_number_of_queries(client, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    target = {
        "mou-download-csv": "/partnerships/?download=csv",
        "mou-download-json": "/partnerships/?download=json",
        "partner-download-json": "/partnerships/partners/?download=json",
        "mou-list": "/partnerships/",
        "partner-list": "/partnerships/partners/",
    }[name]
    _grow(1)
    with CaptureQueriesContext(connection) as one:
        response = client.get(target)
        assert response.status_code == 200 and body(response)  # a download's rows are read while it streams
    _grow(5)
    with CaptureQueriesContext(connection) as six:
        response = client.get(target)
        assert response.status_code == 200 and body(response)
    assert len(six) == len(one)


def test_mou_page_query_count_does_not_grow_with_commitments(client, django_assert_num_queries):
    commitment = CommitmentFactory()
    with django_assert_num_queries(6):  # the MoU, then parties, scope areas, pillars, programs, commitments
        client.get(f"/partnerships/mou/{commitment.mou.slug}/")
    for _ in range(4):
        ProgressReportFactory(commitment=CommitmentFactory(mou=commitment.mou))
    with django_assert_num_queries(6):
        client.get(f"/partnerships/mou/{commitment.mou.slug}/")


def test_csv_and_json_downloads_follow_the_registry_filters(client):
    MoUFactory(
        slug="lama",
        valid_from=D(2015, 5, 30),
        valid_until=D(2020, 5, 29),
        signed_on=D(2015, 5, 30),
        signed_place="Bandung",
    )
    MoUFactory(slug="baru")
    MoUFactory(slug="draf", publication="draft")
    response = client.get("/partnerships/?status=expired&download=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8" and "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert [(r["slug"], r["status"], r["signed_place"]) for r in rows] == [("lama", "expired", "Bandung")]
    data = json.loads(body(client.get("/partnerships/?download=json")))
    assert len(data) == 2 and {r["slug"] for r in data} == {"lama", "baru"}
    assert data[0]["scope_areas"] == ["public-wifi"]
    assert 'href="?status=expired&amp;download=csv"' in client.get("/partnerships/?status=expired").content.decode()


def test_partner_downloads_leave_out_contacts_and_drafts(client):
    from .factories import PartnerContactFactory

    PartnerContactFactory(partner=PartnerFactory(slug="telkom"), email="rahasia@telkom.example")
    PartnerFactory(slug="draf", publication="draft")
    text = body(client.get("/partnerships/partners/?download=csv")).decode("utf-8-sig")
    assert "telkom" in text and "rahasia@" not in text and "draf" not in text
    assert client.get("/partnerships/partners.xml").status_code == 404


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/partnerships/mou.csv?status=expired", "/partnerships/?status=expired&download=csv"),
        ("/partnerships/mou.json", "/partnerships/?download=json"),
        ("/partnerships/partners.csv?kind=bumn&download=json", "/partnerships/partners/?kind=bumn&download=csv"),
        ("/en/partnerships/partners.json", "/en/partnerships/partners/?download=json"),
    ],
)
def test_the_old_download_routes_move_permanently_to_the_list_download(client, old, new):
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == new


def test_nav_links_to_the_registry(client):
    assert 'href="/partnerships/"' in client.get("/").content.decode()
