"""The letters for a stalled closure (issue 15): a follow-up to the platform and a complaint draft, from the
case and its evidence, in the site's language, as text, HTML and PDF in the case's folder."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from pypdf import PdfReader

from assistant.cases import store as c
from assistant.cases.store import CaseStore
from assistant.deadlines import review_deadline
from assistant.followup.letters import NothingToFollowUp, write_letters
from assistant.profiles.registry import load_site
from tests.test_cli import cli

UTC = dt.timezone.utc
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def submitted_case(store, site: str, account: str, number: str, at: dt.datetime):
    """A case as a run leaves it once the site accepted its request, written through the store's API."""
    profile = load_site(site)
    from assistant.deadlines import site_zone
    zone = site_zone(profile.device.timezone, profile.device.locale)
    case = store.ensure_case(site, account, review_working_days=15, site_timezone=zone, at=at)
    run = store.start_run(case.id, "r1", "close", dry_run=False, at=at, evidence_dir=None)
    store.mark_submit_attempted(case.id, run, at)
    store.set_application_number(case.id, number)
    store.confirm_submitted(case.id, submitted_at=at,
                            deadline=review_deadline(at, 15, timezone=profile.device.timezone,
                                                     locale=profile.device.locale))
    store.set_state(case.id, c.PENDING_REVIEW, at=at)
    return store.case(site, account)


def test_the_follow_up_to_a_chinese_portal_names_the_number_the_dates_and_the_law(browser, tmp_path, monkeypatch):
    monkeypatch.setenv(c.TODAY_ENV, "2026-02-10")
    with CaseStore(tmp_path / "cases.sqlite3") as store:
        case = submitted_case(store, "demo-lender", "13800000001", "ZX20260105123456",
                              dt.datetime(2026, 1, 5, 2, 0, tzinfo=UTC))
        assert case.deadline == dt.date(2026, 1, 26)
        store.refresh_overdue()
        case = store.case_by_id(case.id)
        written = write_letters(store, case, load_site("demo-lender"), browser=browser, out=tmp_path / "out")
        events = [e for e in store.events(case.id) if e.kind == "letter"]
        folder = store.case_folder(case) / "letters"
    assert [(w.kind, w.lang) for w in written] == [("follow-up", "zh"), ("complaint", "zh")]
    follow_up = (folder / "2026-02-10-follow-up.zh.txt").read_text("utf-8")
    for words in ("ZX20260105123456", "2026-01-05 10:00（北京时间）", "2026-01-26", "已超过该期限 15 天",
                  "第四十七条", "第五十条", "第二十四条", "删除我的个人信息", "示例贷"):
        assert words in follow_up, words
    html = (folder / "2026-02-10-follow-up.zh.html").read_text("utf-8")
    assert "第四十七条" in html and "ZX20260105123456" in html and "Content-Security-Policy" in html
    pdf_text = "".join(page.extract_text() for page in PdfReader(folder / "2026-02-10-follow-up.zh.pdf").pages)
    assert "ZX20260105123456" in pdf_text and "第四十七条" in pdf_text  # Chinese that copies and searches right
    complaint = (folder / "2026-02-10-complaint.zh.txt").read_text("utf-8")
    # Where to file it, in order: the platform's own channel first, then 12378, 12315, 12377.
    order = [complaint.index(w) for w in ("在线客服 / in-app chat", "12378", "12315", "12377")]
    assert order == sorted(order)
    assert "国家金融监督管理总局" in complaint and "中央网信办违法和不良信息举报中心" in complaint
    assert [e.detail["kind"] for e in events] == ["follow-up", "complaint"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in folder.iterdir())


def test_the_letters_to_an_english_site_are_a_neutral_template_without_chinese(browser, tmp_path, monkeypatch):
    monkeypatch.setenv(c.TODAY_ENV, "2026-03-02")
    with CaseStore(tmp_path / "cases.sqlite3") as store:
        case = submitted_case(store, "desktop-lender", "alice.morgan@example.com", "NW-20260105-000042",
                              dt.datetime(2026, 1, 5, 15, 0, tzinfo=UTC))
        write_letters(store, case, load_site("desktop-lender"), browser=browser)
        folder = store.case_folder(case) / "letters"
    files = sorted(folder.iterdir())
    assert [p.name for p in files] == [f"2026-03-02-{k}.en.{s}" for k in ("complaint", "follow-up")
                                       for s in ("html", "pdf", "txt")]
    for path in files:
        text = path.read_text("utf-8") if path.suffix != ".pdf" else \
            "".join(page.extract_text() for page in PdfReader(path).pages)
        assert not CJK.search(text), (path.name, CJK.findall(text)[:5])
        for statute in ("Personal Information Protection", "PIPL", "E-Commerce Law", "Article 47", "Art. 47",
                        "12378", "12315", "12377"):
            assert statute not in text, (path.name, statute)
    follow_up = (folder / "2026-03-02-follow-up.en.txt").read_text("utf-8")
    for words in ("NW-20260105-000042", "Northwind Credit", "@example.com", "Delete my personal data"):
        assert words in follow_up, words


def test_a_case_with_nothing_sent_has_nothing_to_follow_up(tmp_path):
    with CaseStore(tmp_path / "cases.sqlite3") as store:
        case = store.ensure_case("demo-lender", "13800000001")
        with pytest.raises(NothingToFollowUp):
            write_letters(store, case, load_site("demo-lender"))
        assert not [e for e in store.events(case.id) if e.kind == "letter"]
    proc = cli("letters", "1", "--db", str(tmp_path / "cases.sqlite3"), "--lang", "en")
    assert proc.returncode == 2 and "nothing to follow up" in proc.stderr and "Traceback" not in proc.stderr
