"""Recording a profile: a person (here, a script driving a real Chromium) logs in to the demo lender
and clicks through to the closure while the recorder watches; the draft it writes then closes the
account on its own, with exactly one submission.
"""
from __future__ import annotations

import re

import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.driving.browser import context_options
from assistant.profiles.loader import load_profile
from assistant.profiles.model import Device
from assistant.profiles.scaffold import modeline, write_profile
from assistant.recording.recorder import RecordedAction, Recorder, classify_fill
from assistant.recording.draft import (MOBILE_VIEWPORT, DraftSpec, StepChoiceError, build_draft, draft_text,
                                       listing)
from tests.conftest import CANARY_CODE, CANARY_PASSWORD

ACCOUNT = "13900000088"
PHONE = Device(viewport=dict(MOBILE_VIEWPORT), mobile=True, locale="zh-CN", timezone="Asia/Shanghai")


MARK = "标记为最终提交"
@dataclass
class Recording:
    recorder: Recorder
    draft: Path
    text: str
    notes: list
    seconds: float
    ads_closed: int
    url_after_mark: str
    submissions_after_mark: int
    finish_clicked: bool


def log_in_and_reach_confirm(page, portal, account):
    """What a person does, as they see it: labels, buttons, words on the page."""
    page.goto(portal.base_url + "/login")
    page.get_by_label("手机号").fill(account)
    page.get_by_label("登录密码").fill(CANARY_PASSWORD)
    page.get_by_label("我已阅读并同意").check()
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_text("最高可借").wait_for()  # looks at the home page (the advert shows meanwhile)
    page.get_by_text("我的", exact=True).click()
    page.get_by_text("设置", exact=True).click()
    page.get_by_text("账号与安全", exact=True).click()
    page.get_by_role("link", name="注销账号").click()
    page.get_by_text("仍要注销").click()
    page.locator("#agreement").hover()
    page.mouse.wheel(0, 40_000)  # reads the agreement to its end
    page.get_by_label("我已阅读并同意《账号注销协议》").check()
    page.get_by_role("button", name="下一步").click()
    page.get_by_text("注销条件检测通过").wait_for()
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("不再需要借款").check()
    page.get_by_label("您是从哪里了解到我们的").select_option("应用商店")
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_text("重新发送").wait_for()  # the SMS is on its way
    page.get_by_placeholder("请输入短信验证码").fill(portal.client.latest_code(account))
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="确认注销").wait_for()


def start_recording(browser, portal, account):
    context = browser.new_context(**context_options(PHONE))
    recorder = Recorder(account=account)
    recorder.attach(context)
    page = context.new_page()
    return context, recorder, page


@pytest.fixture(scope="module")
def recording(browser, portals, tmp_path_factory) -> Recording:
    portal = portals("demo-lender")
    # The advert is on the first home page as it loads, so the recording meets it and must turn it
    # into an overlay; later home pages have none.
    portal.client.set_popups("always", pages=["/home"], times=1)
    portal.client.add_account(ACCOUNT, CANARY_PASSWORD)
    portal.client.set_next_code(ACCOUNT, CANARY_CODE)
    started = time.monotonic()
    context, recorder, page = start_recording(browser, portal, ACCOUNT)
    ads = []
    page.add_locator_handler(page.get_by_role("button", name="关闭广告"),
                             lambda close: (ads.append(1), close.click()))  # a person closes the advert
    try:
        log_in_and_reach_confirm(page, portal, ACCOUNT)
        page.get_by_role("button", name=MARK).click()
        page.get_by_role("button", name="确认注销").click(force=True)  # force: the mark-mode glass covers it
        url_after_mark = page.url
        submissions = portal.client.state(ACCOUNT)["submissions"]
        page.get_by_role("button", name="结束录制").click()
        recorder.flush(context)
        finish_clicked = recorder.finished
    finally:
        context.close()
    out = tmp_path_factory.mktemp("recorded") / "recorded-demo.yaml"
    spec = DraftSpec(id="recorded-demo", names={"zh": "示例贷（录制）", "en": "Demo Lender (recorded)"},
                     start_url=portal.base_url + "/login", mobile=True)
    draft = build_draft(recorder.actions, recorder.overlays, spec)
    text = draft_text(draft, modeline(out), portal.base_url)
    write_profile(text, out)
    seconds = time.monotonic() - started
    yield Recording(recorder, out, text, draft.notes, seconds, len(ads), url_after_mark, submissions, finish_clicked)


def test_marked_final_button_is_recorded_but_never_clicked(recording):
    assert recording.submissions_after_mark == 0
    assert recording.url_after_mark.endswith("/close/confirm")
    assert recording.recorder.dialogs == []  # the site's "are you sure?" never even opened
    last = recording.recorder.actions[-1]
    assert last.kind == "submit" and last.target[0] == {"role": "button", "name": "确认注销", "exact": True}
    assert recording.finish_clicked


def test_draft_needs_no_edits_and_holds_no_secret(recording):
    print(f"\nrecorded the demo portal in {recording.seconds:.1f} s; "
          f"{len(recording.recorder.actions)} steps; notes: {[k for k, _ in recording.notes]}")
    profile = load_profile(recording.draft)
    text = recording.text
    assert text.startswith("# yaml-language-server: $schema=")
    for secret in (CANARY_PASSWORD, CANARY_CODE, ACCOUNT):
        assert secret not in text
        assert secret not in repr(recording.recorder.actions)
    assert [s.action for s in profile.login.steps] == ["fill", "fill", "check", "click"]
    assert [s.secret for s in profile.login.steps[:2]] == ["account", "password"]
    actions = [s.action for s in profile.close_steps]
    assert actions.count("submit") == 1 and actions.count("verification_code") == 1
    code = next(s for s in profile.close_steps if s.action == "verification_code")
    assert code.send is not None and code.sent is not None and code.destination is not None
    submit = next(s for s in profile.close_steps if s.action == "submit")
    assert submit.dialog == "accept"
    # Only what a recording cannot know: the result page, and the request the unclicked final button sends.
    assert [n for n, _ in recording.notes] == ["record.note_request_url", "record.note_outcome"]
    assert submit.request_url.startswith("TODO")


def test_advert_seen_while_recording_becomes_an_overlay(recording):
    assert recording.ads_closed == 1, "the portal was asked to show its advert on the first home page"
    profile = load_profile(recording.draft)
    assert [o.appears.describe() for o in profile.overlays] == ["role=button name='关闭广告'"]
    assert all("关闭广告" not in (s.name or "") for s in profile.close_steps)


def test_recorded_draft_closes_the_account_with_one_submission(recording, portals, run_close):
    portal = portals("demo-lender")
    portal.client.add_account(ACCOUNT, CANARY_PASSWORD)
    # The contributor fills in the request the final button sends, as the draft's note asks.
    completed = recording.draft.read_text("utf-8")
    completed = re.sub(r"request_url: .*TODO.*", "request_url: /api/close/submit", completed)
    draft = recording.draft.with_name("recorded-demo.yaml")
    draft.write_text(completed, "utf-8")
    record = run_close(portal, ACCOUNT, password=CANARY_PASSWORD, profile=load_profile(draft))
    result = record.result
    assert result.error is None, result.error
    assert result.outcome == "submitted" and result.state == "pending"
    assert result.drift == []
    state = portal.client.state(ACCOUNT)
    assert state["submissions"] == 1
    assert result.application_number == state["application_no"]


def test_clicking_the_real_button_submits_then_marking_it_by_number(browser, demo_portal, tmp_path):
    """The warned-against path: the person really clicks the final button, then names it in the terminal."""
    portal = demo_portal
    portal.client.add_account(ACCOUNT, CANARY_PASSWORD)
    portal.client.set_popups("never")  # this story is about the final button, not the advert
    context, recorder, page = start_recording(browser, portal, ACCOUNT)
    try:
        log_in_and_reach_confirm(page, portal, ACCOUNT)
        page.get_by_role("button", name="确认注销").click()  # really submits: the recorder accepts the dialog
        page.get_by_text("注销申请已提交").wait_for()
        page.get_by_role("button", name="返回首页").click()
        recorder.flush(context)
    finally:
        context.close()
    assert portal.client.state(ACCOUNT)["submissions"] == 1
    numbers = {a.label: i for i, a in enumerate(recorder.actions, 1)}
    final = numbers["确认注销"]
    assert recorder.actions[final - 1].dialog == "accept"
    draft = build_draft(recorder.actions, recorder.overlays,
                        DraftSpec(id="clicked-demo", names={"zh": "示例", "en": "Demo"},
                                  start_url=portal.base_url + "/login", mobile=True, submit_step=final))
    write_profile(draft_text(draft, modeline(tmp_path / "clicked-demo.yaml"), portal.base_url),
                  tmp_path / "clicked-demo.yaml")
    profile = load_profile(tmp_path / "clicked-demo.yaml")
    submit = next(s for s in profile.close_steps if s.action == "submit")
    assert submit.dialog == "accept" and "确认注销" in submit.target.describe()
    assert ("record.note_after_submit", {"count": 1}) in draft.notes  # 返回首页 was left out
    assert "返回首页" not in (tmp_path / "clicked-demo.yaml").read_text("utf-8")


def test_mark_mode_lets_no_click_through(browser, demo_portal):
    """Armed, neither the person's click nor a page script's click reaches the site; Esc disarms."""
    context, recorder, page = start_recording(browser, demo_portal, ACCOUNT)
    try:
        page.goto(demo_portal.base_url + "/login")
        page.get_by_label("手机号").fill(demo_portal.info.demo_account)
        page.get_by_label("登录密码").fill(demo_portal.info.passwords[demo_portal.info.demo_account])
        page.get_by_label("我已阅读并同意").check()
        page.get_by_label("登录密码").focus()
        login_started = "() => document.querySelector('button[type=submit]').disabled"  # the site's handler ran
        page.get_by_role("button", name=MARK).click()
        page.keyboard.press("Enter")                                                  # keys: swallowed
        assert not page.evaluate(login_started)
        assert not page.evaluate("() => { const b = document.querySelector('button[type=submit]'); b.click();"
                                 " return b.disabled; }")                             # synthetic: swallowed
        page.get_by_role("button", name="登录", exact=True).click(force=True)         # real: recorded only
        assert not page.evaluate(login_started)
        recorder.flush(context)
        assert page.url.endswith("/login")
        assert page.context.cookies() == []  # never logged in
        assert recorder.actions[-1].kind == "submit" and recorder.actions[-1].label == "登录"
        page.get_by_role("button", name=MARK).click()
        page.keyboard.press("Escape")  # cancels the mark mode
        page.get_by_role("button", name="登录", exact=True).click()  # an ordinary click again
        page.get_by_text("最高可借").wait_for()
    finally:
        context.close()


def test_a_pop_up_over_the_page_is_never_recorded_as_a_step_nor_marked(browser, demo_portal):
    """The advert is pinned to be on 我的 as it loads, before the person's clicks there: a tap on it
    and a mark aimed at 设置 under it both meet the advert. Neither is a step; the advert becomes an
    overlay to dismiss, and once closed, the mark lands on 设置."""
    portal = demo_portal
    portal.client.add_account(ACCOUNT, CANARY_PASSWORD)
    portal.client.set_popups("always", pages=["/me"])
    context, recorder, page = start_recording(browser, portal, ACCOUNT)
    status = page.locator("closure-assistant-recorder .status")
    try:
        page.goto(portal.base_url + "/login")
        page.get_by_label("手机号").fill(ACCOUNT)
        page.get_by_label("登录密码").fill(CANARY_PASSWORD)
        page.get_by_label("我已阅读并同意").check()
        page.get_by_role("button", name="登录", exact=True).click()
        page.get_by_text("我的", exact=True).click()
        page.get_by_role("button", name="立即领取").click()  # the advert's own button: it leads to 借款
        page.wait_for_url("**/borrow")
        page.go_back()
        page.locator(".ad-mask").wait_for()  # 我的 again, the advert on it again
        page.get_by_role("button", name=MARK).click()
        page.get_by_text("设置", exact=True).click(force=True)  # aimed at 设置; the advert is on top of it
        assert "弹窗挡住了页面" in status.inner_text()
        assert [a.kind for a in recorder.actions].count("submit") == 0
        page.get_by_role("button", name="关闭广告").click()
        page.get_by_role("button", name=MARK).click()
        page.get_by_text("设置", exact=True).click(force=True)
        recorder.flush(context)
    finally:
        context.close()
    assert [(a.kind, a.label) for a in recorder.actions][-3:] == [("click", "登录"), ("click", "我的"),
                                                                   ("submit", "设置")]
    assert not [a for a in recorder.actions if "立即领取" in a.label or "免息券" in a.label or "关闭广告" in a.label]
    assert [o.label for o in recorder.overlays] == ["关闭广告"]
    assert recorder.overlays[0].target[0] == {"role": "button", "name": "关闭广告", "exact": True}
    assert recorder.actions[-1].target[0] == {"text": "设置", "exact": True}
    assert portal.client.state(ACCOUNT)["submissions"] == 0


# ---------------------------------------------------------------- drafts from recorded actions (no browser)

def act(kind, label, target=None, **fields) -> RecordedAction:
    return RecordedAction(kind=kind, target=target or [{"text": label, "exact": True}], label=label,
                          url=fields.pop("url", "https://m.lender.example/x"), **fields)


def story(*extra) -> list[RecordedAction]:
    return [
        act("fill", "手机号", [{"label": "手机号"}], secret="account", secret_kind="phone", element_key="#p"),
        act("fill", "密码", [{"label": "密码"}], secret="password", element_key="#w"),
        act("click", "登录", [{"role": "button", "name": "登录", "exact": True}]),
        act("click", "注销账号"),
        act("click", "发送", sends_code=True, after_text="已发送(60)", url="https://m.lender.example/v"),
        act("fill", "动态口令", [{"placeholder": "动态口令"}], secret="typed_value", url="https://m.lender.example/v"),
        act("click", "验证", url="https://m.lender.example/v"),
        *extra,
    ]


def spec(**kw) -> DraftSpec:
    return DraftSpec(id="lender", names={"zh": "贷", "en": "Lender"}, start_url="https://m.lender.example/login", **kw)


def validates(draft, tmp_path) -> object:
    path = tmp_path / "lender.yaml"
    write_profile(draft_text(draft, modeline(path), "https://m.lender.example"), path, force=True)
    return load_profile(path)


def test_steps_chosen_by_number_make_the_code_and_the_submit(tmp_path):
    actions = story(act("click", "申请注销"), act("click", "完成"))
    draft = build_draft(actions, [], spec(code_step=6, submit_step=8))
    profile = validates(draft, tmp_path)
    code = next(s for s in profile.close_steps if s.action == "verification_code")
    assert code.send.describe() == "text='发送'"
    assert code.sent.candidates[0].kind == "text_re" and code.sent.candidates[0].value == r"已发送\(\d+\)"
    assert code.confirm.describe() == "text='验证'" and code.accepted.describe() == "text='申请注销'"
    submit = next(s for s in profile.close_steps if s.action == "submit")
    assert submit.target.describe() == "text='申请注销'" and submit.dialog == "accept"
    assert "typed_value" not in profile.credentials  # the code is asked for at run time, not stored
    assert ("record.note_after_submit", {"count": 1}) in draft.notes
    assert "完成" in listing(actions)[-1]
    assert "完成" not in (tmp_path / "lender.yaml").read_text("utf-8")


def test_without_a_marked_submit_the_draft_has_a_placeholder_that_matches_nothing(tmp_path):
    draft = build_draft(story(), [], spec())
    profile = validates(draft, tmp_path)
    submit = next(s for s in profile.close_steps if s.action == "submit")
    assert submit.target.describe().startswith("text='TODO ")
    assert ("record.note_no_submit", {}) in draft.notes
    # the personal-looking entry became a secret reference, declared under credentials
    assert "typed_value" in profile.credentials


def test_the_code_confirm_is_never_the_irreversible_submit(tmp_path):
    actions = story()[:6] + [act("submit", "确认注销")]  # code typed, then straight to the marked submit
    draft = build_draft(actions, [], spec(code_step=6))
    profile = validates(draft, tmp_path)
    code = next(s for s in profile.close_steps if s.action == "verification_code")
    assert code.confirm.describe().startswith("text='TODO ")
    assert ("record.note_no_confirm", {}) in draft.notes


@pytest.mark.parametrize("choice, key", [(dict(submit_step=99), "record.no_such_step"),
                                         (dict(code_step=3), "record.code_not_fill"),
                                         (dict(submit_step=1), "record.submit_not_click")])
def test_impossible_step_choices_are_refused(choice, key):
    with pytest.raises(StepChoiceError) as caught:
        build_draft(story(), [], spec(**choice))
    assert caught.value.key == key


@pytest.mark.parametrize("payload, expected", [
    ({"password": True, "label": "密码"}, {"secret": "password"}),
    ({"codeField": True, "codeLike": True}, {"code": True}),
    ({"value": "13900000088", "label": "手机号"}, {"secret": "account"}),
    ({"value": "110101199003077777", "hints": "身份证号"}, {"secret": "id_number"}),
    ({"value": "6222020200112233", "hints": "请输入"}, {"secret": "typed_value"}),
    ({"value": "利率太高了", "hints": "您的建议"}, {"value": "利率太高了"}),
])
def test_typed_values_are_kept_only_when_harmless(payload, expected):
    got = classify_fill(payload, account="13900000088")
    assert {k: got[k] for k in expected} == expected
    assert "value" not in got or "value" in expected


def test_record_command_lists_the_steps_and_writes_a_validated_draft(browser, demo_portal, tmp_path, monkeypatch,
                                                                    capsys):
    """The command's own path, with the test as the person in a (headless) real browser."""
    from assistant.recording import recorder as recorder_module
    from assistant.cli.main import main
    account = demo_portal.info.demo_account
    demo_portal.client.set_popups("never")  # the command's path; the advert has its own test below

    def person_records(url, device, recorder, *, browser_path=None, headed=True, on_open=None):
        assert headed  # the command always shows the browser
        context = browser.new_context(**context_options(device))
        recorder.attach(context)
        page = context.new_page()
        try:
            page.goto(url)
            on_open()
            page.get_by_label("手机号").fill(account)
            page.get_by_label("登录密码").fill(demo_portal.info.passwords[account])
            page.get_by_label("我已阅读并同意").check()
            page.get_by_role("button", name="登录", exact=True).click()
            page.get_by_text("我的", exact=True).click()
            page.get_by_role("button", name=MARK).click()
            page.get_by_text("设置", exact=True).click(force=True)
            page.get_by_role("button", name="结束录制").click()
            ended = recorder.wait_until_finished(context, max_ms=10_000)
            recorder.flush(context)
            return ended
        finally:
            context.close()
    monkeypatch.setattr(recorder_module, "record_session", person_records)
    out = tmp_path / "me-demo.yaml"
    status = main(["profiles", "record", "me-demo", "--url", demo_portal.base_url + "/login", "--mobile",
                   "--account", account, "--output", str(out), "--outcome-text", "设置已打开", "--lang", "en"])
    printed = capsys.readouterr()
    assert status == 0, printed.err
    assert "really submits" in printed.err and "Recording finished." in printed.err
    assert "  6. FINAL SUBMIT (marked, not clicked)" in printed.err.replace("最终提交（已标记，未点击）/ ", "")
    assert f"Draft saved (it validates): {out}" in printed.out
    profile = load_profile(out)
    submit = next(s for s in profile.close_steps if s.action == "submit")
    assert submit.target.describe() == "text='设置'"
    outcome = next(s for s in profile.close_steps if s.action == "outcome")
    assert outcome.states["pending"].candidates[0].value == "设置已打开"
    text = out.read_text("utf-8")
    assert account not in text and demo_portal.info.passwords[account] not in text
    assert demo_portal.client.state(account)["submissions"] == 0
