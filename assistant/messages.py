"""Every sentence the tool says to a person, in Chinese and English. Chosen by --lang or the locale."""
from __future__ import annotations

import locale
import os

CATALOGUE: dict[str, dict[str, str]] = {
    # progress and prompts
    "progress.step": {"zh": "[{i}/{n}] {name}", "en": "[{i}/{n}] {name}"},
    "progress.skipped": {"zh": "    跳过：{note}", "en": "    skipped: {note}"},
    "progress.warning": {"zh": "    注意：{note}", "en": "    warning: {note}"},
    "progress.drift": {"zh": "    页面可能已改版：第 {k} 个备选定位才匹配（{candidate}）",
                       "en": "    the site may have changed: fallback #{k} matched ({candidate})"},
    "progress.overlay": {"zh": "    已关闭弹窗：{name}", "en": "    dismissed pop-up: {name}"},
    "progress.dialog": {"zh": "    网页对话框（{action}）：{message}", "en": "    page dialog ({action}): {message}"},
    "progress.retry": {"zh": "    重试（第 {attempt} 次）：{reason}", "en": "    retrying (attempt {attempt}): {reason}"},
    "prompt.password": {"zh": "请输入 {site} 的{label}（输入时不显示）：", "en": "{label} for {site} (hidden): "},
    "prompt.code": {"zh": "{site} 已将验证码发送至 {destination}，请输入验证码：",
                    "en": "{site} sent a code to {destination}. Enter the code: "},
    "prompt.code_retry": {"zh": "验证码未被接受，请重新输入（第 {attempt} 次）：",
                          "en": "The code was not accepted. Enter it again (attempt {attempt}): "},
    "prompt.confirm": {"zh": "即将在 {site} 提交注销申请（账号 {account}），此操作不可撤销。确认请输入 yes：",
                       "en": "About to submit the closure request on {site} for {account}. This cannot be undone. Type yes to confirm: "},
    "prompt.manual": {"zh": "请在打开的浏览器窗口中完成：{text}（完成后工具会自动继续）",
                      "en": "Please do this in the browser window: {text} (the tool continues by itself)"},
    "demo.sms": {"zh": "（演示站点：模拟短信收件箱在 {path}）", "en": "(demo site: the simulated SMS inbox is {path})"},
    # results
    "result.submitted": {"zh": "注销申请已提交，平台审核中。申请编号：{app}", "en": "Closure request submitted; the platform is reviewing it. Application number: {app}"},
    "result.closed": {"zh": "账号已注销。", "en": "The account is closed."},
    "result.already_closed": {"zh": "该账号在平台上已经是注销状态，未重复提交。", "en": "The site says this account is already closed; nothing was submitted."},
    "result.dry_run_ok": {"zh": "演练完成：已走到最终提交前一步，未提交任何内容。", "en": "Dry run finished: reached the final submit and did not press it."},
    "result.status_read": {"zh": "平台显示的状态：{state}", "en": "State shown by the site: {state}"},
    "result.deadline": {"zh": "按规定平台应在 {deadline} 前完成（{days} 个工作日）。", "en": "The platform should finish by {deadline} ({days} working days)."},
    "result.evidence": {"zh": "证据文件夹：{path}", "en": "Evidence folder: {path}"},
    "result.final_hash": {"zh": "证据校验值（请抄下或发给自己）：{hash}", "en": "Evidence fingerprint (write it down or send it to yourself): {hash}"},
    "state.pending": {"zh": "审核中", "en": "pending review"},
    "state.closed": {"zh": "已注销", "en": "closed"},
    "state.active": {"zh": "未注销", "en": "not closed"},
    "state.rejected": {"zh": "被拒绝", "en": "rejected"},
    # errors: what happened, then what to do next
    "error.generic": {"zh": "出错了：{detail}", "en": "Something went wrong: {detail}"},
    "error.unexpected": {"zh": "意外错误：{detail}。这是工具的缺陷，请带上 --debug 的输出报告问题。",
                         "en": "Unexpected error: {detail}. This is a bug; please report it with the output of --debug."},
    "error.profile": {"zh": "站点配置文件有误：\n{detail}\n请按提示修改该文件后重试（可用 closure-assistant profiles validate 检查）。",
                      "en": "The site profile is invalid:\n{detail}\nFix the file as described and try again (check it with closure-assistant profiles validate)."},
    "error.profile_not_found": {"zh": "找不到站点配置：{detail}。用 closure-assistant profiles list 查看可用站点。",
                                "en": "No such site profile: {detail}. See closure-assistant profiles list."},
    "error.site_changed": {"zh": "网站与配置不符，已停止（未提交注销）：第 {step} 步「{name}」：{detail}。网站可能已改版，请用 closure-assistant profiles check 检查并更新配置。",
                           "en": "The site did not match its profile; stopped without submitting. Step {step} '{name}': {detail}. The site may have changed: run closure-assistant profiles check and update the profile."},
    "error.blocked": {"zh": "平台拒绝注销，已停止（未提交）。平台提示：{detail}\n请先处理上述问题（如结清借款），再重新运行。",
                      "en": "The platform refuses closure for now; stopped without submitting. The site says: {detail}\nResolve this first (e.g. repay the loan), then run again."},
    "error.needs_user": {"zh": "需要您本人操作，已停止（未提交）：{detail}", "en": "This needs you; stopped without submitting: {detail}"},
    "error.wrong_code": {"zh": "验证码多次未被接受，已停止（未提交）。请确认短信后重新运行。", "en": "The code was not accepted; stopped without submitting. Check the message and run again."},
    "error.credential_missing": {"zh": "缺少登录凭据：{detail}。可用 closure-assistant credentials set 保存，或在交互终端中运行以便输入。",
                                 "en": "A credential is missing: {detail}. Save it with closure-assistant credentials set, or run in a terminal so you can type it."},
    "error.unsafe": {"zh": "出于安全原因已拒绝：{detail}", "en": "Refused for safety: {detail}"},
    "error.site_error": {"zh": "网站多次出错，已停止（未提交）：{detail}。请稍后重试。", "en": "The site kept failing; stopped without submitting: {detail}. Try again later."},
    "error.browser_missing": {"zh": "找不到 Chromium 浏览器（{detail}）。请安装：Debian/Ubuntu 用 sudo apt-get install chromium，或运行 playwright install chromium，或用 --browser-path 指定。",
                              "en": "No Chromium browser found ({detail}). Install one: sudo apt-get install chromium (Debian/Ubuntu), or playwright install chromium, or pass --browser-path."},
    "error.interrupted": {"zh": "已中断。已记录的证据保留在证据文件夹中。", "en": "Interrupted. The evidence recorded so far is kept."},
    "error.keyring": {"zh": "无法使用系统密钥环：{detail}。在无桌面的 Linux 上请安装并解锁 gnome-keyring 或 KeePassXC（Secret Service），或设置 PYTHON_KEYRING_BACKEND。",
                      "en": "The system keyring is not usable: {detail}. On headless Linux install and unlock gnome-keyring or KeePassXC (Secret Service), or set PYTHON_KEYRING_BACKEND."},
    # doctor
    "doctor.ok": {"zh": "正常", "en": "ok"},
    "doctor.browser": {"zh": "浏览器", "en": "browser"},
    "doctor.fonts": {"zh": "中文字体", "en": "CJK fonts"},
    "doctor.keyring": {"zh": "密钥环", "en": "keyring"},
    "doctor.fix_fonts": {"zh": "未找到中文字体，截图中的中文会显示为方框。请安装：sudo apt-get install fonts-noto-cjk",
                         "en": "No CJK font found: Chinese would show as boxes in screenshots. Install: sudo apt-get install fonts-noto-cjk"},
}


def detect_lang(explicit: str | None = None) -> str:
    if explicit in ("zh", "en"):
        return explicit
    for var in ("CLOSURE_ASSISTANT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            if value.lower().startswith("zh"):
                return "zh"
            if value.lower().startswith("en"):
                return "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "en" if loc.lower().startswith("en") else "zh"  # Chinese-speaking users come first


def t(key: str, lang: str, **params) -> str:
    entry = CATALOGUE.get(key) or CATALOGUE["error.generic"]
    text = entry.get(lang) or entry["en"]
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text
