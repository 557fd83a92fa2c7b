"""What `pip install` / `pipx install` put on a user's machine must carry the site profiles.

The wheel is the build's `build_py` output zipped; building that here needs no network (the full wheel,
installed into a fresh virtualenv and used for `demo`, is checked by .ci/run).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from tests.conftest import ROOT


def test_the_built_package_carries_the_site_profiles_and_finds_them(tmp_path):
    build = tmp_path / "build"
    before = set(ROOT.glob("*.egg-info"))  # setuptools leaves its egg-info in the checkout: ours only is removed
    proc = subprocess.run([sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(build)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    try:
        # Every module of the source is in the package (a folder without __init__.py would be left out).
        modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "assistant").rglob("*.py") if "__pycache__" not in p.parts}
        built = {p.relative_to(build).as_posix() for p in (build / "assistant").rglob("*.py")}
        assert modules - built == set()
        shipped = {p.name: p.read_bytes() for p in (build / "assistant" / "site_profiles").glob("*.yaml")}
        source = {p.name: p.read_bytes() for p in (ROOT / "site_profiles").glob("*.yaml")}
        assert shipped == source and len(source) >= 3

        # The installed tool, away from the checkout (python -m puts the working directory first on sys.path).
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        env = dict(os.environ, PYTHONPATH=str(build), CLOSURE_ASSISTANT_HOME=str(tmp_path / "home"))
        listed = subprocess.run([sys.executable, "-m", "assistant", "profiles", "list", "--lang", "en"], cwd=elsewhere,
                                env=env, capture_output=True, text=True, timeout=120)
        assert listed.returncode == 0, listed.stderr
        rows = [line.split("\t") for line in listed.stdout.splitlines()]
        assert sorted(row[0] for row in rows) == sorted(p.removesuffix(".yaml") for p in source)
        assert all(row[-1].startswith(str(build / "assistant" / "site_profiles")) for row in rows), rows
        assert all("(practice site" in row[1] for row in rows)
    finally:
        for leftover in set(ROOT.glob("*.egg-info")) - before:
            shutil.rmtree(leftover, ignore_errors=True)
