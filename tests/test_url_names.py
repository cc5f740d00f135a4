"""One URL-name pattern for the public pages of every app: `<model>-list`, `<model>-detail`, `<model>-<thing>`
(e.g. `evaluations:evaluation-list`, `partnerships:mou-detail`, `pillars:boundary-geojson`), where <model> is one
of the app's models (its model name, its name in kebab case, or the last word of it: `service` for
DigitalService). Old addresses kept only to redirect carry no name."""

import re

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

APPS = ("pillars", "partnerships", "evaluations")
# The frameworks' and the provincial view's pages kept their `evaluations:` names when they left the app (issue 24).
SERVED = {"evaluations": ("evaluations", "frameworks", "federation")}


def model_words(app_label: str) -> set[str]:
    words = set()
    for model in apps.get_app_config(app_label).get_models():
        if model.__name__.startswith("Historical"):
            continue
        kebab = re.sub(r"(?<=[a-z])(?=[A-Z])", "-", model.__name__).lower()
        words |= {model._meta.model_name, kebab, kebab.rsplit("-", 1)[-1]}
    return words


def named_patterns(namespace: str) -> list[str]:
    names = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == namespace:
                    names.extend(p.name for p in pattern.url_patterns if isinstance(p, URLPattern) and p.name)
                else:
                    walk(pattern.url_patterns)

    walk(get_resolver().url_patterns)
    return names


def test_every_public_url_name_is_model_dash_thing():
    offenders = []
    for app_label in APPS:
        names = named_patterns(app_label)
        assert names, app_label
        words = set().union(*(model_words(label) for label in SERVED.get(app_label, (app_label,))))
        for name in names:
            if not any(name.startswith(f"{word}-") and len(name) > len(word) + 1 for word in words):
                offenders.append(f"{app_label}:{name}")
    assert not offenders, "URL names outside the <model>-<thing> pattern: " + ", ".join(offenders)


def test_the_renamed_pages_answer_under_their_new_names(client):
    from django.urls import reverse
    from django.utils import translation

    with translation.override("id"):
        check_reversed(reverse)


def check_reversed(reverse):
    assert reverse("pillars:pillar-list") == "/"
    assert reverse("pillars:boundary-geojson") == "/map/boundaries.geojson"
    assert reverse("evaluations:evaluation-list") == "/evaluations/"
    assert reverse("evaluations:evaluation-report", args=[2024]) == "/evaluations/report/2024/"
    assert reverse("evaluations:report-export-list") == "/evaluations/exports/"
