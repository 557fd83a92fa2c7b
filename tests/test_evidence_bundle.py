"""What a borrower's evidence folder holds after a demo closure, and what it must never hold."""
from __future__ import annotations

import base64
import datetime as dt
import json
import re
from pathlib import Path

import pypdf
import pytest

from assistant.driving import events as ev
from assistant.evidence.writer import header_hash, sha256_file, summary_hash
from assistant.profiles.loader import load_profile
from tests.conftest import CANARY_CODE, CANARY_PASSWORD, ROOT


@pytest.fixture(scope="module", autouse=True)
def _print_the_pdf(pdf_reports):
    """These tests read report.pdf."""

PROFILE = ROOT / "site_profiles" / "demo-lender.yaml"


def manifest_of(record) -> dict:
    return json.loads((record.evidence_dir / "manifest.json").read_text("utf-8"))


def texts_of(record, manifest) -> list[tuple[dict, str]]:
    return [(e, (record.evidence_dir / e["file"]).read_text("utf-8"))
            for e in manifest["entries"] if e["kind"] in ("text", "dialog")]


def test_demo_closure_bundle_holds_every_item(demo_portal, run_close):
    account = demo_portal.info.accounts["clean"]
    record = run_close(demo_portal, account)
    assert record.result.outcome == "submitted", record.result.error
    m = manifest_of(record)
    entries = m["entries"]

    # the profile used, as a copy, with its SHA-256
    first = entries[0]
    assert first["kind"] == "profile" and first["file"] == "profile.yaml"
    assert first["sha256"] == m["profile"]["sha256"] == sha256_file(PROFILE)
    assert first["header_sha256"] == header_hash(m)

    # a screenshot and the page's HTML for every step, the submit step included
    shots = [e for e in entries if e["kind"] == "screenshot"]
    assert [e for e in entries if e["kind"] == "step"] == [], "every step must have its screenshot"
    profile = load_profile(PROFILE)
    steps = 1 + len(profile.login.steps) + len(profile.close_steps)  # 1: opening the start page
    assert sorted({e["index"] for e in shots}) == list(range(1, steps + 1))
    assert {e["index"] for e in entries if e["kind"] == "html"} == set(range(1, steps + 1))
    files = [e["file"] for e in entries if "file" in e]
    assert len(files) == len(set(files)), "a file was written twice under one name"

    # retention and agreement screens passed are labelled
    screens = {e["step"]: e for e in shots if e["outcome"] == "ok"}
    retention = screens["挽留页：仍要注销 / retention screen"]
    assert retention["screen"] == "retention"
    assert screens["同意注销协议 / accept the agreement"]["screen"] == "agreement"
    # the screenshot taken after "仍要注销" shows the next page; the retention screen itself is the one before
    entry_click = screens["注销账号入口 / close-account entry"]
    assert retention["screen_shown_in"] == entry_click["file"] and retention["screen_url"] == entry_click["url"]

    # the notice and the agreement the user accepted, and the native dialog, as text
    texts = texts_of(record, m)
    agreement = [t for e, t in texts if e["kind"] == "text" and e.get("screen") == "agreement"]
    assert any("账号注销协议" in t and "征信" in t for t in agreement)  # the notice, scrolled to its end
    assert "我已阅读并同意《账号注销协议》" in agreement  # the box that was ticked, in its own words
    dialogs = [(e, t) for e, t in texts if e["kind"] == "dialog"]
    assert len(dialogs) == 1 and "不可撤销" in dialogs[0][1]
    assert dialogs[0][0]["action"] == "accept" and dialogs[0][0]["expected"] is True

    # the final submit's request and the site's answer; the captured values
    request = [e for e in entries if e["kind"] == "submit_request"]
    assert len(request) == 1
    assert request[0]["request_url"].endswith("/api/close/submit") and request[0]["response_status"] == 200
    state = demo_portal.client.state(account)
    assert m["result"]["captures"]["application_number"] == state["application_no"]
    assert m["result"]["state"] == "pending" and m["account"] == "138****0001"
    assert m["result"]["submit_request"]["status"] == 200

    # browser, device and locale; times in UTC with the local offset
    assert re.match(r"\d+\.\d+", m["browser"]["version"])
    assert m["device"]["locale"] == "zh-CN" and m["device"]["mobile"] is True
    assert m["device"]["timezone"] == "Asia/Shanghai"
    for stamp in [m["started_at"], m["finished_at"], m["result"]["submitted_at"], *entries]:
        assert stamp["time_utc"].endswith("Z")
        assert dt.datetime.fromisoformat(stamp["time_local"]).utcoffset() is not None

    # the summary is covered by the chain: the last entry holds its hash
    assert entries[-1]["kind"] == "finished" and entries[-1]["summary_sha256"] == summary_hash(m)
    assert m["complete"] is True and m["final_hash"] == entries[-1]["hash"] == record.final_hash

    # the report was made at the end of the run and its hashes recorded beside it
    sidecar = (record.evidence_dir / "report.sha256").read_text("ascii").splitlines()
    for line in sidecar:
        digest, name = line.split("  ")
        assert sha256_file(record.evidence_dir / name) == digest
    assert {line.split("  ")[1] for line in sidecar} == {"report.html", "report.pdf"}
    assert record.report == record.evidence_dir / "report.pdf" and record.report_error == ""


class CodeFieldBox(ev.Listener):
    """Where the code input sits on the page when the 'code typed' screenshot is taken."""

    def __init__(self):
        self.boxes = []

    def handle(self, event):
        if isinstance(event, ev.StepFinished) and event.status == "progress":
            field = event.page.get_by_placeholder("请输入短信验证码")
            box = field.bounding_box()
            scroll = event.page.evaluate("() => [window.scrollX, window.scrollY]")
            self.boxes.append({"x": box["x"] + scroll[0], "y": box["y"] + scroll[1],
                               "width": box["width"], "height": box["height"]})


PIXELS_JS = """async ([src, box]) => {
  const img = new Image(); img.src = src; await img.decode();
  const canvas = document.createElement('canvas'); canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d'); ctx.drawImage(img, 0, 0);
  const inner = ctx.getImageData(box.x + 2, box.y + 2, box.width - 4, box.height - 4).data;
  let black = 0, total = 0;
  for (let i = 0; i < inner.length; i += 4) { total++; if (inner[i] + inner[i+1] + inner[i+2] === 0) black++; }
  const page = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let pageBlack = 0;
  for (let i = 0; i < page.length; i += 4) { if (page[i] + page[i+1] + page[i+2] === 0) pageBlack++; }
  return {black, total, pageShare: pageBlack / (page.length / 4)};
}"""


def test_code_entry_screenshot_masks_the_typed_code(demo_portal, run_close, page):
    account = demo_portal.info.accounts["clean"]
    where = CodeFieldBox()
    record = run_close(demo_portal, account, listeners=(where,))
    assert record.result.outcome == "submitted", record.result.error
    m = manifest_of(record)
    typed = [e for e in m["entries"] if e["kind"] == "screenshot" and e["outcome"] == "progress"]
    assert len(typed) == 1 and len(where.boxes) == 1
    png = (record.evidence_dir / typed[0]["file"]).read_bytes()
    src = "data:image/png;base64," + base64.b64encode(png).decode()
    box = {k: round(v) for k, v in where.boxes[0].items()}
    pixels = page.evaluate(PIXELS_JS, [src, box])
    assert pixels["total"] > 100
    assert pixels["black"] == pixels["total"], "the code input is not blacked out"
    assert pixels["pageShare"] < 0.5  # the rest of the page is still readable


def _strings_in_pdf(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    text = "".join(p.extract_text() for p in reader.pages)
    # also every stream, decompressed, in case text hides outside the extractor's view
    raw = []
    for number in range(1, reader.trailer["/Size"]):
        try:
            obj = reader.get_object(number)
        except Exception:  # noqa: BLE001 - free or odd objects
            continue
        if hasattr(obj, "get_data"):
            raw.append(obj.get_data().decode("latin-1"))
    return text + "".join(raw)


def test_canary_secrets_reach_no_file_report_or_pdf(demo_portal, run_close):
    account = "13900000088"
    demo_portal.client.add_account(account, CANARY_PASSWORD)
    demo_portal.client.set_next_code(account, CANARY_CODE)
    record = run_close(demo_portal, account, password=CANARY_PASSWORD)
    assert record.result.outcome == "submitted", record.result.error
    files = [p for p in record.evidence_dir.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"report.html", "report.pdf", "manifest.json", "profile.yaml"} <= names and len(files) > 40
    for path in files:
        data = path.read_bytes()
        for canary in (CANARY_PASSWORD, CANARY_CODE):
            assert canary.encode() not in data, (canary, path)
            assert base64.b64encode(canary.encode()) not in data, (canary, path)
    pdf_text = _strings_in_pdf(record.evidence_dir / "report.pdf")
    assert "示例贷" in pdf_text  # the extraction works at all
    assert CANARY_PASSWORD not in pdf_text and CANARY_CODE not in pdf_text


def test_profile_sensitive_values_are_masked_and_absent(demo_portal, run_close, tmp_path):
    """A profile marks the application number sensitive: blacked out, scrubbed, captured masked."""
    text = PROFILE.read_text("utf-8")
    text = text.replace("\nlogin:\n", "\nsensitive:\n  - {css: .app-no}\n\nlogin:\n", 1)
    text = text.replace('pattern: "(ZX\\\\d+)"}', 'pattern: "(ZX\\\\d+)", sensitive: true}')
    assert "sensitive: true" in text and "- {css: .app-no}" in text
    variant = tmp_path / "demo-lender.yaml"  # the id must equal the file name
    variant.write_text(text, "utf-8")
    profile = load_profile(variant)
    account = demo_portal.info.accounts["clean"]
    record = run_close(demo_portal, account, profile=profile)
    assert record.result.outcome == "submitted", record.result.error
    secret = demo_portal.client.state(account)["application_no"]
    assert secret.startswith("ZX")
    m = manifest_of(record)
    assert m["result"]["captures"]["application_number"] != secret
    captured = [e for e in m["entries"] if e["kind"] == "capture"]
    assert captured[0]["sensitive"] is True and "****" in captured[0]["value"]
    for path in record.evidence_dir.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
    assert secret not in _strings_in_pdf(record.evidence_dir / "report.pdf")
