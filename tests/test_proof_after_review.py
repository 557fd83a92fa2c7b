"""Proof after the review (issue 14): some sites answer a closed account exactly like a wrong password. A
profile says so with login.closed_when_refused; then, and only after a closure the site accepted (the case
records it), `status` takes the refused login as the evidence that the account is gone, with its own
screenshot. A wrong password on an account with no recorded closure is never "closed"."""
from __future__ import annotations

import datetime as dt
import json

import yaml

from assistant.cases import store as c
from assistant.cases.store import CaseStore
from tests.conftest import ROOT
from tests.test_cli import READ_CODE, cli


def refusing_profile(tmp_path, closed_when_refused: bool = True):
    """demo-lender's profile, saying that this site answers a closed account like a wrong password."""
    data = yaml.safe_load((ROOT / "site_profiles" / "demo-lender.yaml").read_text("utf-8"))
    data["login"]["closed_when_refused"] = closed_when_refused
    folder = tmp_path / ("refusing" if closed_when_refused else "stock")
    folder.mkdir()
    path = folder / "demo-lender.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def run(command, site, portal, account, password, tmp_path, *extra, today=None):
    env = {"CLOSURE_ASSISTANT_TODAY": today} if today else {}
    return cli(command, str(site), "--account", account, "--base-url", portal.base_url, "--db",
               str(tmp_path / "cases.sqlite3"), "--evidence-dir", str(tmp_path / "evidence"), "--password-stdin",
               "--code-command", READ_CODE, "--lang", "en", *(["--yes"] if command == "close" else []), *extra,
               stdin=password + "\n", env_extra=env)


def manifest_of(stdout: str) -> dict:
    folder = next(line.split(": ", 1)[1] for line in stdout.splitlines() if line.startswith("Evidence folder: "))
    from pathlib import Path
    return json.loads((Path(folder) / "manifest.json").read_text("utf-8")), Path(folder)


def test_a_refused_login_after_the_recorded_closure_is_evidence_the_account_is_gone(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean"]
    password = demo_portal.info.passwords[account]
    profile = refusing_profile(tmp_path)
    closed = run("close", profile, demo_portal, account, password, tmp_path)
    assert closed.returncode == 0, closed.stderr
    with CaseStore(tmp_path / "cases.sqlite3") as store:
        case = store.case("demo-lender", account)
    assert case.state == c.PENDING and case.submitted_at is not None

    # After the deadline, still under review: the reminder to check again, naming the refused login.
    late = (case.deadline + dt.timedelta(days=1)).isoformat()
    pending = run("status", profile, demo_portal, account, password, tmp_path, today=late)
    assert pending.returncode == 0, pending.stderr
    assert "State shown by the site: pending review" in pending.stdout
    assert f"should have finished by {case.deadline.isoformat()}" in pending.stdout
    assert "refusing the login" in pending.stdout

    demo_portal.client.approve(account)                           # the platform closes the account ...
    demo_portal.client.set_faults(closed_login="like_wrong_password")  # ... and answers its login as a wrong password
    refused = run("status", profile, demo_portal, account, password, tmp_path, today=late)
    assert refused.returncode == 0, refused.stderr
    assert "Closed (login refused after the recorded closure)." in refused.stdout
    assert "should have finished" not in refused.stdout  # closed: no reminder
    with CaseStore(tmp_path / "cases.sqlite3") as store:
        case = store.case("demo-lender", account)
    assert (case.state, case.reason) == (c.CLOSED, "closed_login_refused")

    manifest, folder = manifest_of(refused.stdout)
    assert manifest["result"]["state"] == "closed" and manifest["result"]["closed_by"] == "login_refused"
    proof = [e for e in manifest["entries"] if e["kind"] == "screenshot" and e.get("screen") == "result"]
    assert [e["step"] for e in proof] == ["login refused (evidence the account is gone)"]
    assert (folder / proof[0]["file"]).stat().st_size > 1000
    words = [e for e in manifest["entries"] if e["kind"] == "text" and e["label"] == "login_refused_after_closure"]
    assert (folder / words[0]["file"]).read_text("utf-8") == "手机号或密码错误"
    assert "accepted the closure request on" in proof[0]["note"]
    assert demo_portal.client.state(account)["submissions"] == 1
    report = (folder / "report.html").read_text("utf-8")
    assert "login refused after the recorded closure" in report


def test_a_wrong_password_without_a_recorded_closure_is_never_closed(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean2"]
    demo_portal.client.set_faults(closed_login="like_wrong_password")
    proc = run("status", refusing_profile(tmp_path), demo_portal, account, "not-the-password", tmp_path)
    assert proc.returncode == 7, proc.stdout + proc.stderr
    assert "Closed" not in proc.stdout
    with CaseStore(tmp_path / "cases.sqlite3") as store:
        case = store.case("demo-lender", account)
    assert case is None or case.state != c.CLOSED


def test_a_profile_that_does_not_say_so_keeps_a_refused_login_a_wrong_password(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean"]
    password = demo_portal.info.passwords[account]
    stock = refusing_profile(tmp_path, closed_when_refused=False)
    assert run("close", stock, demo_portal, account, password, tmp_path).returncode == 0
    demo_portal.client.approve(account)
    demo_portal.client.set_faults(closed_login="like_wrong_password")
    proc = run("status", stock, demo_portal, account, password, tmp_path)
    assert proc.returncode == 7, proc.stdout + proc.stderr
    with CaseStore(tmp_path / "cases.sqlite3") as store:
        assert store.case("demo-lender", account).state == c.PENDING  # the recorded closure stands, unconfirmed
