"""The tree is the architecture: each layer imports only the layers below it (CONTRIBUTING.md, "Architecture").

Every `import`/`from … import` in assistant/ is read with `ast` (function-level imports included, since
the CLI imports lazily to start fast) and checked against the table below.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"

FOUNDATION = {"assistant", "assistant.errors", "assistant.settings", "assistant.messages", "assistant.redaction",
              "assistant.credentials",
              "assistant.deadlines", "assistant.accounts", "assistant.interrupts"}
# layer -> the layers (besides itself and the foundation) it may import
ALLOWED: dict[str, set[str]] = {
    "foundation": set(),
    "profiles": set(),
    "driving": {"profiles"},
    "evidence": {"driving", "profiles"},
    "cases": {"driving", "profiles"},
    "recording": {"driving", "profiles"},
    "portals": set(),
    "followup": {"cases", "evidence", "profiles"},
    "engine": {"profiles", "driving", "evidence", "cases", "portals"},
    "witness": {"profiles", "driving", "evidence", "cases", "recording"},
    "cli": {"profiles", "driving", "evidence", "cases", "recording", "portals", "engine", "followup", "witness",
            "webapp"},
    # a front end like cli, which alone imports it (the `app` command); never cli
    "webapp": {"profiles", "driving", "evidence", "cases", "engine"},
}


def layer_of(module: str) -> str:
    if module == "assistant.__main__":
        return "cli"  # `python -m assistant` is the command line
    if module in FOUNDATION:
        return "foundation"
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in ALLOWED:
        return parts[1]
    raise AssertionError(f"{module} belongs to no layer: add it to tests/test_architecture.py and CONTRIBUTING.md")


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, module: str | None = None) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text("utf-8"))
    module = module or module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "assistant":  # `from assistant import errors` names a module
                found += [(node.lineno, f"assistant.{a.name}" if f"assistant.{a.name}" in FOUNDATION
                           else "assistant") for a in node.names]
            else:
                found.append((node.lineno, target))
    return [(line, name) for line, name in found if name == "assistant" or name.startswith("assistant.")]


def all_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_belongs_to_a_layer():
    for path in all_modules():
        layer_of(module_name(path))


@pytest.mark.parametrize("path", all_modules(), ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_imports_flow_down_the_layers(path):
    own = layer_of(module_name(path))
    wrong = []
    for line, target in imports_of(path):
        other = layer_of(target)
        if other not in ({own, "foundation"} | ALLOWED[own]):
            wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: the {own} layer imports {target} ({other})")
    assert not wrong, "\n".join(wrong)


def test_foundation_modules_import_only_the_foundation():
    for name in FOUNDATION - {"assistant"}:
        path = PACKAGE / (name.split(".")[1] + ".py")
        assert path.exists(), name
        for line, target in imports_of(path):
            assert layer_of(target) == "foundation", f"{path}:{line}: {target}"


def test_the_checker_sees_a_wrong_import(tmp_path):
    # The table is only worth something if a violation is caught: an evidence module importing the CLI.
    fake = tmp_path / "writer.py"
    fake.write_text("from assistant.cli.main import main\nfrom ..cli import terminal\n", "utf-8")
    own = layer_of("assistant.evidence.writer")
    targets = [t for _, t in imports_of(fake, "assistant.evidence.writer")]
    assert targets == ["assistant.cli.main", "assistant.cli"]
    assert all(layer_of(t) not in ({own, "foundation"} | ALLOWED[own]) for t in targets)


def test_every_package_says_what_it_owns_and_may_import():
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text("utf-8"))) or ""
        if init.parent.name == "portals":
            assert doc, init
            continue
        assert "May import" in doc, f"{init}: the package docstring should say what it may import"


def test_only_the_app_command_imports_the_web_app():
    importers = sorted(str(path.relative_to(PACKAGE.parent)) for path in all_modules()
                       if layer_of(module_name(path)) != "webapp"
                       and any(t.startswith("assistant.webapp") for _, t in imports_of(path)))
    assert importers == ["assistant/cli/commands/app.py"]
