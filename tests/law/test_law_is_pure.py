"""The rules stay pure: every module under intake/law imports only the standard
library, intake.law itself and a few well-kept date libraries, never Flask, the
database or the rest of the app."""

import ast
import sys
from pathlib import Path

import intake.law

LAW = Path(intake.law.__file__).parent
ALLOWED = frozenset({"holidays", "dateutil"})


def imported_roots(path: Path) -> set[str]:
    """Each import of the module, by its top-level name ("intake.law" kept whole)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: inside intake.law
                continue
            names = [node.module or ""]
        else:
            continue
        for name in names:
            found.add("intake.law" if name.startswith("intake.law") else name.split(".")[0])
    return found


def foreign_imports(path: Path) -> set[str]:
    allowed = set(sys.stdlib_module_names) | ALLOWED | {"__future__", "intake.law"}
    return imported_roots(path) - allowed


def test_every_law_module_imports_only_the_standard_library_and_itself():
    modules = sorted(LAW.rglob("*.py"))
    assert len(modules) >= 12
    impure = {str(m.relative_to(LAW)): foreign_imports(m) for m in modules}
    assert {name: found for name, found in impure.items() if found} == {}


def test_the_check_catches_flask_the_app_and_the_database(tmp_path):
    module = tmp_path / "impure.py"
    module.write_text(
        "import json\nfrom flask import current_app\nfrom intake import db\n"
        "import sqlalchemy.orm\nfrom intake.law.dates import PartialDate\nimport holidays\n"
    )
    assert foreign_imports(module) == {"flask", "intake", "sqlalchemy"}
