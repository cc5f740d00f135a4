import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _indonesian_urls():
    """reverse() follows the active language, which an earlier /en/ request may have left on: start in Indonesian."""
    with translation.override("id"):
        yield
