"""Official facts the portal ships, each checked against the figure ../shared/DOMAIN.md cites, and each carrying
its source and whether it was verified: Padang's district codes (Kemendagri and BPS, never mixed) and the national
evaluation's weights by year."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from evaluations import demo as evaluations_demo
from evaluations.models import EvaluationScheme
from evaluations.services import index_from_scores
from pillars import demo as pillars_demo
from pillars.models import District
from pillars.services import areas_load

pytestmark = pytest.mark.django_db

# Kemendagri's order (the 2019, 2022 and 2025 lists agree) and BPS's own numbering of the same districts.
PADANG = {
    "13.71.01": ("Padang Selatan", "1371040"),
    "13.71.02": ("Padang Timur", "1371050"),
    "13.71.03": ("Padang Barat", "1371060"),
    "13.71.04": ("Padang Utara", "1371070"),
    "13.71.05": ("Bungus Teluk Kabung", "1371010"),
    "13.71.06": ("Lubuk Begalung", "1371030"),
    "13.71.07": ("Lubuk Kilangan", "1371020"),
    "13.71.08": ("Pauh", "1371100"),
    "13.71.09": ("Kuranji", "1371090"),
    "13.71.10": ("Nanggalo", "1371080"),
    "13.71.11": ("Koto Tangah", "1371110"),
}


def test_padangs_eleven_districts_carry_both_codes_and_their_source():
    pillars_demo._load_areas()
    rows = {d.code: d for d in District.objects.all()}
    assert {code: (d.name, d.bps_code) for code, d in rows.items()} == PADANG
    assert all(d.source_verified and "Kemendagri" in d.source and "BPS" in d.source for d in rows.values())


def test_the_office_file_keeps_the_bps_code_apart_and_refuses_a_kemendagri_code_in_its_place():
    areas_load(content="code,bps_code,name\n13.71.05,1371010,Bungus Teluk Kabung\n", actor=None)
    district = District.objects.get(code="13.71.05")
    assert district.bps_code == "1371010" and not district.source_verified
    with pytest.raises(ValidationError) as refused:
        areas_load(content="code,bps_code,name\n13.71.09,13.71.09,Kuranji\n", actor=None)
    assert "13.71.09" in str(refused.value) and not District.objects.filter(code="13.71.09").exists()


def test_a_verified_figure_names_its_source():
    district = District(code="13.71.01", name="Padang Selatan", source_verified=True)
    with pytest.raises(ValidationError) as refused:
        district.full_clean()
    assert "source" in refused.value.message_dict


KEDIRI_2022 = [Decimal(s) for s in "3.60 3.21 3.23 3.07 3.65".split()]  # Baseline, Output, Outcome, Impact, Quick Win


@pytest.mark.parametrize(
    ("year", "weights", "verified"), [(2020, "10 20 30 30 10", False), (2022, "10 20 30 20 20", True)]
)
def test_the_demo_weights_are_the_weights_of_their_year_with_their_source(year, weights, verified):
    shipped, source, is_verified = evaluations_demo.weights_of(year)
    assert (shipped, is_verified) == (weights, verified) and source


def test_only_the_2022_weights_reproduce_kediris_official_index():
    """Kediri 2022 (letter B-1003/DJAI/AI.01.04/12/2022): index 3.31 from its published dimension scores."""

    def index(year):
        weights = [Decimal(w) for w in evaluations_demo.weights_of(year)[0].split()]
        return index_from_scores(scores=zip(KEDIRI_2022, weights, strict=True), decimals=3)

    assert abs(index(2022) - Decimal("3.31")) < Decimal("0.01")
    assert abs(index(2021) - Decimal("3.31")) >= Decimal("0.05")


def test_the_demo_schemes_ship_no_invented_bands_and_say_where_their_weights_come_from():
    pillars_demo.load()
    evaluations_demo.load()
    schemes = list(EvaluationScheme.objects.prefetch_related("dimensions", "bands"))
    assert schemes and all(scheme.source and not scheme.bands.all() for scheme in schemes)
    for scheme in schemes:
        weights = " ".join(f"{d.weight:.0f}" for d in sorted(scheme.dimensions.all(), key=lambda d: d.pk))
        assert (weights, scheme.source_verified) == evaluations_demo.weights_of(scheme.year)[::2]
