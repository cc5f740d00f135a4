import pytest
from django.core.management import CommandError, call_command

from evaluations.models import Finding, FollowUpAction
from partnerships.models import Commitment, MoU
from pillars import figures
from pillars.models import Indicator, InfrastructureAsset, Measurement, Program
from tests.evaluations.factories import EvaluationFactory
from tests.partnerships.factories import PartnerFactory

from .factories import AgencyFactory

pytestmark = pytest.mark.django_db


def generated():
    return {
        "programs": Program.objects.filter(slug__startswith="gen-").count(),
        "indicators": Indicator.objects.filter(slug__startswith="gen-").count(),
        "measurements": Measurement.objects.filter(indicator__slug__startswith="gen-").count(),
        "assets": InfrastructureAsset.objects.filter(name__startswith="gen-").count(),
        "mous": MoU.objects.filter(slug__startswith="gen-", parties__isnull=False).count(),
        "commitments": Commitment.objects.filter(mou__slug__startswith="gen-").count(),
        "findings": Finding.objects.filter(text_ind__startswith="gen-").count(),
        "follow-ups": FollowUpAction.objects.filter(finding__text_ind__startswith="gen-").count(),
    }


def test_generate_portfolio_makes_the_promised_rows_and_replaces_them_on_a_second_run():
    AgencyFactory()
    PartnerFactory()
    EvaluationFactory()
    for _ in range(2):
        call_command("generate_portfolio", "40", "--measurements-per-indicator", "3", verbosity=0)
    assert generated() == {
        "programs": 40,
        "indicators": 20,
        "measurements": 60,
        "assets": 10,
        "mous": 2,
        "commitments": 2,
        "findings": 4,
        "follow-ups": 4,
    }
    assert figures.published_counts().count("program") == Program.objects.published().count()
    call_command("generate_portfolio", "--delete", verbosity=0)
    assert set(generated().values()) == {0}


def test_generate_portfolio_refuses_bad_input_and_changes_nothing():
    with pytest.raises(CommandError, match="agency"):
        call_command("generate_portfolio", "10", verbosity=0)  # no agencies yet
    AgencyFactory()
    with pytest.raises(CommandError, match="positive"):
        call_command("generate_portfolio", "0", verbosity=0)
    assert not Program.objects.exists()
