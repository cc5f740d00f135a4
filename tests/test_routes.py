"""The core finds every app's pages and API routes (smartcity/routes.py) instead of naming the apps: the apps'
namespaces and prefixes are kept, and in a shared namespace the guests' pages come before the host's catch-alls."""

from django.urls import resolve, reverse

from smartcity.discovery import project_apps


def test_the_project_apps_are_found_in_their_dependency_order():
    assert [config.name for config in project_apps()] == [
        "pillars",
        "partnerships",
        "evaluations",
        "frameworks",
        "federation",
    ]


def test_a_guest_page_in_the_evaluations_namespace_is_not_taken_by_the_evaluations_catch_all():
    match = resolve("/evaluations/frameworks/")
    assert (match.namespace, match.url_name, match.func.__module__) == (
        "evaluations",
        "framework-list",
        "frameworks.views",
    )
    assert resolve("/evaluations/cities/").func.__module__ == "federation.views"
    assert resolve("/evaluations/some-evaluation-2024/").url_name == "evaluation-detail"


def test_every_app_is_served_under_its_prefix_and_namespace():
    assert reverse("pillars:program-list") == "/programs/"
    assert reverse("partnerships:mou-list") == "/partnerships/"
    assert reverse("evaluations:portal-comparison") == "/evaluations/cities/"
    assert reverse("evaluations-api:followedportal-list") == "/api/v1/followed-portals/"
    assert reverse("partnerships-api:mou-list") == "/api/v1/mous/"
