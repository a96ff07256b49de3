"""Apps depend on each other in one direction only (DESIGN §3: dependencies point down to
``core``; ``dashboard`` reads everyone). Imports and model relations both count, and no app
reaches into another app's private (``_name``) helpers."""

import ast
from itertools import pairwise
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]  # the ``jiceng`` package
APPS = sorted(p.name for p in ROOT.iterdir() if (p / "apps.py").exists())


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in APPS and "migrations" not in parts and "tests" not in parts:
            yield parts[0], path


def _imports(path: Path):
    """(app imported, names imported) for every ``jiceng.<app>`` import in the module,
    including those inside functions."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] == "jiceng" and len(parts) > 1:
                yield parts[1], [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "jiceng" and len(parts) > 1:
                    yield parts[1], []


def _graph() -> dict[str, dict[str, str]]:
    """app → {app it depends on: where (a module or a model field)}."""
    graph: dict[str, dict[str, str]] = {app: {} for app in APPS}
    for app, path in _modules():
        for target, _names in _imports(path):
            if target != app and target in graph:
                graph[app].setdefault(target, str(path.relative_to(ROOT.parent)))
    for model in apps.get_models():
        app = model._meta.app_label
        if app not in graph:
            continue
        for field in model._meta.get_fields(include_hidden=False):
            if field.is_relation and not field.auto_created and field.related_model:
                target = field.related_model._meta.app_label
                if target != app and target in graph:
                    graph[app].setdefault(target, f"{model._meta.label}.{field.name}")
    return graph


def _cycle(graph) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(app):
        state[app] = 1
        path.append(app)
        for target in sorted(graph[app]):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[app] = 2
        return None

    for app in sorted(graph):
        if app not in state and (found := visit(app)):
            return found
    return None


def test_no_two_apps_depend_on_each_other_through_imports_or_models():
    graph = _graph()
    cycle = _cycle(graph)
    where = [f"{a} → {b} ({graph[a][b]})" for a, b in pairwise(cycle)] if cycle else []
    assert cycle is None, "apps depend on each other in a cycle: " + "; ".join(where)


def test_core_depends_on_no_other_app():
    assert _graph()["core"] == {}


def test_no_app_imports_another_apps_private_names():
    private = [
        f"{path.relative_to(ROOT.parent)} imports {name} from jiceng.{target}"
        for app, path in _modules()
        for target, names in _imports(path)
        if target != app
        for name in names
        if name.startswith("_")
    ]
    assert private == []


def test_the_walk_finds_a_cycle_when_there_is_one():
    graph = {"core": {}, "a": {"b": "x"}, "b": {"c": "y"}, "c": {"a": "z"}}
    assert _cycle(graph) == ["a", "b", "c", "a"]
    assert _cycle({"core": {}, "a": {"core": "x"}}) is None
