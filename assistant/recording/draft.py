"""Turns recorded actions into a profile draft that validates: login and close flows, the
verification-code step, the marked irreversible submit, an outcome, pop-ups as overlays.

Pure data in, data out (no browser), so every rule here is tested without one. What a recording
cannot know is written as a value starting with "TODO" (it matches nothing on a site, so a run stops
there) and its line is marked `# TODO` (`mark_todos`). A walk the person finished by hand
(`closure-assistant witness`) knows more: the request the final button sent, the result page's words,
the application number's shape; and it never keeps what the person typed (`typed_values=False`).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import urlsplit

import yaml

from assistant.profiles.origins import LOOPBACK_HOSTS, origin_of
from assistant.recording.recorder import RecordedAction

# What Chinese lenders commonly show after a closure request. The recording stops before the
# submit, so the real result page is unknown; phrases already on the pre-submit page are left out.
OUTCOME_PENDING = ("注销申请已提交", "申请已提交", "提交成功", "审核中", "已受理")
OUTCOME_CLOSED = ("注销成功", "账号已注销")
APPLICATION_NUMBER = {"name": "application_number", "from": {"text_re": "申请编号|受理编号|申请单号", "first": True},
                      "pattern": "[:：]\\s*([A-Za-z0-9-]{6,})"}
TYPED_TODO = "TODO 这里输入的内容（工具不记录您输入的文字）/ what to type here (what you typed is not recorded)"
CODE_TODO = "TODO 验证码：请改写为 verification_code 步骤 / a code: rewrite this as a verification_code step"
MOBILE_VIEWPORT = {"width": 390, "height": 844}


@dataclass
class DraftSpec:
    id: str
    names: dict
    start_url: str
    mobile: bool = False
    submit_step: Optional[int] = None   # number in the listing; None: the element marked in the page
    code_step: Optional[int] = None     # number of the fill that was the code; None: recognised ones
    outcome_texts: tuple = ()           # what the site says after a successful submit, if known
    # Known only when the person really submitted (witness):
    request_url: Optional[str] = None   # the request the final click sent (a path; written as a pattern)
    result_text: Optional[str] = None   # the words of the page the submit led to
    result_heading: str = ""            # its heading, when none of the usual phrases is in it
    outcome_state: str = "pending"      # pending | closed: what the person said became of the request
    application_number: Optional[str] = None  # as the person confirmed it from that page
    typed_values: bool = True           # False: what was typed is never written (a TODO instead)
    personal: tuple = ()                # the person's account (and such): no locator or name may hold it
    device: Optional[dict] = None       # the browser the walk ran in (witness); None: a phone or the default


@dataclass
class Draft:
    data: dict
    notes: list = field(default_factory=list)   # (message key, params) for the person to review


class StepChoiceError(ValueError):
    """--submit-step / --code-step name a step that cannot be that; `key` is the message."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def _todo(what: str) -> dict:
    return {"text": f"TODO {what}"}


def locator(action: Optional[RecordedAction], what: str = "element"):
    if action is None or not action.target:
        return _todo(what)
    return action.target[0] if len(action.target) == 1 else list(action.target)


def _short(label: str, n: int = 40) -> str:
    label = " ".join((label or "").split())
    return label if len(label) <= n else label[: n - 1] + "…"


def step_name(action: RecordedAction) -> str:
    label = _short(action.label)
    if action.kind == "fill" and action.secret == "account":
        return "输入账号 / account"
    if action.kind == "fill" and action.secret == "password":
        return "输入密码 / password"
    verbs = {"click": ("点击", "click"), "fill": ("填写", "fill in"), "check": ("勾选", "tick"),
             "select": ("选择", "choose"), "press": ("按键", "press a key in"), "scroll": ("滚动到底", "scroll to the end of"),
             "drag": ("拖动", "drag"), "submit": ("点击", "click")}
    zh, en = verbs[action.kind]
    return f"{zh}「{label}」 / {en} {label}" if label else f"{zh} / {en}"


def _sent_locator(text: Optional[str]):
    """A countdown such as 重新发送(59s) becomes a pattern; fixed words stay words."""
    text = (text or "").strip()
    if not text:
        return None
    if re.search(r"\d", text):
        pattern = "".join(r"\d+" if part.isdigit() else re.escape(part) for part in re.split(r"(\d+)", text) if part)
        return {"text_re": pattern}
    return {"text": text, "exact": True}


def listing(actions: list[RecordedAction]) -> list[str]:
    return [f"{i:>3}. {a.describe()}" for i, a in enumerate(actions, 1)]


def _allowed_origin(url: str) -> Optional[str]:
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and (parts.hostname or "") in LOOPBACK_HOSTS):
        return origin_of(url)
    return None


# ---------------------------------------------------------------- choosing the submit and the code

def _apply_choices(actions: list[RecordedAction], spec: DraftSpec, notes: list) -> list[RecordedAction]:
    actions = list(actions)
    n = len(actions)
    for number, key in ((spec.submit_step, "submit"), (spec.code_step, "code")):
        if number is not None and not 1 <= number <= n:
            raise StepChoiceError("record.no_such_step", number=number, count=n)
    if spec.code_step is not None:
        chosen = actions[spec.code_step - 1]
        if chosen.kind != "fill":
            raise StepChoiceError("record.code_not_fill", number=spec.code_step)
        for a in actions:
            a.code = a is chosen
        chosen.secret, chosen.value = None, None
    if spec.submit_step is not None:
        chosen = actions[spec.submit_step - 1]
        if chosen.kind not in ("click", "submit"):
            raise StepChoiceError("record.submit_not_click", number=spec.submit_step)
        actions = [a for a in actions if a.kind != "submit" or a is chosen]
        chosen.kind = "submit"
    submits = [i for i, a in enumerate(actions) if a.kind == "submit"]
    submit_at = submits[-1] if submits else None
    if submit_at is None:
        notes.append(("record.note_no_submit", {}))
    elif submit_at < len(actions) - 1:
        notes.append(("record.note_after_submit", {"count": len(actions) - 1 - submit_at}))
        actions = actions[: submit_at + 1]
    return actions


# ---------------------------------------------------------------- steps

def _verification(actions: list[RecordedAction], i: int, used: set, notes: list) -> dict:
    """The code typed at actions[i], with the click that sent it and the one that confirmed it."""
    fill = actions[i]
    step: dict = {"channel": "sms"}
    for j in range(i - 1, max(-1, i - 4), -1):
        a = actions[j]
        if a.kind == "click" and a.sends_code and a.url == fill.url and j not in used:
            used.add(j)
            step["send"] = locator(a)
            sent = _sent_locator(a.after_text)
            if sent:
                step["sent"] = _in_frame(sent, a.frame)  # the countdown is where the button is
            break
    if fill.destination:
        step["destination"] = fill.destination[0] if len(fill.destination) == 1 else fill.destination
    step["input"] = locator(fill, "验证码输入框 / code field")
    confirm = actions[i + 1] if i + 1 < len(actions) else None
    if confirm is not None and confirm.kind in ("click", "press") and confirm.url == fill.url:
        used.add(i + 1)
        step["confirm"] = locator(confirm)
        after = actions[i + 2] if i + 2 < len(actions) else None
    else:
        # Never the submit: confirming a code must not be the irreversible click.
        step["confirm"] = _todo("验证码的确认按钮 / the button that confirms the code")
        notes.append(("record.note_no_confirm", {}))
        after = confirm
    if after is not None and after.target:
        step["accepted"] = locator(after)
    else:
        step["accepted"] = _todo("验证码通过后出现的文字 / what shows once the code is accepted")
        notes.append(("record.note_no_accepted", {}))
    return step


def _dialog_of(actions: list[RecordedAction], used: set) -> Optional[str]:
    """A native dialog raised by an action folded into the verification step ("code sent" alerts)."""
    return next((actions[i].dialog for i in sorted(used) if i < len(actions) and actions[i].dialog), None)


def _drop_retries(actions: list[RecordedAction]) -> list[RecordedAction]:
    """A code typed again (the first was wrong): keep the last try and its confirm only."""
    codes = [i for i, a in enumerate(actions) if a.code]
    if len(codes) < 2:
        return actions
    last = actions[codes[-1]]
    drop = set()
    for i in codes[:-1]:
        drop.add(i)
        nxt = actions[i + 1] if i + 1 < len(actions) else None
        if nxt is not None and nxt.kind in ("click", "press") and nxt.url == last.url:
            drop.add(i + 1)
    return [a for i, a in enumerate(actions) if i not in drop]


def _step(action: RecordedAction, typed_values: bool = True) -> dict:
    step: dict = {"name": step_name(action)}
    loc = locator(action)
    if action.kind == "click":
        step["click"] = loc
    elif action.kind == "fill":
        if action.secret:
            step["fill"] = {"target": loc, "secret": action.secret}
        elif action.code:  # a code outside the verification step (one typed while logging in)
            step["fill"] = {"target": loc, "value": CODE_TODO}
        else:
            step["fill"] = {"target": loc, "value": (action.value or "") if typed_values else TYPED_TODO}
    elif action.kind == "check":
        step["check"] = loc
    elif action.kind == "select":
        step["select"] = {"target": loc, "option": action.value or ""}
    elif action.kind == "press":
        step["press"] = {"target": loc, "key": action.key or "Enter"}
    elif action.kind == "scroll":
        step["scroll"] = {"target": loc, "to": "end"}
    elif action.kind == "drag":
        # A slider or puzzle only a person can do: the run shows it to them and waits for what follows it.
        step["screen"] = "verification"
        step["manual"] = {"instructions": {"zh": f"TODO 请在浏览器中完成：拖动「{_short(action.label, 20)}」",
                                           "en": f"TODO in the browser: drag {_short(action.label, 20)}"},
                          "done_when": _todo("完成后页面上出现的文字 / what shows once it is done"),
                          "timeout_s": 300}
    if action.dialog:
        step["dialog"] = action.dialog
    if action.opens_tab:
        step["opens_tab"] = True
    return step


def request_pattern(url: str) -> str:
    """The witnessed request as a profile's `request_url`: its path, written as a plain pattern."""
    return re.escape(urlsplit(url).path or "/")


def _submit_step(action: Optional[RecordedAction], request_url: Optional[str] = None) -> dict:
    label = _short(action.label) if action else ""
    return {
        "name": f"最终提交「{label}」（不可撤销）/ final submit {label} (irreversible)" if label
        else "最终提交（不可撤销）/ final submit (irreversible)",
        # The click that requests closure is often followed by "are you sure?": that yes is part of it.
        "dialog": "accept",
        "submit": {"target": locator(action, "最终提交按钮 / the final submit button"), "irreversible": True,
                   # A click recorded, not made, sent nothing: its request is for the contributor to fill in.
                   "request_url": request_pattern(request_url) if request_url
                   else "TODO the request the final button sends (developer tools, Network tab)"},
    }


def _in_frame(candidate: dict, frame: Optional[str]) -> dict:
    return {**candidate, "frame": frame} if frame else candidate


def _outcome_step(action: Optional[RecordedAction], spec: DraftSpec, notes: list) -> dict:
    frame = action.frame if action else None
    if spec.result_text is not None:
        # The person saw the result page: its own words, the usual phrases first.
        seen = [t for t in (*spec.outcome_texts, *OUTCOME_PENDING, *OUTCOME_CLOSED) if t and t in spec.result_text]
        words = list(dict.fromkeys(seen)) or ([spec.result_heading] if spec.result_heading else [])
        said = {"text": words} if words else _todo("提交后显示的文字 / text after the submit")
        state = "closed" if spec.outcome_state == "closed" else "pending"
        return {"name": "结果 / result", "screen": "result", "outcome": {state: _in_frame(said, frame)}}
    before = action.page_text if action else ""
    outcome_texts = tuple(spec.outcome_texts)
    pending = [t for t in (*outcome_texts, *OUTCOME_PENDING) if t and t not in before]
    closed = [t for t in OUTCOME_CLOSED if t not in before and t not in outcome_texts]
    if not outcome_texts:
        notes.append(("record.note_outcome", {"phrases": "、".join(pending)}))
    states = {"pending": _in_frame({"text": list(dict.fromkeys(pending)) or "TODO 提交后显示的文字 / text after the submit"},
                                   frame)}
    if closed:
        states["closed"] = _in_frame({"text": closed}, frame)
    return {"name": "结果 / result", "screen": "result", "outcome": states}


def number_shape(number: str) -> str:
    """A pattern for numbers like `number`: its letters and dashes as they are, each run of digits as \\d+."""
    return "".join(r"\d+" if part.isdigit() else re.escape(part) for part in re.split(r"(\d+)", number) if part)


def _capture_step(action: Optional[RecordedAction], spec: DraftSpec) -> dict:
    frame = action.frame if action else None
    number = spec.application_number
    if number and spec.result_text and number in spec.result_text and re.search(r"\d", number):
        shape = number_shape(number)  # seen on the result page: its shape finds the next one
        capture = {"name": "application_number", "from": _in_frame({"text_re": shape, "first": True}, frame),
                   "pattern": f"({shape})"}
    else:
        capture = {**APPLICATION_NUMBER, "from": _in_frame(dict(APPLICATION_NUMBER["from"]), frame)}
    return {"name": "申请编号 / application number", "optional": True, "capture": capture}


def _flows(actions: list[RecordedAction], notes: list) -> tuple[list, list, Optional[RecordedAction]]:
    """Split at the click that logged in: the first click (or Enter) after the password was typed."""
    password = next((i for i, a in enumerate(actions) if a.kind == "fill" and a.secret == "password"), None)
    if password is not None and not any(a.kind == "fill" and a.secret == "account" for a in actions[:password]):
        before = actions[password - 1] if password > 0 else None
        if before is not None and before.kind == "fill" and not before.code:
            before.secret, before.value = "account", None  # the field typed just before the password
            before.secret_kind = before.secret_kind if before.secret_kind != "other" else "username"
    anchor = password
    if anchor is None:
        anchor = next((i for i, a in enumerate(actions) if a.kind == "fill" and a.secret == "account"), None)
    if anchor is None:
        notes.append(("record.note_no_login", {}))
        return [], actions, None
    end = next((i for i in range(anchor + 1, len(actions)) if actions[i].kind in ("click", "press")), None)
    if end is None:
        notes.append(("record.note_no_login", {}))
        return actions[:anchor + 1], actions[anchor + 1:], None
    return actions[:end + 1], actions[end + 1:], actions[end]


# A phone number or e-mail address as sites show it masked (138****0001, a***@example.com): the person's.
MASKED_PERSONAL = re.compile(r"\d{2,4}\*{2,}\d{2,4}|\S\*{2,}\S*@\S+|\d{7,}")


def personal_words(account: Optional[str]) -> list[str]:
    """What of an account may show on a page: the account itself, an e-mail's name before the @."""
    words = []
    if account and account.strip():
        words.append(account.strip())
        local = account.strip().partition("@")[0]
        if "@" in account and len(local) >= 3:
            words.append(local)
    return words


def _holds_personal(text: str, personal: tuple) -> bool:
    low = (text or "").lower()
    return bool(MASKED_PERSONAL.search(text or "")) or any(p.lower() in low for p in personal if p)


def _without_personal(actions: list[RecordedAction], personal: tuple) -> list[RecordedAction]:
    """A draft is shared with strangers: no locator may match the person's name or account on the page
    (an account menu that shows "dana.m▼" is found by its title or id instead), and no step name says it."""
    for a in actions:
        a.target = [c for c in a.target
                    if not any(isinstance(v, str) and _holds_personal(v, personal) for v in c.values())]
        if _holds_personal(a.label, personal):
            words = [c.get(k) for c in a.target for k in ("name", "label", "title", "placeholder", "text")]
            a.label = next((w for w in words if isinstance(w, str)), "…")
    return actions


def build_draft(actions: list[RecordedAction], overlays: list[RecordedAction], spec: DraftSpec) -> Draft:
    notes: list = []
    actions = _drop_retries(_apply_choices(actions, spec, notes))
    actions = _without_personal(actions, tuple(spec.personal))
    overlays = _without_personal(list(overlays), tuple(spec.personal))
    submit = next((a for a in actions if a.kind == "submit"), None)
    login_actions, close_actions, login_click = _flows([a for a in actions if a.kind != "submit"], notes)

    login_steps = [_step(a, spec.typed_values) for a in login_actions]
    close_steps: list = []
    used: set = set()
    codes = [i for i, a in enumerate(close_actions) if a.code]
    code_at = codes[-1] if codes else None
    if code_at is None and any(a.code for a in login_actions):
        notes.append(("record.note_code_in_login", {}))
    verification = None
    if code_at is not None:
        tail = close_actions + ([submit] if submit else [])
        verification = _verification(tail, code_at, used, notes)
        used.add(code_at)
        first = min(used)
    for i, a in enumerate(close_actions):
        if verification is not None and i == first:
            code_step = {"name": "短信验证 / SMS code", "screen": "verification", "verification_code": verification}
            dialog = _dialog_of(close_actions, used)
            if dialog:
                code_step["dialog"] = dialog
            close_steps.append(code_step)
        if i in used:
            continue
        close_steps.append(_step(a, spec.typed_values))
    close_steps.append(_submit_step(submit, spec.request_url))
    if not spec.request_url:
        notes.append(("record.note_request_url", {}))  # the click was not made: its request is unknown
    close_steps.append(_outcome_step(submit, spec, notes))
    close_steps.append(_capture_step(submit, spec))

    first_close = next((a for a in close_actions if a.target), submit)
    logged_in = locator(first_close, "登录后才出现的文字 / text shown only after login")
    if not login_steps:
        login_steps = [{"name": "已登录 / logged in", "wait": {"visible": logged_in}}]
    login: dict = {"logged_in": logged_in}
    if login_click is not None and login_click.target:
        login["login_page"] = locator(login_click)
    login["steps"] = login_steps

    credentials = _credentials(actions)
    origins = list(dict.fromkeys(o for o in [_allowed_origin(spec.start_url)] + [_allowed_origin(a.url) for a in actions] if o))
    device = {"locale": "zh-CN", "timezone": "Asia/Shanghai"}
    if spec.mobile:
        device = {"viewport": dict(MOBILE_VIEWPORT), "mobile": True, **device}
    if spec.device:
        device = dict(spec.device)  # the site was seen this way: its locators and words are this layout's
    data = {
        "schema_version": 1, "id": spec.id, "names": dict(spec.names),
        "website": (_allowed_origin(spec.start_url) or "") + "/",
        "origins": origins, "start_url": spec.start_url, "device": device, "credentials": credentials,
        "closure": {"routes": ["online"]},
    }
    if overlays:
        data["overlays"] = [{"name": f"弹窗：{_short(o.label, 30)} / pop-up: {_short(o.label, 30)}",
                             "appears": o.target[0], "dismiss": o.target[0]} for o in overlays if o.target]
    data["login"] = login
    data["close"] = {"steps": close_steps}
    return Draft(data, notes)


def _credentials(actions: list[RecordedAction]) -> dict:
    account = next((a for a in actions if a.kind == "fill" and a.secret == "account"), None)
    password = next((a for a in actions if a.kind == "fill" and a.secret == "password"), None)
    acc_kind = account.secret_kind if account and account.secret_kind != "other" else "phone"
    acc_label = _short(account.label, 30) if account and account.label else "账号"
    pw_label = _short(password.label, 30) if password and password.label else "登录密码"
    creds = {"account": {"label": {"zh": acc_label, "en": "account"}, "kind": acc_kind},
             "password": {"label": {"zh": pw_label, "en": "password"}, "kind": "password"}}
    for a in actions:
        if a.kind == "fill" and a.secret and a.secret not in creds:
            label = _short(a.secret_label or a.label, 30) or a.secret
            creds[a.secret] = {"label": {"zh": label, "en": a.secret.replace("_", " ")}, "kind": a.secret_kind}
    return creds


class _PlainDumper(yaml.SafeDumper):
    """Profiles refuse YAML anchors: write a shared locator out in full each time."""

    def ignore_aliases(self, data) -> bool:
        return True


def draft_body(draft: Draft) -> str:
    """The draft's YAML, every line holding a TODO marked `# TODO`."""
    body = yaml.dump(draft.data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, default_flow_style=None,
                     width=110)
    return mark_todos(body)[0]


def mark_todos(text: str) -> tuple[str, int]:
    """Appends `  # TODO` to each line that holds a "TODO" value (to the line that closes its flow mapping
    when the value sits in one written over several lines, where a comment may not go). Returns the
    text and how many were marked: the places a contributor must fill in before the profile can run."""
    lines, marked, depth, pending = [], 0, 0, False
    for line in text.split("\n"):
        quote = None
        for i, ch in enumerate(line):
            if quote == '"' and ch == "\\":
                continue
            if quote:
                if ch == quote and not (quote == '"' and i and line[i - 1] == "\\"):
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch in "{[":
                depth += 1
            elif ch in "}]":
                depth -= 1
        pending = pending or "TODO" in line
        if pending and depth == 0 and line.strip():
            line += "  # TODO"
            marked += 1
            pending = False
        lines.append(line)
    return "\n".join(lines), marked


def todo_count(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.rstrip().endswith("# TODO"))


def draft_text(draft: Draft, modeline: str, origin: str) -> str:
    today = dt.date.today().isoformat()
    header = [
        modeline,
        f"# Draft recorded on {today} from {origin} by `closure-assistant profiles record`.",
        "# Your password, codes and account are not in this file: steps name them (secret: password,",
        "# secret: account) and the tool asks for them at run time. Lines marked TODO need your edit.",
        "# Review before use: outcome (the recording stopped before the submit, so it lists the usual",
        "# phrases), a precondition for 'unpaid loan' messages, then walk it without submitting:",
        f"#   closure-assistant profiles check {draft.data['id']} --account YOUR_ACCOUNT",
    ]
    return "\n".join(header) + "\n" + draft_body(draft)
