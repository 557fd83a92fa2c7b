"""The bundled portals stand on a well-kept web framework (Flask on Werkzeug, Jinja2 templates):
no hand-written HTTP plumbing, and every page is a template file shipped as package data."""
from __future__ import annotations

import ast
from fnmatch import fnmatch
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10: pytest brings tomli
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
PORTALS = ROOT / "assistant" / "portals"
# The standard library's HTTP server and cookie parsing: what the framework does for us.
PLUMBING = ("http.server", "http.cookies", "socketserver", "wsgiref", "cgi")


def plumbing_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
        found += [n for n in names if any(n == p or n.startswith(p + ".") for p in PLUMBING)]
    return found


def test_the_checker_sees_hand_written_plumbing():
    assert plumbing_imports("from http.server import BaseHTTPRequestHandler\nimport socketserver\n") == \
        ["http.server", "socketserver"]
    assert plumbing_imports("from http import HTTPStatus\nfrom flask import Flask\n") == []


@pytest.mark.parametrize("path", sorted(PORTALS.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_portal_module_imports_the_standard_library_http_server(path):
    assert plumbing_imports(path.read_text("utf-8")) == [], path


def test_every_template_is_package_data():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["package-data"]
    templates = [p for p in PORTALS.rglob("templates/**/*") if p.is_file()]
    assert templates
    for path in templates:
        package_dir = next(parent for parent in path.parents if (parent / "__init__.py").exists())
        package = ".".join(package_dir.relative_to(ROOT).parts)
        relative = path.relative_to(package_dir).as_posix()
        assert any(fnmatch(relative, pattern) for pattern in package_data.get(package, [])), relative
