"""No import cycle between our modules, counting imports inside functions too (a cycle hidden in a
function still couples both modules both ways), and `quai` imports no domain app."""

import ast
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
PACKAGES = ("quai", "members", "coworking", "events", "incubator", "fabrique")
DOMAIN_APPS = PACKAGES[1:]
# quai/urls.py mounts each app's URLs and quai/settings.py names the apps: the project's root,
# not shared code (strings, or include() by name; listed here so a real import would still show).
ROOT_MODULES = {"quai.urls", "quai.settings"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(BASE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """module → the modules of our packages it imports (anywhere in its code)."""
    files = [path for package in PACKAGES for path in (BASE / package).rglob("*.py") if "migrations" not in path.parts]
    modules = {_module_name(path): path for path in files}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                # `from coworking import selectors` imports the module coworking.selectors.
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and target.split(".")[0] in PACKAGES:
                    # A package's __init__ is not a dependency worth a cycle (they are empty here).
                    if modules[target].name != "__init__.py":
                        graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_imports_inside_functions():
    graph = {"a": {"b"}, "b": {"a"}, "c": {"a"}}
    assert cycles(graph) == [["a", "b"]]
    real = import_graph()
    # coworking/registrations.py imports coworking.seed inside a function only.
    assert "coworking.seed" in real["coworking.registrations"]


def test_no_import_cycle_between_our_modules():
    assert cycles(import_graph()) == []


def test_quai_imports_no_domain_app():
    graph = import_graph()
    leaks = {
        module: sorted(target for target in targets if target.split(".")[0] in DOMAIN_APPS)
        for module, targets in graph.items()
        if module.split(".")[0] == "quai" and module not in ROOT_MODULES
    }
    assert {module: targets for module, targets in leaks.items() if targets} == {}
