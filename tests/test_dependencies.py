"""Dependencies point one way (README, "Architecture"), in three ways an app can depend on another: its imports
(every module parsed with `ast`, lazy imports inside functions included, and a module named by its dotted path in a
string: `include("pillars.urls")`, `import_module(...)`, a class path), its models' relations (foreign keys,
one-to-one and many-to-many fields, read from the model registry) and its migrations' dependencies. A dependency
against the direction fails the test, naming where it is.

    smartcity (the core)  <-  pillars (the base app)  <-  partnerships  <-  evaluations  <-  frameworks
                                                                                         <-  federation

The core knows no app, except its settings (INSTALLED_APPS): it finds each app's pages, API routes, demo and generated
dataset by module name (smartcity/discovery.py); pillars knows neither partnerships nor
the apps above, except the one recorded exception (the asset's operator); partnerships knows none of the evaluation
apps; evaluations knows neither frameworks nor federation (issue 24 split them off: frameworks builds on the
evaluations' scale and band rules, so it sits above them, never the reverse); frameworks and federation know nothing
of each other.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("smartcity", "pillars", "partnerships", "evaluations", "frameworks", "federation")

# What each package may not depend on.
FORBIDDEN = {
    "smartcity": {"pillars", "partnerships", "evaluations", "frameworks", "federation"},
    "pillars": {"partnerships", "evaluations", "frameworks", "federation"},
    "partnerships": {"evaluations", "frameworks", "federation"},
    "evaluations": {"frameworks", "federation"},
    "frameworks": {"federation"},
    "federation": {"frameworks"},
}

# The one core module that names apps: the settings (INSTALLED_APPS, and classes named by their dotted path). The URL
# wiring, the demo loader and the generated dataset find the apps' modules instead (smartcity/discovery.py).
CORE_ASSEMBLY = {"smartcity.settings"}

# The one allowed upward reference (README, "Architecture"): an infrastructure asset's operator is a partner
# (pillars.InfrastructureAsset.operator -> partnerships.Partner), so the asset's API and import name Partner.
ALLOWED = {
    ("pillars.api.serializers", "partnerships.models"): {"Partner"},
    ("pillars.resources", "partnerships.models"): {"Partner"},
}
# The same exception as a relation, and the migrations that made it.
ALLOWED_RELATIONS = {
    ("pillars.InfrastructureAsset.operator", "partnerships.Partner"),
    ("pillars.HistoricalInfrastructureAsset.operator", "partnerships.Partner"),  # its history's copy
}
ALLOWED_MIGRATIONS = {
    ("pillars.0006_asset_operator_partner", "partnerships.0003_roles"),
    # a roles migration ordered after the one that first made the Evaluator group (grant() makes a missing group
    # itself, so this is order only); applied everywhere, so it stays as it is
    ("partnerships.0005_role_fixes", "evaluations.0002_roles"),
}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(node, module: str, is_package: bool) -> list[tuple[str, set[str]]]:
    """(imported module, names taken from it) for one import statement, relative imports resolved."""
    if isinstance(node, ast.Import):
        return [(alias.name, set()) for alias in node.names]
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level:
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module
    return [(target, {alias.name for alias in node.names})]


def module_exists(dotted: str, root: Path) -> bool:
    path = root.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def named_module(value: str, root: Path) -> str | None:
    """The module a string names by its dotted path ("pillars.urls", "pillars.oidc.AgencyRoleBackend"), if any: a
    model label ("pillars.Program") or a permission ("pillars.view_program") names none."""
    parts = value.split(".")
    if len(parts) < 2 or not all(part.isidentifier() for part in parts):
        return None
    for end in range(len(parts), 1, -1):
        if module_exists(".".join(parts[:end]), root):
            return ".".join(parts[:end])
    return None


def references(tree, module: str, is_package: bool, root: Path) -> list[tuple[int, str, set[str]]]:
    """(line, module, names) for each import statement and each string naming a module, anywhere in the tree."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found += [(node.lineno, target, names) for target, names in imported(node, module, is_package)]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            target = named_module(node.value, root)
            if target is not None:
                found.append((node.lineno, target, {"by name"}))
    return found


def offenders(root: Path = ROOT) -> list[str]:
    """Every import under `root` that breaks the direction, as "module:line imports target"."""
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            module = module_name(path, root)
            if module in CORE_ASSEMBLY:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for line, target, names in references(tree, module, path.name == "__init__.py", root):
                if target.split(".")[0] not in FORBIDDEN[app]:
                    continue
                allowed = ALLOWED.get((module, target))
                if allowed is not None and names and names <= allowed:
                    continue
                found.append(f"{module}:{line} imports {target}" + (f" ({', '.join(sorted(names))})" if names else ""))
    return sorted(found, key=lambda entry: (APPS.index(entry.split(".")[0]), entry))


def test_dependencies_point_one_way():
    found = offenders()
    assert not found, "Imports against the direction (README, Architecture):\n" + "\n".join(found)


def test_the_check_catches_an_upward_import(tmp_path):
    """The check is not vacuous: a core module importing an app (its URL wiring too, at the top, inside a function
    or naming the module in a string), pillars importing evaluations lazily, a name outside the recorded exception
    and partnerships importing evaluations are all reported; the settings, a model label and a permission are not."""
    for app in APPS:
        (tmp_path / app).mkdir()
        (tmp_path / app / "__init__.py").write_text("")
    (tmp_path / "pillars" / "urls.py").write_text("")
    (tmp_path / "pillars" / "oidc.py").write_text("")
    (tmp_path / "smartcity" / "cache.py").write_text("from partnerships.models import Partner\n")
    (tmp_path / "smartcity" / "urls.py").write_text(
        'from pillars import urls\npath("", include("pillars.urls"))\nLABEL, PERM = "pillars.Program", "pillars.x"\n'
    )
    (tmp_path / "smartcity" / "generate.py").write_text("def run():\n    import evaluations.generate\n")
    (tmp_path / "smartcity" / "settings.py").write_text('BACKENDS = ["pillars.oidc.Backend"]\nimport pillars\n')
    (tmp_path / "pillars" / "views.py").write_text("def home():\n    from evaluations.selectors import x\n")
    (tmp_path / "pillars" / "resources.py").write_text("from partnerships.models import Partner, MoU\n")
    (tmp_path / "pillars" / "api").mkdir()
    (tmp_path / "pillars" / "api" / "serializers.py").write_text("from partnerships.models import Partner\n")
    (tmp_path / "partnerships" / "tasks.py").write_text("import evaluations.models\n")
    (tmp_path / "evaluations" / "views.py").write_text("from partnerships.models import MoU\nfrom pillars import x\n")
    assert offenders(tmp_path) == [
        "smartcity.cache:1 imports partnerships.models (Partner)",
        "smartcity.generate:2 imports evaluations.generate",
        "smartcity.urls:1 imports pillars (urls)",
        "smartcity.urls:2 imports pillars.urls (by name)",
        "pillars.resources:1 imports partnerships.models (MoU, Partner)",
        "pillars.views:2 imports evaluations.selectors (x)",
        "partnerships.tasks:1 imports evaluations.models",
    ]


# --- Relations and migrations --------------------------------------------------------------------------------------
def relation_offenders(models) -> list[str]:
    """Every relation field of `models` that points against the direction, as "app.Model.field -> app.Model"."""
    found = []
    for model in models:
        app = model._meta.app_label
        for field in model._meta.get_fields(include_hidden=True):
            target = field.related_model
            if not field.is_relation or field.auto_created or target is None or isinstance(target, str):
                continue
            if target._meta.app_label not in FORBIDDEN.get(app, ()):
                continue
            pair = (f"{model._meta.label}.{field.name}", target._meta.label)
            if pair not in ALLOWED_RELATIONS:
                found.append(f"{pair[0]} -> {pair[1]}")
    return found


def migration_offenders(migrations) -> list[str]:
    """Every migration dependency of `migrations` ({(app, name): Migration}) against the direction."""
    found = []
    for (app, name), migration in sorted(migrations.items()):
        for dep_app, dep_name in migration.dependencies:
            if dep_app not in FORBIDDEN.get(app, ()):
                continue
            pair = (f"{app}.{name}", f"{dep_app}.{dep_name}")
            if pair not in ALLOWED_MIGRATIONS:
                found.append(f"{pair[0]} depends on {pair[1]}")
    return found


def test_relations_point_one_way():
    from django.apps import apps

    found = relation_offenders(
        model for model in apps.get_models(include_auto_created=True) if model._meta.app_label in APPS
    )
    assert not found, "Relations against the direction (README, Architecture):\n" + "\n".join(found)


def test_migration_dependencies_point_one_way():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {key: migration for key, migration in loader.disk_migrations.items() if key[0] in APPS}
    assert {app for app, _name in ours} >= {"pillars", "evaluations", "frameworks", "federation"}  # read, not vacuous
    found = migration_offenders(ours)
    assert not found, "Migration dependencies against the direction:\n" + "\n".join(found)


def test_the_relation_and_migration_checks_catch_an_upward_dependency():
    """An evaluations model pointing at a framework, a framework pointing at a followed portal and a migration of
    evaluations depending on one of frameworks are reported; the recorded exception and downward ones are not."""
    from types import SimpleNamespace

    def model(label, **targets):
        app, name = label.split(".")

        def field(field_name, target):
            meta = SimpleNamespace(app_label=target.split(".")[0], label=target)
            return SimpleNamespace(name=field_name, is_relation=True, auto_created=False,
                                   related_model=SimpleNamespace(_meta=meta))  # fmt: skip

        fields = [field(name, target) for name, target in targets.items()]
        meta = SimpleNamespace(app_label=app, label=label, get_fields=lambda include_hidden=False: fields)
        return SimpleNamespace(_meta=meta)

    assert relation_offenders([
        model("evaluations.Evaluation", framework="frameworks.Framework", scheme="evaluations.EvaluationScheme"),
        model("frameworks.SelfAssessment", portal="federation.FollowedPortal", scheme="evaluations.EvaluationScheme"),
        model("pillars.InfrastructureAsset", operator="partnerships.Partner"),
        model("smartcity.Thing", pillar="pillars.Pillar"),
    ]) == [
        "evaluations.Evaluation.framework -> frameworks.Framework",
        "frameworks.SelfAssessment.portal -> federation.FollowedPortal",
        "smartcity.Thing.pillar -> pillars.Pillar",
    ]  # fmt: skip

    def migration(*dependencies):
        return SimpleNamespace(dependencies=list(dependencies))

    assert migration_offenders({
        ("evaluations", "0020_x"): migration(("frameworks", "0001_initial"), ("pillars", "0001_initial")),
        ("frameworks", "0001_initial"): migration(("evaluations", "0019_move_frameworks_and_federation_out")),
        ("pillars", "0006_asset_operator_partner"): migration(("partnerships", "0003_roles")),
    }) == ["evaluations.0020_x depends on frameworks.0001_initial"]  # fmt: skip
