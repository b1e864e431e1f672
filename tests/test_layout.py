"""The test suite's shape: helpers live in
tests/support, fixtures in tests/conftest.py, and a test never imports conftest
or another test module; bench/ reuses tests/support without editing sys.path."""

import ast

from tests.support import ROOT

SOURCES = sorted([*(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*.py")])


def imported_modules(tree: ast.Module, package: str) -> list[str]:
    """Every module an import statement names, relative ones made absolute."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.rsplit(".", node.level - 1)[0]
                module = f"{base}.{module}" if module else base
            # "from tests.public import test_x" names the module in the alias
            names += [module] + [f"{module}.{alias.name}" for alias in node.names]
    return names


def test_no_file_imports_conftest_or_a_test_module():
    offences = []
    for path in SOURCES:
        relative = path.relative_to(ROOT)
        package = ".".join(relative.parent.parts)
        for module in imported_modules(ast.parse(path.read_text()), package):
            last = module.rsplit(".", 1)[-1]
            if last == "conftest" or last.startswith("test_"):
                offences.append(f"{relative}: imports {module}")
    assert offences == []


def test_conftest_holds_fixtures_only():
    tree = ast.parse((ROOT / "tests" / "conftest.py").read_text())
    others = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            decorators = [ast.unparse(d) for d in node.decorator_list]
            if not any(d.startswith("pytest.fixture") for d in decorators):
                others.append(f"def {node.name}")
        elif not isinstance(node, ast.Import | ast.ImportFrom | ast.Expr):
            others.append(ast.unparse(node).splitlines()[0])
    assert others == [], "helpers belong in tests/support"


def test_every_test_folder_is_a_package():
    """Test files of one name may stand in two folders (tests/public/test_x.py and
    tests/staff/test_x.py) only if each folder is a package."""
    folders = {path.parent for path in (ROOT / "tests").rglob("test_*.py")}
    assert [f for f in folders if not (f / "__init__.py").exists()] == []


def test_bench_does_not_edit_sys_path():
    """bench/ runs as ``python -m bench.run`` from the repository, which finds
    intake and tests.support without help."""
    edits = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in (ROOT / "bench").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute)
        and node.attr == "path"
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
    ]
    assert edits == []
