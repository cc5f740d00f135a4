"""Dependencies point one way (README, "Architecture"): every module of the project is parsed with `ast`, and an
import that points against the direction fails the test, naming the module, the line and what it imports.

    smartcity (the core)  <-  pillars (the base app)  <-  partnerships  <-  evaluations

The core imports no app, except where the whole project is wired or assembled; pillars imports neither
partnerships nor evaluations, except the one recorded exception (the asset's operator); partnerships does not
import evaluations. Imports inside functions count too: a lazy import is still a dependency.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("smartcity", "pillars", "partnerships", "evaluations")

# What each package may not import.
FORBIDDEN = {
    "smartcity": {"pillars", "partnerships", "evaluations"},
    "pillars": {"partnerships", "evaluations"},
    "partnerships": {"evaluations"},
    "evaluations": set(),
}

# Core modules that wire or assemble the whole project: settings, URL wiring and the whole-project commands.
CORE_ASSEMBLY = {
    "smartcity.settings",
    "smartcity.urls",
    "smartcity.generate",  # the generated dataset of every app (generate_portfolio)
    "smartcity.management.commands.load_demo",
}

# The one allowed upward reference (README, "Architecture"): an infrastructure asset's operator is a partner
# (pillars.InfrastructureAsset.operator -> partnerships.Partner), so the asset's API and import name Partner.
ALLOWED = {
    ("pillars.api.serializers", "partnerships.models"): {"Partner"},
    ("pillars.resources", "partnerships.models"): {"Partner"},
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


def offenders(root: Path = ROOT) -> list[str]:
    """Every import under `root` that breaks the direction, as "module:line imports target"."""
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            module = module_name(path, root)
            if module in CORE_ASSEMBLY:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, (ast.Import, ast.ImportFrom)):
                    continue
                for target, names in imported(node, module, path.name == "__init__.py"):
                    top = target.split(".")[0]
                    if top not in FORBIDDEN[app]:
                        continue
                    allowed = ALLOWED.get((module, target))
                    if allowed is not None and names and names <= allowed:
                        continue
                    found.append(
                        f"{module}:{node.lineno} imports {target}" + (f" ({', '.join(sorted(names))})" if names else "")
                    )
    return found


def test_dependencies_point_one_way():
    found = offenders()
    assert not found, "Imports against the direction (README, Architecture):\n" + "\n".join(found)


def test_the_check_catches_an_upward_import(tmp_path):
    """The check is not vacuous: a core module importing an app, pillars importing evaluations lazily, a name
    outside the recorded exception and partnerships importing evaluations are all reported."""
    for app in APPS:
        (tmp_path / app).mkdir()
        (tmp_path / app / "__init__.py").write_text("")
    (tmp_path / "smartcity" / "cache.py").write_text("from partnerships.models import Partner\n")
    (tmp_path / "smartcity" / "urls.py").write_text("from pillars import urls\n")  # URL wiring: allowed
    (tmp_path / "pillars" / "views.py").write_text("def home():\n    from evaluations.selectors import x\n")
    (tmp_path / "pillars" / "resources.py").write_text("from partnerships.models import Partner, MoU\n")
    (tmp_path / "pillars" / "api").mkdir()
    (tmp_path / "pillars" / "api" / "serializers.py").write_text("from partnerships.models import Partner\n")
    (tmp_path / "partnerships" / "tasks.py").write_text("import evaluations.models\n")
    (tmp_path / "evaluations" / "views.py").write_text("from partnerships.models import MoU\nfrom pillars import x\n")
    assert offenders(tmp_path) == [
        "smartcity.cache:1 imports partnerships.models (Partner)",
        "pillars.resources:1 imports partnerships.models (MoU, Partner)",
        "pillars.views:2 imports evaluations.selectors (x)",
        "partnerships.tasks:1 imports evaluations.models",
    ]
