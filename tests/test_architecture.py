"""The package's shape: shared code never reaches up into the audiences' rooms
(``intake/public``, ``intake/staff``), and no module imports another that imports
it back, directly or round a longer circle (imports inside functions count too:
hiding a circle there only moves it)."""

import ast

from tests.support import ROOT

PACKAGE = ROOT / "intake"
ROOMS = ("intake.public", "intake.staff")
# The app factory and the WSGI entry point wire the rooms together.
WIRING = {"intake", "intake.wsgi"}


def module_name(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, ast.Module]:
    sources = [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]
    return {module_name(p): ast.parse(p.read_text(), str(p)) for p in sources}


def imports_of(name: str, tree: ast.Module, known: set[str], is_package: bool) -> set[str]:
    """The intake modules ``name`` imports: ``from a.b import c`` is a.b.c when c
    is a module, else a.b."""
    found = set()
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in known else base)
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    known = set(modules)
    packages = {module_name(p) for p in PACKAGE.rglob("__init__.py")}
    return {name: imports_of(name, tree, known, name in packages) for name, tree in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
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


def test_no_module_imports_in_a_circle():
    assert circles(import_graph()) == []


def test_shared_code_never_imports_the_public_or_staff_rooms():
    offences = [
        f"{name} imports {other}"
        for name, others in import_graph().items()
        if name not in WIRING and not name.startswith(ROOMS)
        for other in others
        if other.startswith(ROOMS)
    ]
    assert offences == []


def test_the_checks_see_a_circle_and_a_reach_into_a_room():
    """The two checks above would fail on the shapes they guard against."""
    graph = {"intake.a": {"intake.b"}, "intake.b": {"intake.c"}, "intake.c": {"intake.a"}}
    assert circles(graph) == [["intake.a", "intake.b", "intake.c"]]
    tree = ast.parse("from intake.public.screening import form\nfrom . import sibling\n")
    known = {"intake.public.screening.form", "intake.cases.sibling"}
    assert imports_of("intake.cases.x", tree, known, False) == known
