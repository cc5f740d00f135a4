import re

import pytest
from django.urls import reverse
from django.utils import translation

from pillars.models import Pillar

from .factories import PillarFactory

pytestmark = pytest.mark.django_db


def test_home_names_the_six_pillars_and_their_sub_dimensions_in_indonesian(client):
    html = client.get("/").content.decode()
    for pillar in Pillar.objects.with_related():
        assert pillar.name_id in html
        for sub in pillar.sub_dimensions.all():
            assert sub.name_id in html
    assert '<html lang="id"' in html


def test_home_in_english_under_en(client):
    response = client.get("/en/")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en"' in html
    assert "Smart Environment" in html and "Waste" in html
    assert "Lingkungan Cerdas" not in html


def test_language_switch_links_to_the_same_page_in_the_other_language(client):
    html = client.get("/pillars/branding/").content.decode()
    assert 'href="/en/pillars/branding/" lang="en"' in html
    html = client.get("/en/pillars/branding/").content.decode()
    assert 'href="/pillars/branding/" lang="id"' in html


def test_home_query_count_does_not_grow_with_pillars(client, django_assert_num_queries):
    with django_assert_num_queries(2):  # the pillars, then their sub-dimensions
        client.get("/")
    PillarFactory.create_batch(3)
    with django_assert_num_queries(2):
        assert client.get("/").status_code == 200


def test_pillar_page_shows_its_sub_dimensions_and_links_the_others(client):
    with translation.override("id"):
        url = reverse("pillars:pillar-detail", args=["living"])
    html = client.get(url).content.decode()
    assert "Kehidupan Cerdas" in html and "Kesehatan" in html and "Mobilitas dan transportasi" in html
    others = ["governance", "branding", "economy", "society", "environment"]
    assert all(f'href="/pillars/{slug}/" class="pillar-{slug}"' in html for slug in others)
    assert 'href="/pillars/living/" class=' not in html


def test_unknown_pillar_is_404(client):
    assert client.get("/pillars/smart-weather/").status_code == 404


def test_pillar_colours_are_served_as_css_classes(client):
    response = client.get(reverse("pillars:pillar-colours"))
    assert response["Content-Type"].startswith("text/css")
    assert ".pillar-governance{--pillar-colour:#1d4ed8}" in response.content.decode()


def test_pages_load_nothing_from_another_host(client):
    html = client.get("/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and not [url for url in assets if url.startswith(("http:", "https:", "//"))]
