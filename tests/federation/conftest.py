# The evaluations' fixtures (Indonesian URLs, a Diskominfo editor), shared by the apps split off from it (issue 24).
from tests.evaluations.conftest import _indonesian_urls, diskominfo  # noqa: F401
