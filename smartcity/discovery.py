"""The project's apps found, not named: the core assembles what every app offers (its pages, its API routes, its
demo records, its generated dataset) by looking for a module of an agreed name in each app, so no core module
imports an app (tests/test_dependencies.py). The apps come in INSTALLED_APPS order, which is the order of their
dependencies: pillars first, the apps that build on it after."""

from importlib import import_module
from pathlib import Path
from types import ModuleType

from django.apps import AppConfig, apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule

CORE = "smartcity"


def project_apps() -> list[AppConfig]:
    """The project's own apps (the packages at the top of the repository), the core left out, in INSTALLED_APPS
    order."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        config
        for config in apps.get_app_configs()
        if config.name != CORE and Path(config.path).resolve().parent == base
    ]


def app_modules(name: str) -> list[ModuleType]:
    """Each project app's module `name` (`urls`, `api.urls`, `demo`, `generate`), for the apps that have one."""
    return [
        import_module(f"{config.name}.{name}") for config in project_apps() if module_has_submodule(config.module, name)
    ]
