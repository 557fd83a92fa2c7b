"""The report a borrower prints or sends: readable offline, bilingual, with the dates that matter."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys

import pypdf
import pytest

from assistant.deadlines import review_deadline
from assistant.evidence.writer import sha256_file
from assistant.evidence.pdf import fix_cmap
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def closed(portals, browser, tmp_path_factory):
    from assistant.driving.executor import RunOptions
    from assistant.driving.interaction import ScriptedInputs
    from assistant.profiles.registry import load_site
    from assistant.engine.runner import run_profile

    portal = portals("demo-lender")
    account = portal.info.accounts["clean"]
    inputs = ScriptedInputs(secrets={"password": portal.info.passwords[account]},
                            codes=lambda d, c, a: portal.client.latest_code(account), yes=True)
    record = run_profile(load_site("demo-lender"), account, inputs,
                         RunOptions(base_url=portal.base_url, timeout_ms=10_000),
                         evidence_root=tmp_path_factory.mktemp("report"), browser=browser)
    assert record.result.outcome == "submitted", record.result.error
    assert record.report is not None, record.report_error
    return record


def pdf_text(path) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def test_pdf_has_real_chinese_text_and_the_application_number(closed):
    text = pdf_text(closed.evidence_dir / "report.pdf")
    assert "示例贷" in text and "Demo Lender" in text
    assert closed.result.application_number in text
    assert "138****0001" in text and closed.final_hash in text
    assert "征信" in text  # the note on what the evidence does not prove
    assert not re.search("[\u2e80-\u2fdf]", text), "radical look-alikes instead of the characters"


def test_report_summary_gives_the_deadline_from_the_submit_time(closed):
    manifest = json.loads((closed.evidence_dir / "manifest.json").read_text("utf-8"))
    submitted = dt.datetime.fromisoformat(manifest["result"]["submitted_at"]["time_utc"].replace("Z", "+00:00"))
    # The one deadline, at the site's date (Asia/Shanghai) with the mainland holiday calendar.
    deadline = review_deadline(submitted, 15, timezone="Asia/Shanghai").date.isoformat()
    assert manifest["result"]["deadline"]["date"] == deadline
    html = (closed.evidence_dir / "report.html").read_text("utf-8")
    assert deadline in html
    assert "chinesecalendar" in html and "make-up working days" in html and "调休" in html
    assert closed.result.application_number in html and "示例贷 / Demo Lender" in html
    assert manifest["result"]["submitted_at"]["time_utc"][:10] in html
    for label in ("挽留页", "retention screen", "协议 / 须知", "网页对话框", "确定要注销账号吗"):
        assert label in html, label
    assert f'closure-assistant evidence verify "{closed.evidence_dir.name}"' in html


def test_report_opens_offline_with_every_image(closed, browser):
    report = closed.evidence_dir / "report.html"
    own_url = report.as_uri()
    context = browser.new_context()
    requests = []
    try:
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        context.route("**/*", lambda route: route.continue_() if route.request.url == own_url else route.abort())
        page.goto(own_url, wait_until="load")
        images = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.naturalWidth, i.src.slice(0, 22)])")
    finally:
        context.close()
    leaving = [u for u in requests if u != own_url and not u.startswith("data:")]
    assert leaving == []
    manifest = json.loads((closed.evidence_dir / "manifest.json").read_text("utf-8"))
    shots = [e for e in manifest["entries"] if e["kind"] == "screenshot"]
    assert len(images) == len(shots) > 18
    assert all(width > 0 and src == "data:image/png;base64," for width, src in images), images


def test_report_can_be_rebuilt_from_the_folder_alone(closed, tmp_path):
    copy = tmp_path / closed.evidence_dir.name
    shutil.copytree(closed.evidence_dir, copy)
    for name in ("report.html", "report.pdf", "report.sha256"):
        (copy / name).unlink()
    proc = subprocess.run([sys.executable, "-m", "assistant", "evidence", "report", str(copy), "--lang", "en"],
                          capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "Report written" in proc.stdout
    sidecar = dict(reversed(line.split("  ")) for line in (copy / "report.sha256").read_text().splitlines())
    assert sidecar["report.pdf"] == sha256_file(copy / "report.pdf")
    assert closed.result.application_number in pdf_text(copy / "report.pdf")
    verified = subprocess.run([sys.executable, "-m", "assistant", "evidence", "verify", str(copy)],
                              capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert verified.returncode == 0, verified.stdout


def test_text_map_repair_keeps_ordinary_characters_and_fixes_radicals():
    cmap = (b"1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
            b"3 beginbfchar\n<01> <2F70>\n<02> <4F8B>\n<03> <FB01>\nendbfchar\n"
            b"1 beginbfrange\n<10> <11> <2EDA>\nendbfrange\nendcmap\n")
    fixed = fix_cmap(cmap)
    assert b"<01> <793A>" in fixed           # ⽰ -> 示
    assert b"<02> <4F8B>" in fixed           # 例 unchanged
    assert b"<03> <00660069>" in fixed       # ﬁ -> fi
    assert b"<10> <9875>" in fixed and b"<11> <98CE>" in fixed  # a range: ⻚ -> 页, ⻛ -> 风
    assert fixed.startswith(b"1 begincodespacerange") and fixed.endswith(b"endcmap\n")
    plain = b"1 beginbfchar\n<01> <4F8B>\nendbfchar\n"
    assert fix_cmap(plain) == plain


def test_a_refused_closure_still_gets_a_report_with_the_sites_words(demo_portal, run_close):
    record = run_close(demo_portal, demo_portal.info.accounts["unpaid"])
    assert record.result.outcome == "blocked"
    assert record.report_error == "" and record.report is not None
    html = (record.evidence_dir / "report.html").read_text("utf-8")
    assert "平台拒绝注销" in html and "平台提示" in html and "未结清" in html
    assert "平台应完成的期限" not in html  # nothing was submitted, so no deadline
    assert "BlockedBySite" not in html and "refused by the site" in html  # words for people, not a class name
    text = pdf_text(record.report)
    assert "未结清" in text and "否 no" in text
