"""The write registry is closed (issue 24, item 3; smartcity/services.py, "How a write is spelt").

Every module of the project is parsed with `ast`. A direct write to a model that has a writer (`.save()`,
`.delete()`, a queryset's `.update()` / `.delete()`, `objects.create()` and its kin) fails the test, naming the
module, the line and the model, unless it is inside the writers' own primitives or listed in SYSTEM_WRITES below
with its reason: those are the only system-maintained fields and rows written around the writers. The test also
fails on a writer registered outside an app's services module, on a write spelt other than `<entity>_<verb>`
outside a services module, and on an admin that can write a model with a writer without being a `ServiceAdmin`.
"""

import ast
import functools
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory

from smartcity.admin import ServiceAdmin
from smartcity.services import registered_writers

ROOT = Path(__file__).resolve().parent.parent
APPS = ("smartcity", "pillars", "partnerships", "evaluations", "frameworks", "federation")
# The writers' own primitives: the one place a registered model's row is saved or deleted.
WRITER_PRIMITIVES = {("smartcity/services.py", "_save"), ("smartcity/services.py", "model_delete")}

# (module, function, model) -> why the system writes it directly. Nothing else writes a registered model around
# its writer. An entry no longer used fails the test too, so the list stays the truth.
SYSTEM_WRITES = {
    # -- pillars: a computed flag
    ("pillars/services.py", "indicators_flag_stale", "*"): (
        "stale flags: `Indicator.stale_since` is computed from the measurements (nightly job, and the measurement "
        "writer's after_write); one bulk update, not a person's edit"
    ),
    # -- the generated scale dataset (generate_portfolio, tests/test_scale.py): its own rows, never the city's
    ("pillars/generate.py", "generated_rows_delete", "ProgramIndicator"): "generated dataset: removed by prefix",
    ("pillars/generate.py", "generated_rows_delete", "Measurement"): "generated dataset: removed by prefix",
    ("pillars/generate.py", "generated_rows_delete", "Indicator"): "generated dataset: removed by prefix",
    ("pillars/generate.py", "generated_rows_delete", "InfrastructureAsset"): "generated dataset: removed by prefix",
    ("pillars/generate.py", "generated_rows_delete", "DigitalService"): "generated dataset: removed by prefix",
    ("pillars/generate.py", "generated_rows_delete", "Program"): "generated dataset: removed by prefix",
    ("pillars/generate.py", "insert_batches", "*"): (
        "generated dataset: 10,000 programs and their rows inserted in bulk (a writer per row would take hours)"
    ),
    ("partnerships/generate.py", "generated_mous_delete", "Commitment"): "generated dataset: removed by prefix",
    ("partnerships/generate.py", "generated_mous_delete", "MoUParty"): "generated dataset: removed by prefix",
    ("partnerships/generate.py", "generated_mous_delete", "MoU"): "generated dataset: removed by prefix",
    # -- partner keys: a use stamp
    ("partnerships/authentication.py", "KeyCheck.authenticate", "PartnerAPIKey"): (
        "key `last_used_at`: stamped at most once a minute when the key is used (NetBox's model), not an edit"
    ),
    # -- webhook delivery bookkeeping, written by the system at each event and attempt
    ("partnerships/webhooks.py", "webhook_emit", "WebhookDelivery"): (
        "delivery bookkeeping: one delivery per endpoint per event, inserted in bulk (idempotent by event key)"
    ),
    ("partnerships/webhooks.py", "webhook_delivery_attempt", "WebhookDelivery"): (
        "delivery bookkeeping: a worker's claim on a due delivery (the lease), or its cancellation"
    ),
    ("partnerships/webhooks.py", "_record", "WebhookDelivery"): (
        "delivery bookkeeping: an attempt's outcome (attempts, response, next attempt, status)"
    ),
    ("partnerships/webhooks.py", "_record", "WebhookEndpoint"): (
        "delivery bookkeeping: the endpoint's `failure_count`, reset on success and counted up on failure"
    ),
    ("partnerships/webhooks.py", "_endpoint_disable", "WebhookEndpoint"): (
        "delivery bookkeeping: an endpoint switched off after too many failures cancels its pending deliveries"
    ),
    # -- evaluations, frameworks: computed values and file-job bookkeeping, written by the system
    ("evaluations/services/evidence.py", "SurveyResponseWriter.update", "*"): (
        "the survey response writer's own answer rows, written with the response as one whole"
    ),
    ("evaluations/generate.py", "generated_findings_delete", "FollowUpAction"): "generated dataset: removed by prefix",
    ("evaluations/generate.py", "generated_findings_delete", "Finding"): "generated dataset: removed by prefix",
    ("evaluations/services/scores.py", "evaluation_recompute_index", "Evaluation"): (
        "computed index: an evaluation's index follows from its scores and the scheme's weights, recomputed after "
        "each score write; never a person's edit"
    ),
    ("evaluations/services/file_jobs.py", "file_job_request", "*"): (
        "file-job bookkeeping: a report or pack request queued (status, who asked)"
    ),
    ("evaluations/services/file_jobs.py", "file_job_build", "*"): (
        "file-job bookkeeping: the worker's status, file and error"
    ),
    (
        "evaluations/services/file_jobs.py",
        "file_job_build.progress",
        "*",
    ): "file-job bookkeeping: the worker's progress",
    ("frameworks/services/assessments.py", "self_assessment_recompute", "SelfAssessment"): (
        "computed index: a self-assessment's index follows from its scores (the writer's after_write)"
    ),
}

# Writes whose receiver the scan cannot type from the source, each of a model that has no writer (the test checks
# that it still has none): (module, function) -> model.
NOT_REGISTERED = {
    ("smartcity/roles.py", "grant"): "Group",
    ("pillars/services.py", "staff_sign_in_apply"): "User",
    ("pillars/services.py", "staff_sign_in_refuse"): "User",
    ("smartcity/migration_tools.py", "move_content_types"): "ContentType",
}

# Modules that may call writers by their constants or `writer_for(<Model>)`: the services modules, and the modules
# that hold a writer class the services module registers.
SERVICES_MODULES = {"partnerships/webhooks.py"}

SAVE_KWARGS = {"update_fields", "force_insert", "force_update", "using"}
MANAGER_WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
MANAGERS = {"objects", "_base_manager", "_default_manager"}


@functools.cache
def sources() -> tuple[tuple[str, ast.Module], ...]:
    """(module path, parsed tree) of every project module but the migrations, parsed once per run."""
    return tuple(
        (path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(), filename=str(path)))
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    )


def is_services_module(module: str) -> bool:
    return module.endswith("/services.py") or "/services/" in module or module in SERVICES_MODULES


def with_scopes(tree):
    """(node, enclosing qualified function name, enclosing function node) for every node of the module."""

    def walk(node, scope, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{scope}.{child.name}" if scope else child.name
                inner = child if not isinstance(child, ast.ClassDef) else function
                yield child, name, inner
                yield from walk(child, name, inner)
            else:
                yield child, scope, function
                yield from walk(child, scope, function)

    yield from walk(tree, "", None)


def chain(node) -> tuple[str | None, list[str]]:
    """The root name of `a.b(...).c[...]` and the attribute names on the way."""
    names = []
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return (node.id if isinstance(node, ast.Name) else None), names


def is_write(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute):
        return False
    method, keywords = call.func.attr, {keyword.arg for keyword in call.keywords}
    if method == "save":
        return not call.args and keywords <= SAVE_KWARGS
    if method == "delete":
        return not call.args and not keywords
    if method == "update":  # a queryset's; a writer's update names its instance and data
        return not call.args and bool(keywords) and not keywords & {"instance", "data"}
    if method in MANAGER_WRITES:
        return bool(MANAGERS & set(chain(call.func.value)[1]))
    return False


def model_of_root(root: str | None, models) -> str | None:
    if root == "get_user_model":
        return "User"
    return root if root in models else None


def inferred_model(name: str, function, models: dict) -> str | None:
    """The model class a local variable holds, from its assignment or annotation in the function: `x = M(...)`,
    `x = M.objects...`, `x, _ = M.objects.get_or_create(...)`, `for x in M.objects...`, `x: M`."""
    if function is None:
        return None
    for node in ast.walk(function):
        targets, value = [], None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.For):
            targets, value = [node.target], node.iter
        elif isinstance(node, ast.arg) and node.arg == name and isinstance(node.annotation, ast.Name):
            if node.annotation.id in models:
                return node.annotation.id
        for target in targets:
            names = [target] if isinstance(target, ast.Name) else getattr(target, "elts", [])
            if any(isinstance(each, ast.Name) and each.id == name for each in names):
                model = model_of_root(chain(value)[0], models)
                if model is not None:
                    return model
    return None


def direct_writes():
    """(module, function, model or "*" when the receiver's model cannot be read from the source, line)."""
    models = {model.__name__: model for model in apps.get_models()}
    registered = {model.__name__ for model in registered_writers()}
    found = []
    for module, tree in sources():
        for node, scope, function in with_scopes(tree):
            if not (isinstance(node, ast.Call) and is_write(node)):
                continue
            if (module, scope.split(".")[-1]) in WRITER_PRIMITIVES:
                continue
            root = chain(node.func.value)[0]
            model = model_of_root(root, models) or (inferred_model(root, function, models) if root else None)
            if model is not None and model not in registered:
                continue  # a model without a writer: system rows (job state, reminders, users' own tables)
            if model is None and root in {"super", "self", "cls"}:
                continue  # a class's own save (storage, forms): no model row
            found.append((module, scope, model or "*", node.lineno))
    return found


def unlisted(found) -> list[str]:
    return [
        f"{module}:{line} {scope} writes {model} directly: call its writer (`<entity>_<verb>`) or list it here"
        for module, scope, model, line in found
        if (module, scope, model) not in SYSTEM_WRITES and not (model == "*" and (module, scope) in NOT_REGISTERED)
    ]


def test_no_direct_write_to_a_registered_model_outside_the_writers():
    assert unlisted(direct_writes()) == []


def test_every_listed_system_write_still_exists():
    found = direct_writes()
    used = {(module, scope, model) for module, scope, model, _line in found}
    assert sorted(set(SYSTEM_WRITES) - used) == []
    assert sorted(set(NOT_REGISTERED) - {(module, scope) for module, scope, _model, _line in found}) == []


def test_the_unregistered_models_have_no_writer():
    registered = {model.__name__ for model in registered_writers()}
    assert sorted(set(NOT_REGISTERED.values()) & registered) == []


def test_the_guard_catches_a_direct_write(tmp_path):
    """The scan is not vacuous: a program saved, updated or created around its writer is found."""
    code = (
        "def sneak(program, pk):\n"
        "    program.save(update_fields=['title_ind'])\n"
        "    Program.objects.filter(pk=pk).update(progress=1)\n"
        "    Program.objects.create(slug='x')\n"
        "    row = Program.objects.get(pk=pk)\n"
        "    row.delete()\n"
    )
    tree = ast.parse(code)
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and is_write(node)]
    function = tree.body[0]
    roots = [chain(call.func.value)[0] for call in calls]
    assert len(calls) == 4
    assert inferred_model("row", function, {"Program": None}) == "Program"
    assert roots.count("Program") == 2


def test_writers_are_registered_in_services_modules_only():
    found = []
    for module, tree in sources():
        if module.endswith("/services.py") or "/services/" in module:
            continue
        imports_register = any(
            isinstance(node, ast.ImportFrom)
            and node.module == "smartcity.services"
            and any(alias.name == "register" for alias in node.names)
            for node in ast.walk(tree)
        )
        if imports_register:
            found.append(module)
    assert found == []


def test_writes_outside_services_are_spelt_entity_verb():
    """Outside the services modules a write is `<entity>_<verb>(...)`; only the doors that serve every model
    alike pass a variable to `writer_for(model)`; no one calls a writer constant (`PROGRAM.create`)."""
    models = {model.__name__ for model in apps.get_models()}
    found = []
    for module, tree in sources():
        if is_services_module(module):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id == "writer_for" and node.args:
                if isinstance(node.args[0], ast.Name) and node.args[0].id in models:
                    found.append(f"{module}:{node.lineno} writer_for({node.args[0].id})")
            if isinstance(func, ast.Attribute) and func.attr in {"create", "update", "delete"}:
                root = func.value
                if isinstance(root, ast.Name) and root.id.isupper() and len(root.id) > 2:
                    found.append(f"{module}:{node.lineno} {root.id}.{func.attr}")
    assert found == []


@pytest.mark.django_db
def test_every_admin_that_writes_a_registered_model_is_a_service_admin(django_user_model):
    request = RequestFactory().get("/admin/")
    request.user = django_user_model(username="root", is_superuser=True, is_staff=True)
    writers = registered_writers()
    found = []
    for model, model_admin in admin.site._registry.items():
        writes = any(
            (
                model_admin.has_add_permission(request),
                model_admin.has_change_permission(request),
                model_admin.has_delete_permission(request),
            )
        )
        if model in writers and writes and not isinstance(model_admin, ServiceAdmin):
            found.append(f"{model._meta.label}: {type(model_admin).__name__} is not a ServiceAdmin")
        if isinstance(model_admin, ServiceAdmin):
            continue  # its inlines' rows are saved through their writers too (ServiceAdmin.save_formset)
        for inline_class in model_admin.inlines:
            inline = inline_class(model, admin.site)
            inline_writes = (
                inline.has_add_permission(request, None)
                or inline.has_change_permission(request)
                or (inline.can_delete and inline.has_delete_permission(request))
            )
            if inline.model in writers and inline_writes:
                found.append(f"{model._meta.label}: inline {inline_class.__name__} writes outside a ServiceAdmin")
    assert found == []
