import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pillars.models import Pillar, SubDimension
from pillars.reference import PILLARS

pytestmark = pytest.mark.django_db


def test_migration_creates_the_six_pillars_with_three_sub_dimensions_each():
    pillars = list(Pillar.objects.with_related())
    assert [p.slug for p in pillars] == ["governance", "branding", "economy", "living", "society", "environment"]
    assert [p.name_en for p in pillars] == [data["name_en"] for data in PILLARS]
    for pillar, data in zip(pillars, PILLARS, strict=True):
        assert [s.name_en for s in pillar.sub_dimensions.all()] == [en for _, _, en in data["sub_dimensions"]]
    assert SubDimension.objects.count() == 18


def test_translated_name_follows_the_active_language_and_falls_back_to_indonesian():
    pillar = Pillar.objects.get(slug="governance")
    with translation.override("id"):
        assert pillar.name == "Tata Kelola Cerdas"
    with translation.override("en"):
        assert pillar.name == "Smart Governance"
        pillar.description_en = ""
        assert pillar.description == pillar.description_ind


@pytest.mark.parametrize("colour", ["blue", "#12345", "#12345G", "123456"])
def test_pillar_colour_must_be_hex(colour):
    pillar = Pillar.objects.get(slug="economy")
    pillar.colour = colour
    with pytest.raises(ValidationError) as error:
        pillar.full_clean()
    assert "colour" in error.value.message_dict


def test_pillar_changes_are_recorded_in_history():
    pillar = Pillar.objects.get(slug="living")
    pillar.name_en = "Smart Living (renamed)"
    pillar.save()
    change = pillar.history.first()
    assert (change.name_en, change.history_type) == ("Smart Living (renamed)", "~")
