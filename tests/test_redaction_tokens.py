"""Redaction that cannot damage evidence: a secret is masked only where it stands as a whole token in
what the site shows, and the run's own records (application number, dates, the evidence folder) never
pass through the redactor. A password `2026` and a code `261201` are substrings of the year, the date
and an application number such as ZX20261201…; all of those must stay whole."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from assistant.deadlines import review_deadline
from assistant.redaction import MASK, Redactor
from tests.test_cli import READ_CODE, cli


@pytest.fixture
def redactor():
    r = Redactor()
    r.add("2026")
    r.add("261201")
    return r


@pytest.mark.parametrize("text", ["ZX20261201156080", "20261201T044449Z-demo-lender-0001-d7f2988b",
                                  "https://m.example.com/close/result?no=ZX20261201156080", "v2026b"])
def test_a_secret_inside_a_longer_token_is_left_alone(redactor, text):
    assert redactor.scrub(text) == text
    assert redactor.scrub_bytes(text.encode()) == text.encode()


@pytest.mark.parametrize("text, masked", [
    ("您的验证码是261201，5分钟内有效", f"您的验证码是{MASK}，5分钟内有效"),
    ("code=261201&next=1", f"code={MASK}&next=1"),
    ('<input value="2026">', f'<input value="{MASK}">'),
    ("密码 2026 已输入", f"密码 {MASK} 已输入"),
])
def test_a_secret_standing_as_a_token_is_masked(redactor, text, masked):
    assert redactor.scrub(text) == masked
    assert redactor.scrub_bytes(text.encode()) == masked.encode()


def test_secrets_that_begin_or_end_with_punctuation_are_masked_next_to_anything():
    r = Redactor()
    r.add("-Pw!")
    assert r.scrub("x-Pw!y") == f"x{MASK}y"


def test_a_password_2026_and_a_code_that_is_in_the_date_leave_the_closure_record_whole(demo_portal, tmp_path):
    today = dt.datetime.now().astimezone()
    password, code = today.strftime("%Y"), today.strftime("%y%m%d")  # on 2026-12-01: "2026" and "261201"
    account = "13900000021"
    demo_portal.client.add_account(account, password)
    demo_portal.client.set_next_code(account, code)
    evidence = tmp_path / password / "evidence"  # the folder's own path holds the password as a token
    proc = cli("close", "demo-lender", "--account", account, "--base-url", demo_portal.base_url, "--yes",
               "--password-stdin", "--code-command", READ_CODE, "--db", str(tmp_path / "cases.sqlite3"),
               "--evidence-dir", str(evidence), "--lang", "en", stdin=password + "\n")
    assert proc.returncode == 0, proc.stderr
    number = demo_portal.client.state(account)["application_no"]
    assert code in number and password in number  # the test is only worth something if they really overlap

    # the terminal: application number, deadline and folder exactly as they are
    # the one deadline the run computed (the site's zone, Asia/Shanghai, and the mainland calendar)
    deadline = review_deadline(dt.datetime.now(dt.timezone.utc), 15, timezone="Asia/Shanghai").date.isoformat()
    assert f"Application number: {number}" in proc.stdout
    assert f"should finish by {deadline}" in proc.stdout
    [folder] = list(evidence.iterdir())
    assert f"Evidence folder: {folder}" in proc.stdout
    assert MASK not in proc.stdout

    # the manifest: the run's records are untouched
    data = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert data["result"]["captures"]["application_number"] == number
    assert dt.datetime.fromisoformat(data["result"]["submitted_at"]["time_local"]).date() == today.date()
    assert MASK not in json.dumps(data, ensure_ascii=False)

    # the report says them too, and can be made again from the folder
    html = (folder / "report.html").read_text("utf-8")
    assert number in html and deadline in html
    rebuilt = cli("evidence", "report", str(folder), "--lang", "en", timeout=180)
    assert rebuilt.returncode == 0, rebuilt.stderr

    # and the code still never stands as a token in anything written or printed
    token = re.compile(rf"(?<![0-9A-Za-z]){code}(?![0-9A-Za-z])")
    assert not token.search(proc.stdout + proc.stderr)
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".txt", ".json"):
            assert not token.search(path.read_text("utf-8", errors="replace")), path
