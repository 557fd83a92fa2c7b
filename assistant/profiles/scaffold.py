"""New profiles: where they go, the commented skeleton of `profiles new`, and writing a profile only
after it has validated (used by `profiles new` and `profiles record`)."""
from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from assistant.profiles.origins import LOOPBACK_HOSTS, origin_of, url_problem
from assistant.profiles.loader import load_profile, schema_path
from assistant.settings import user_config_dir

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
ROUTES = ("online", "in_app", "customer_service", "email")


class ScaffoldProblem(ValueError):
    """A value given for a new profile cannot be used; `key` names the message, `params` fill it."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def user_profiles_dir() -> Path:
    return user_config_dir() / "site_profiles"


def suggest_id(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:63]
    return slug if ID_RE.match(slug) else ""


def check_id(profile_id: str) -> str:
    if not ID_RE.match(profile_id or ""):
        raise ScaffoldProblem("new.bad_id", id=profile_id)
    return profile_id


def site_origin(url: str) -> str:
    """The origin a profile must declare for `url`: https, or http on the loopback host only."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ScaffoldProblem("new.bad_url", url=url, reason="https://…")
    origin = origin_of(url)
    if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        raise ScaffoldProblem("new.bad_url", url=url, reason="plain http is allowed only on 127.0.0.1 / localhost")
    if parts.hostname == "::1":
        origin = origin.replace("://::1", "://[::1]")
    problem = url_problem(url, [origin])
    if problem:
        raise ScaffoldProblem("new.bad_url", url=url, reason=problem)
    return origin


def output_path(profile_id: str, output: Path | None) -> Path:
    """`--output` may be a folder or a file; the file name must be the id (the loader insists)."""
    if output is None:
        return user_profiles_dir() / f"{profile_id}.yaml"
    output = Path(output)
    if output.suffix in (".yaml", ".yml"):
        if output.stem != profile_id:
            raise ScaffoldProblem("new.name_mismatch", path=output, id=profile_id)
        return output
    return output / f"{profile_id}.yaml"


def modeline(dest: Path) -> str:
    """The yaml-language-server line that gives editors the schema: relative inside this source tree."""
    schema = schema_path().resolve()
    dest = Path(dest).resolve()
    tree = schema.parents[3]  # the source tree (or site-packages) holding assistant/
    if tree in dest.parents:
        ref = Path(os.path.relpath(schema, dest.parent)).as_posix()
    else:
        ref = schema.as_uri()
    return f"# yaml-language-server: $schema={ref}"


def write_profile(text: str, dest: Path, *, force: bool = False) -> Path:
    """Validate `text` as the profile `dest` would be, then write it. Nothing is written if it fails."""
    dest = Path(dest)
    if dest.exists() and not force:
        raise FileExistsError(str(dest))
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / dest.name
        trial.write_text(text, "utf-8")
        load_profile(trial)  # raises ProfileError with file:line:column
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp_dest = dest.with_name(dest.name + ".tmp")
    tmp_dest.write_text(text, "utf-8")
    os.replace(tmp_dest, dest)
    return dest


def _q(value: str) -> str:
    """A YAML scalar for any text (JSON strings are YAML)."""
    return json.dumps(value, ensure_ascii=False)


def skeleton(*, profile_id: str, name_zh: str, name_en: str, url: str, route: str, dest: Path) -> str:
    origin = site_origin(url)
    if route not in ROUTES:
        raise ScaffoldProblem("new.bad_route", route=route, routes=", ".join(ROUTES))
    check_id(profile_id)
    return SKELETON.format(modeline=modeline(dest), id=profile_id, zh=_q(name_zh), en=_q(name_en),
                           name=name_zh or name_en, website=_q(origin + "/"), origin=_q(origin), url=_q(url),
                           route=route)


# Every site-specific value is a "TODO …" text that matches nothing on a real page: a skeleton that
# is run before it is edited stops at its first step, and its submit can never click anything.
SKELETON = """{modeline}
# Site profile for {name}, made by `closure-assistant profiles new`.
# Replace every "TODO …" with what the site really shows (the words on its buttons and labels), then:
#   closure-assistant profiles check {id} --account YOUR_ACCOUNT   (walks the path, submits nothing)
# Faster: record the path instead:  closure-assistant profiles record {id} --url {url}
# Reference: docs/writing-profiles.md
schema_version: 1
id: {id}                      # must equal the file name
names:
  zh: {zh}
  en: {en}
website: {website}
origins:                      # every origin the tool may open or type into (https only)
  - {origin}                  # add the login page's origin if it differs, e.g. https://passport.example.com
start_url: {url}
device:                       # a phone-style (H5) site: keep; a desktop site: delete viewport and mobile
  viewport: {{width: 390, height: 844}}
  mobile: true
  locale: zh-CN
  timezone: Asia/Shanghai
credentials:                  # values never go here: the keyring or a hidden prompt supplies them
  account: {{label: {{zh: 手机号, en: phone number}}, kind: phone}}
  password: {{label: {{zh: 登录密码, en: password}}, kind: password}}
closure:
  routes: [{route}]
  review_working_days: 15     # change if the site promises another review time
  prerequisites:
    - 结清全部借款 / repay every loan

# Pop-ups that may cover any page (ads, coupons): they are closed whenever they appear.
# overlays:
#   - name: 广告弹窗 / advertisement
#     appears: {{css: .ad-mask}}
#     dismiss: {{role: button, name: 关闭}}

login:
  # Something visible only once logged in, e.g. {{text: 我的, exact: true}}
  logged_in: {{text: "TODO 登录后才出现的文字 / text shown only after login"}}
  steps:
    - name: 输入手机号 / phone
      fill: {{target: [{{label: "TODO 手机号"}}, {{placeholder: "TODO 请输入手机号"}}], secret: account}}
    - name: 输入密码 / password
      fill: {{target: [{{label: "TODO 登录密码"}}, {{placeholder: "TODO 请输入密码"}}], secret: password}}
    # Many sites want the user agreement ticked before login:
    # - name: 同意用户协议 / accept terms
    #   check: {{label: 我已阅读并同意}}
    - name: 登录 / log in
      click: {{role: button, name: "TODO 登录", exact: true}}

close:
  steps:
    # From the logged-in home page to the closure page, one click per step, e.g. 我的 → 设置 → 注销账号.
    - name: 我的 / me
      click: {{text: "TODO 我的", exact: true}}
    - name: 注销入口 / close-account entry
      click: {{text: "TODO 注销账号"}}
    # Stop before anything irreversible when the site refuses (unpaid loan, balance):
    # - name: 注销条件检测 / closure conditions
    #   precondition: {{ok_if: {{text: 检测通过}}, blocked_if: {{text: 未结清}}}}
    - name: 短信验证 / SMS code
      screen: verification
      verification_code:
        channel: sms
        send: {{role: button, name: "TODO 获取验证码"}}
        input: {{placeholder: "TODO 请输入验证码"}}
        confirm: {{role: button, name: "TODO 下一步"}}
        accepted: {{role: button, name: "TODO 确认注销"}}   # visible once the code was accepted
    - name: 确认注销（不可撤销）/ confirm closure
      dialog: accept          # the site asks "are you sure?": answer yes (delete if it does not ask)
      submit:                 # THE irreversible click: exactly one per profile
        target: {{role: button, name: "TODO 确认注销"}}
        irreversible: true
        # The request this click sends (browser developer tools, Network tab): the runtime guard lets
        # only this step send it, after your yes.
        request_url: "TODO /api/close/submit"
    - name: 结果 / result
      screen: result
      outcome:                # what the page says after the submit
        pending: {{text: "TODO 注销申请已提交"}}
        closed: {{text: "TODO 账号已注销"}}
"""
