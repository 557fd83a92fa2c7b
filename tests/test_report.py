"""The report a borrower prints or sends: readable offline, bilingual, with the dates that matter."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from html import escape

import pypdf
import pytest

from assistant.deadlines import review_deadline
from assistant.evidence.writer import sha256_file
from assistant.evidence.pdf import fix_cmap
from tests.conftest import ROOT


@pytest.fixture(scope="module", autouse=True)
def _print_the_pdf(pdf_reports):
    """These tests read report.pdf."""


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
    assert "chinesecalendar" in html and "调休" in html
    assert closed.result.application_number in html and "示例贷 / Demo Lender" in html
    assert manifest["result"]["submitted_at"]["time_utc"][:10] in html
    for label in ("挽留页", "协议 / 须知", "网页对话框", "确定要注销账号吗"):
        assert label in html, label
    # A Chinese site's report speaks Chinese, citing mainland rules (its profile says jurisdiction: CN).
    # (the profile's own step names are bilingual, "挽留页：仍要注销 / retention screen": the site's words stay)
    assert "What happened" not in html and "Every step, as the browser showed it" not in html
    assert "obstruction (pop-up)" not in html and "Trusted timestamp" not in html
    assert "个人信息保护法" in html and "国信办秘字〔2019〕191号" in html and "征信" in html
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
        # Each screenshot is a CSS background (its data once in the page), shown at its own width.
        images = page.eval_on_selector_all(".thumb", """els => els.map(el => [el.getBoundingClientRect().width,
            el.getBoundingClientRect().height, getComputedStyle(el).backgroundImage.slice(0, 27)])""")
        # Click to enlarge: the screenshot opens at twice its size.
        page.locator(".thumb-link").nth(5).click()
        zoomed = page.evaluate("() => document.querySelector('.zoom:target .img').getBoundingClientRect().width")
    finally:
        context.close()
    leaving = [u for u in requests if u != own_url and not u.startswith("data:")]
    assert leaving == []
    manifest = json.loads((closed.evidence_dir / "manifest.json").read_text("utf-8"))
    shots = [e for e in manifest["entries"] if e["kind"] == "screenshot"]
    repeats = sum(1 for a, b in zip(shots, shots[1:]) if a["sha256"] == b["sha256"])
    assert len(images) == len(shots) - repeats > 18
    assert all(width == 390 and height > 800 and src == 'url("data:image/png;base64,' for width, height, src in images)
    assert zoomed == 780


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
    door = fix_cmap(b"1 beginbfchar\n<05> <2F3E>\nendbfchar\n")  # Kangxi ⼾ is drawn as 户 by Noto Sans CJK SC,
    assert b"<05> <6237>" in door                                    # though its NFKC form is the traditional 戶
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
    assert "BlockedBySite" not in html  # words for people, not a class name
    story = html.split('class="story">')[1].split("</div>")[0]
    assert "平台拒绝注销" in story and "未结清" in story and "没有提交任何内容" in story  # the outcome first, plainly
    text = pdf_text(record.report)
    assert "未结清" in text and "否" in text


# ---------------------------------------------------------------- a report for people (issue 14)

CJK = re.compile("[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
TEXT_WIDTH_PT = (210 - 12 - 12) / 25.4 * 72  # A4 less the report's left and right margins (pdf.MARGINS)


def image_widths(path) -> list[tuple[int, float]]:
    """(page number, drawn width in points) of every image the PDF draws, from its content streams."""
    reader = pypdf.PdfReader(path)
    drawn = []
    for number, page in enumerate(reader.pages):
        xobjects = page["/Resources"].get("/XObject") or {}
        stack = [[1.0, 0.0, 0.0, 1.0, 0.0, 0.0]]
        for operands, op in pypdf.generic.ContentStream(page.get_contents(), reader).operations:
            if op == b"q":
                stack.append(list(stack[-1]))
            elif op == b"Q":
                stack.pop()
            elif op == b"cm":
                a, b, c, d, e, f = (float(x) for x in operands)
                A, B, C, D, E, F = stack[-1]
                stack[-1] = [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E,
                             e * B + f * D + F]
            elif op == b"Do" and xobjects[operands[0]].get_object().get("/Subtype") == "/Image":
                a, b = stack[-1][:2]
                drawn.append((number, (a * a + b * b) ** 0.5))
    return drawn


def test_screenshots_fill_the_printed_page_width_one_per_page(closed):
    from assistant.evidence.pdf import MARGINS
    assert MARGINS["left"] == MARGINS["right"] == "12mm"  # what TEXT_WIDTH_PT assumes
    drawn = image_widths(closed.evidence_dir / "report.pdf")
    manifest = json.loads((closed.evidence_dir / "manifest.json").read_text("utf-8"))
    shots = [e for e in manifest["entries"] if e["kind"] == "screenshot"]
    distinct_runs = 1 + sum(1 for a, b in zip(shots, shots[1:]) if a["sha256"] != b["sha256"])
    pages = {number for number, _width in drawn}
    assert len(pages) >= distinct_runs > 18  # every screenshot starts a page of its own (tall ones go on)
    assert all(width >= TEXT_WIDTH_PT - 1 for _page, width in drawn), [w for _p, w in drawn]


def test_identical_screenshots_are_said_once_and_http_codes_in_words(closed):
    manifest = json.loads((closed.evidence_dir / "manifest.json").read_text("utf-8"))
    shots = [e for e in manifest["entries"] if e["kind"] == "screenshot"]
    firsts = {}  # a screenshot identical to the one before it → the first of that run of identical ones
    for before, shot in zip(shots, shots[1:]):
        if shot["sha256"] == before["sha256"]:
            firsts[shot["index"]] = firsts.get(before["index"], before["index"])
    assert firsts  # typing the phone number and then the (masked) password look alike, and so on
    html = (closed.evidence_dir / "report.html").read_text("utf-8")
    for first in set(firsts.values()):
        assert f"与第 {first} 步的截图完全相同" in html
    assert html.count("的截图完全相同") == len(firsts)
    assert "HTTP 200（正常：网站照常作答）" in html
    assert html.index('class="story"') < html.index("逐步截图") < html.index("技术细节") < html.index("附录 A")


AGREEMENTS = {  # a sentence from the middle of each text a person accepts on each bundled portal
    "demo-lender": ["十六、根据《中华人民共和国反洗钱法》等法律法规的规定，平台需在业务关系结束后保存您的身份资料和交易记录至少五年。",
                    "注销条件检测通过", "您还有 ¥50,000 可用额度"],
    "wallet-lender": None,  # read from the portal's own agreement text below
    "desktop-lender": ["Your available credit of $15,000.00 will be cancelled.", "Your account can be closed"],
}


def accepted_texts(portal_name: str) -> list[str]:
    if portal_name == "wallet-lender":
        from assistant.portals.wallet_lender import content
        return [content.AGREEMENT[len(content.AGREEMENT) // 2], "账户状态正常，可申请注销"]
    return AGREEMENTS[portal_name]


@pytest.mark.parametrize("portal_name", ["demo-lender", "wallet-lender", "desktop-lender"])
def test_every_accepted_text_is_in_the_report_in_full(portal_name, portals, run_close):
    portal = portals(portal_name)
    account = portal.info.accounts["clean"]
    record = run_close(portal, account)
    assert record.result.outcome == "submitted", record.result.error
    html = (record.evidence_dir / "report.html").read_text("utf-8")
    appendix = html[html.index('id="appendix"'):]
    text = re.sub(r"\s+", "", pdf_text(record.report))
    for sentence in accepted_texts(portal_name):
        assert escape(sentence) in appendix, (portal_name, sentence)
        assert re.sub(r"\s+", "", sentence) in text, (portal_name, sentence)


def test_an_english_sites_report_has_no_chinese_unless_asked(portals, run_close, browser):
    portal = portals("desktop-lender")
    record = run_close(portal, portal.info.accounts["clean"])
    assert record.result.outcome == "submitted", record.result.error
    html = (record.evidence_dir / "report.html").read_text("utf-8")
    body = html[html.index("<body>"):]
    assert "What happened" in body and "HTTP 200 (OK: the site answered normally)" in body
    assert not CJK.findall(re.sub(r"<style>.*?</style>", "", body, flags=re.S)), CJK.findall(body)[:20]
    assert not CJK.findall(pdf_text(record.report))
    assert "PIPL" not in body and "credit-report" not in body  # its profile names no jurisdiction: no law cited
    # Asked for in Chinese: Chinese first, the site's English labels beside, still no mainland law.
    from assistant.evidence.report import write_report
    write_report(record.evidence_dir, browser, lang="zh")
    html = (record.evidence_dir / "report.html").read_text("utf-8")
    assert "结果" in html and 'class="second">What happened' in html
    assert "个人信息保护法" not in html and "征信" not in html and "国信办" not in html


def test_the_terminal_in_chinese_cites_no_mainland_rule_for_an_english_site(portals, tmp_path):
    from tests.test_cli import READ_CODE, cli
    portal = portals("desktop-lender")
    account = portal.info.accounts["clean"]
    proc = cli("close", "desktop-lender", "--account", account, "--base-url", portal.base_url, "--password-stdin",
               "--code-command", READ_CODE, "--evidence-dir", str(tmp_path / "ev"), "--db", str(tmp_path / "c.db"),
               "--yes", "--lang", "zh", stdin=portal.info.passwords[account] + "\n")
    assert proc.returncode == 0, proc.stderr
    said = proc.stdout + proc.stderr
    assert "按规定" not in said and "国信办" not in said and "个人信息保护法" not in said
