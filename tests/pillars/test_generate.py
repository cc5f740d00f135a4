import pytest
from django.core.management import CommandError, call_command

from pillars.models import Indicator, InfrastructureAsset, Measurement, Program

from .factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_generate_portfolio_makes_the_promised_rows_and_replaces_them_on_a_second_run():
    AgencyFactory()
    for _ in range(2):
        call_command("generate_portfolio", "40", "--measurements-per-indicator", "3", verbosity=0)
    assert Program.objects.filter(slug__startswith="gen-").count() == 40
    assert Indicator.objects.filter(slug__startswith="gen-").count() == 20
    assert Measurement.objects.filter(indicator__slug__startswith="gen-").count() == 60
    assert InfrastructureAsset.objects.filter(name__startswith="gen-").count() == 10
    call_command("generate_portfolio", "--delete", verbosity=0)
    assert not Program.objects.filter(slug__startswith="gen-").exists()


def test_generate_portfolio_refuses_bad_input_and_changes_nothing():
    with pytest.raises(CommandError, match="agency"):
        call_command("generate_portfolio", "10", verbosity=0)  # no agencies yet
    AgencyFactory()
    with pytest.raises(CommandError, match="positive"):
        call_command("generate_portfolio", "0", verbosity=0)
    assert not Program.objects.exists()
