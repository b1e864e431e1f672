"""The README and docs/ stay true: CI runs exactly the README's test command,
every variable and command they name exists, every relative link resolves, and
the README stays short enough to read."""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").rglob("*.md"))
README_MAX_LINES = 300


def _documents() -> list[Path]:
    return [README, *DOCS]


def _all_text() -> str:
    return "\n".join(path.read_text() for path in _documents())


def test_ci_runs_the_readme_test_command():
    readme = README.read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    test_command = next(c for c in commands if "pytest" in c)
    assert f"  {test_command}\n" in ci
    assert "run_tests\n" in ci and ci.count("run_tests\n") >= 2


def test_the_readme_is_short():
    lines = README.read_text().splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines"


def test_docs_exist_for_each_reader():
    names = {path.relative_to(ROOT / "docs").as_posix() for path in DOCS}
    assert {
        "README.md",
        "operating.md",
        "embedding.md",
        "staff-guide.md",
        "benchmarks.md",
        "decisions/README.md",
    } <= names


def _intake_variables(text: str) -> set[str]:
    return set(re.findall(r"\bINTAKE_([A-Z][A-Z0-9_]*[A-Z0-9])\b", text))


def test_every_intake_variable_in_the_docs_is_read_somewhere():
    """``INTAKE_X`` is a setting ``X`` (create_app reads every ``INTAKE_*`` variable
    for the settings it knows) or a variable the server config or the test suite
    reads from the environment by name."""
    from intake import settings

    names = _intake_variables(_all_text())
    assert {"SECRET_KEY", "PROXY_FIX", "MAIL_MAX_ATTEMPTS", "BIND", "TEST_DATABASE_URI"} <= names
    this_file = Path(__file__).resolve()
    readers = [
        ROOT / "gunicorn.conf.py",
        *(p for p in (ROOT / "tests").rglob("*.py") if p != this_file),
    ]
    read_by_name = "".join(path.read_text() for path in readers)
    unknown = {
        name
        for name in names
        if not hasattr(settings, name)
        and not re.search(rf'(environ\.get\(|getenv\(|environ\[)"INTAKE_{name}"', read_by_name)
    }
    assert unknown == set()


def test_every_setting_is_in_the_operators_table():
    """docs/operating.md lists every setting create_app reads, so an operator
    never has to read the code to find one."""
    from intake import settings

    documented = _intake_variables((ROOT / "docs" / "operating.md").read_text())
    known = {name for name in dir(settings) if name.isupper()}
    assert known - documented == set()


def test_every_flask_command_in_the_docs_exists(app):
    from flask.cli import routes_command, run_command, shell_command
    from flask_migrate.cli import db as migrate_group

    used = set(re.findall(r"flask --app intake ([a-z-]+)(?: ([a-z-]+))?", _all_text()))
    assert ("send-mail", "") in used and ("db", "upgrade") in used
    commands = {**app.cli.commands, "db": migrate_group}
    for builtin in (routes_command, run_command, shell_command):
        commands[builtin.name] = builtin
    for name, sub in used:
        assert name in commands, name
        if name == "db":
            assert sub in migrate_group.commands, f"db {sub}"


# [text](target) and <a href="target">, outside code spans and blocks.
LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|href=\"([^\"]+)\"")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")


def _anchors(markdown: str) -> set[str]:
    """GitHub's anchors for a page's headings: lower case, punctuation dropped,
    spaces to dashes."""
    headings = re.findall(r"^#+\s+(.+?)\s*$", FENCE.sub("", markdown), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.lower().replace("`", "")).replace(" ", "-") for h in headings}


def _relative_links(path: Path) -> list[str]:
    text = CODE_SPAN.sub("", FENCE.sub("", path.read_text()))
    links = [a or b for a, b in LINK.findall(text)]
    return [link for link in links if not urlsplit(link).scheme and not link.startswith("//")]


def test_every_relative_link_in_the_docs_points_to_a_file():
    broken = []
    for path in _documents():
        for link in _relative_links(path):
            target, _, anchor = link.partition("#")
            file = (path.parent / unquote(target)).resolve() if target else path
            if not file.exists():
                broken.append(f"{path.relative_to(ROOT)}: {link}")
            elif anchor and file.suffix == ".md" and anchor not in _anchors(file.read_text()):
                broken.append(f"{path.relative_to(ROOT)}: {link} (no such heading)")
    assert broken == []


def test_the_link_check_sees_a_broken_link(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# A page\n[ok](#a-page) [gone](missing.md) [site](https://example.org)\n"
        "`[code](not-a-link.md)`\n"
    )
    assert _relative_links(page) == ["#a-page", "missing.md"]
    assert "a-page" in _anchors(page.read_text())
