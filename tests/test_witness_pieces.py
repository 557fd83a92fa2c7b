"""The pure pieces of `closure-assistant witness`, without a browser: which numbers on the last page may
be the application number, what Enter means at the outcome question, the id a web address gives, the
draft's TODO marks and the application number's shape."""
from __future__ import annotations

import datetime as dt
import re

import yaml

from assistant.driving.submit import SubmitRecord
from assistant.recording.draft import mark_todos, number_shape, todo_count
from assistant.witness.draft import draft_id_and_path
from assistant.witness.outcome import default_outcome, numbers_on
from assistant.witness.site import host_id


def test_numbers_on_the_last_page_put_the_labelled_one_first_and_leave_dates_and_phones_out():
    text = "\n".join([
        "提交时间：2026-12-02 10:31:08",
        "账号 138****0001",
        "客服热线 4008001234",
        "申请编号：ZX-20261202-7781",
        "日期 20261202",
    ])
    assert numbers_on(text) == ["ZX-20261202-7781", "4008001234"]
    assert numbers_on("Reference: REQ-884213\nCall 0123456789") == ["REQ-884213", "0123456789"]
    assert numbers_on("") == [] and numbers_on("no number here 12345") == []


def test_enter_means_submitted_only_when_the_final_click_sent_a_request_the_site_accepted():
    assert default_outcome(SubmitRecord()) == "gave_up"  # nothing marked, nothing seen
    sent = SubmitRecord(clicked=True, method="POST", url="https://x/api/close", sent_at=dt.datetime.now(dt.timezone.utc))
    assert default_outcome(sent) == "gave_up"  # sent, but no answer seen
    sent.status = 200
    assert default_outcome(sent) == "pending"
    sent.status = 500
    assert default_outcome(sent) == "gave_up"


def test_a_web_address_gives_the_lenders_name_as_the_id():
    assert host_id("https://m.acme-loan.com/login") == "acme-loan"
    assert host_id("https://h5.suixinhua.cn/#/me") == "suixinhua"
    assert host_id("https://www.example.co/") == "example"
    assert host_id("http://127.0.0.1:5000/login") == "local-site"
    assert host_id("http://localhost/") == "local-site"


def test_every_line_with_a_todo_is_marked_and_counted_even_inside_a_flow_mapping():
    body = yaml.safe_dump({"steps": [
        {"name": "a", "fill": {"target": {"label": "原因"}, "value": "TODO what to type"}},
        {"name": "b", "click": {"text": "下一步"}},
        {"name": "c", "manual": {"instructions": {"zh": "TODO 拖动", "en": "TODO drag"}, "timeout_s": 300}},
    ]}, allow_unicode=True, default_flow_style=None, width=40)
    marked, count = mark_todos(body)
    assert count == todo_count(marked) == 2
    assert yaml.safe_load(marked) == yaml.safe_load(body)  # the marks are comments: the data is unchanged
    assert "TODO\n        拖动}  # TODO" in marked  # a value wrapped inside {…}: marked where the mapping closes


def test_the_application_numbers_shape_finds_the_next_one():
    shape = number_shape("ZX-20261202-7781")
    assert re.fullmatch(shape, "ZX-20270101-12") and not re.fullmatch(shape, "QQ-1-2")
    assert re.fullmatch(number_shape("884213"), "1234567")


def test_a_draft_never_takes_the_place_of_a_known_profile():
    """A draft full of TODOs in the profile folder under a known id would shadow the working profile."""
    profile_id, dest = draft_id_and_path("demo-lender", None, "0a1b2c3d", force=False)  # a bundled id
    assert profile_id == "demo-lender-0a1b2c3d" and dest.name == "demo-lender-0a1b2c3d.yaml"
    assert draft_id_and_path("acme-loan", None, "0a1b2c3d", force=False)[0] == "acme-loan"
    assert draft_id_and_path("demo-lender", None, "0a1b2c3d", force=True)[0] == "demo-lender"  # asked for
