"""The bundled portals as a user meets them on the command line: `demo --list`, `demo --site NAME`
end to end, and a redesigned site that makes the shipped profile stop with exit status 6."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import ExitStatus
from assistant.portals import PORTALS
from assistant.profiles.registry import load_site

ROOT = Path(__file__).resolve().parents[2]
READ_CODE = f"{sys.executable} {ROOT / 'tests' / 'helpers' / 'read_code.py'}"
# The step each shipped profile reaches first that the site update broke: the close-account entry.
ENTRY_STEP = {
    "demo-lender": "注销账号入口 / close-account entry",
    "desktop-lender": "Open the Danger zone",
    "wallet-lender": "注销指引 / closure article",
}


def cli(*args, stdin: str = "", timeout: int = 240):
    return subprocess.run([sys.executable, "-m", "assistant", *args], input=stdin, capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ), cwd=ROOT)


def test_demo_list_prints_every_bundled_portal_one_per_line():
    proc = cli("demo", "--list")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == list(PORTALS)
    for line, info in zip(lines, PORTALS.values()):
        assert info.title_zh in line and info.title_en in line


@pytest.mark.parametrize("name", [n for n in PORTALS if n != "demo-lender"])  # demo-lender: tests/test_cli.py
def test_demo_closes_the_portal_end_to_end(name, tmp_path):
    proc = cli("demo", "--site", name, "--evidence-dir", str(tmp_path), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "portal: status=pending_review submissions=1" in proc.stdout
    assert "Evidence folder:" in proc.stdout and "Traceback" not in proc.stderr
    assert len(list(tmp_path.glob(f"*-{name}-*/manifest.json"))) == 1


def test_every_bundled_portal_has_its_entry_step_named_here():
    assert set(ENTRY_STEP) == set(PORTALS)
    for name, step in ENTRY_STEP.items():
        assert step in [s.name for s in load_site(name).close_steps], name


@pytest.mark.parametrize("name", list(PORTALS))
def test_redesigned_site_stops_the_old_profile_at_the_entry_with_exit_status_6(name, portals, tmp_path):
    portal = portals(name)
    portal.client.set_faults(redesign=True)
    account = load_site(name).tests["accounts"]["clean"]
    proc = cli("close", name, "--account", account, "--base-url", portal.base_url, "--password-stdin",
               "--code-command", READ_CODE, "--yes", "--evidence-dir", str(tmp_path / "evidence"),
               "--db", str(tmp_path / "cases.sqlite3"), "--timeout-ms", "6000", "--lang", "en",
               stdin=portal.info.passwords[account] + "\n")
    assert proc.returncode == ExitStatus.SITE_CHANGED == 6, proc.stderr
    assert "The site did not match its profile; stopped without submitting." in proc.stderr
    assert f"'{ENTRY_STEP[name]}'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert portal.client.state(account)["submissions"] == 0
