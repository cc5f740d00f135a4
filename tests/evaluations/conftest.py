import pytest
from django.contrib.auth.models import Group
from django.utils import translation


@pytest.fixture(autouse=True)
def _indonesian_urls():
    """reverse() follows the active language, which an earlier /en/ request may have left on: start in Indonesian."""
    with translation.override("id"):
        yield


@pytest.fixture
def diskominfo(db):
    """A Diskominfo editor: the role that keeps schemes and evaluations (the writers check its permissions)."""
    from smartcity.roles import DISKOMINFO_EDITOR
    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=DISKOMINFO_EDITOR))
    return user
