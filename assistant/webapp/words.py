"""The web app's own sentences, in Chinese and English (the rest come from assistant/messages.py).

`w(key, lang)` looks here first, then in the tool's catalogue, so a page says the same words as the
terminal wherever the terminal already has them.
"""
from __future__ import annotations

from assistant.messages import CATALOGUE, t

LANGS = ("zh", "en")

APP: dict[str, dict[str, str]] = {
    "app.title": {"zh": "注销助手", "en": "Closure assistant"},
    "app.tagline": {"zh": "注销网贷平台账号，并保存完整证据。一切都在您自己的电脑上进行。",
                    "en": "Close your accounts on lender portals and keep proof. Everything happens on your own computer."},
    "app.nav.sites": {"zh": "平台", "en": "Sites"},
    "app.nav.cases": {"zh": "我的注销申请", "en": "My closures"},
    "app.nav.quit": {"zh": "退出", "en": "Quit"},
    "app.lang.switch": {"zh": "English", "en": "中文"},
    "app.quit.done": {"zh": "注销助手已退出，可以关闭这个页面。", "en": "The closure assistant has stopped. You can close this page."},
    "app.quit.busy": {"zh": "还有注销流程在运行：退出会停止它（证据已保存的部分会保留）。", "en": "A closure is still running: quitting stops it (the evidence so far is kept)."},
    # the sites
    "app.sites.heading": {"zh": "选择要注销的平台", "en": "Choose the site to close your account on"},
    "app.sites.search": {"zh": "搜索：中文名、拼音或英文名", "en": "Search: Chinese name, pinyin or English name"},
    "app.sites.none": {"zh": "没有找到匹配的平台。", "en": "No site matches."},
    "app.sites.practice": {"zh": "练习站点（只在本机运行，不会动到真实账号）", "en": "practice site (runs on this computer only; no real account is touched)"},
    "app.sites.invalid": {"zh": "配置有误，无法使用：{detail}", "en": "Its profile is invalid and cannot be used: {detail}"},
    "app.sites.missing": {"zh": "没有您的平台？需要有人先为它写一个站点配置：命令行里的 closure-assistant profiles record 可以录制。",
                          "en": "Your site is not listed? Someone has to write its site profile first: closure-assistant profiles record on the command line records one."},
    # starting a closure
    "app.start.heading": {"zh": "在 {site} 注销账号", "en": "Close your account on {site}"},
    "app.start.status_heading": {"zh": "查询 {site} 的注销进度", "en": "Check the closure on {site}"},
    "app.start.account": {"zh": "登录账号（{label}）", "en": "Your login ({label})"},
    "app.start.password": {"zh": "{label}", "en": "{label}"},
    "app.start.password_help": {"zh": "只用于这一次，不会保存、不会显示、也不会记入证据。", "en": "Used for this run only: never stored, shown or put in the evidence."},
    "app.start.use_saved": {"zh": "使用系统密码库里保存的密码", "en": "Use the password saved in the system keyring"},
    "app.start.save": {"zh": "同时保存到系统密码库（加密保存），下次不用再输入", "en": "Also save it in the system keyring (encrypted) for next time"},
    "app.start.dry_run": {"zh": "先演练：走到最终提交前一步，不提交任何内容", "en": "Dry run first: walk up to the final submit and submit nothing"},
    "app.start.dry_button": {"zh": "开始演练", "en": "Start the dry run"},
    "app.start.close_button": {"zh": "开始注销", "en": "Start the closure"},
    "app.start.status_button": {"zh": "查询进度", "en": "Check the status"},
    "app.start.before": {"zh": "开始之前，请确认：", "en": "Before you start:"},
    "app.start.irreversible_note": {"zh": "正式注销时，在唯一不可撤销的最终提交之前，工具会停下来请您确认。",
                                    "en": "In a real closure the tool stops and asks you once more before the one irreversible submit."},
    "app.start.no_account": {"zh": "请填写登录账号。", "en": "Please enter your login."},
    "app.start.no_password": {"zh": "请输入{label}，或选择使用已保存的密码。", "en": "Enter the {label}, or choose the saved one."},
    "app.start.none_saved": {"zh": "系统密码库里没有这个账号的密码，请输入。", "en": "No password is saved in the keyring for this login; please type it."},
    "app.start.saved": {"zh": "密码已保存到系统密码库（{backend}）。", "en": "The password was saved in the system keyring ({backend})."},
    "app.start.busy": {"zh": "{site} 的这个账号正在运行另一个流程，请等它结束。", "en": "Another run is working on this login on {site}; wait for it to finish."},
    # the live run
    "app.run.heading_close": {"zh": "正在注销：{site}（{account}）", "en": "Closing: {site} ({account})"},
    "app.run.heading_dry": {"zh": "正在演练：{site}（{account}）", "en": "Dry run: {site} ({account})"},
    "app.run.heading_status": {"zh": "正在查询：{site}（{account}）", "en": "Checking: {site} ({account})"},
    "app.run.steps": {"zh": "每一步（截图即证据）", "en": "Each step (the screenshots are the evidence)"},
    "app.run.waiting": {"zh": "正在启动浏览器……", "en": "Starting the browser…"},
    "app.run.stop": {"zh": "停止", "en": "Stop"},
    "app.run.stopping": {"zh": "正在停止：当前这一步结束后停止，已保存的证据会保留。", "en": "Stopping after the current step; the evidence so far is kept."},
    "app.run.lost": {"zh": "与注销助手的连接中断了，正在重新连接……", "en": "Lost the connection to the assistant; reconnecting…"},
    "app.run.timeout": {"zh": "（{minutes} 分钟内没有回答会停止，不会提交）", "en": "(no answer within {minutes} minutes stops the run; nothing is submitted)"},
    "app.code.heading": {"zh": "请输入验证码", "en": "Enter the verification code"},
    "app.code.sent": {"zh": "{site} 已将验证码发送至 {destination}。", "en": "{site} sent a code to {destination}."},
    "app.code.sent_nowhere": {"zh": "{site} 已发送验证码。", "en": "{site} sent a verification code."},
    "app.code.authenticator": {"zh": "请打开身份验证器 App，输入 {site} 当前显示的动态码。", "en": "Enter the code your authenticator app shows for {site}."},
    "app.code.retry": {"zh": "验证码未被接受，请重新输入（第 {attempt} 次）。", "en": "The code was not accepted. Enter it again (attempt {attempt})."},
    "app.code.resend": {"zh": "网站 {seconds} 秒后才允许重新发送。", "en": "The site allows a new code in {seconds} s."},
    "app.code.resend_now": {"zh": "网站现在允许重新发送验证码：没有收到的话，留空提交即可停止，稍后重新运行。", "en": "The site now allows a new code: if none came, send an empty answer to stop, and run again later."},
    "app.code.practice": {"zh": "练习站点的模拟短信：{sms}", "en": "The practice site's simulated message: {sms}"},
    "app.code.practice_sms": {"zh": "【{site}】您的验证码是 {code}，5分钟内有效。", "en": "[{site}] Your code is {code}; valid for 5 minutes."},
    "app.code.input": {"zh": "验证码", "en": "Code"},
    "app.code.send": {"zh": "提交验证码", "en": "Send the code"},
    "app.code.bad": {"zh": "这不像验证码：只能是 3 到 12 位字母或数字。", "en": "That does not look like a code: 3 to 12 letters or digits."},
    "app.confirm.heading": {"zh": "最后确认：此操作不可撤销", "en": "Last check: this cannot be undone"},
    "app.confirm.text": {"zh": "即将在 {site} 提交注销申请，账号 {account}。提交后账号将被注销，无法恢复。",
                         "en": "About to submit the closure request on {site} for {account}. Once submitted, the account is closed and cannot be restored."},
    "app.confirm.yes": {"zh": "确认注销（不可撤销）", "en": "Yes, close it (cannot be undone)"},
    "app.confirm.no": {"zh": "不注销，停止", "en": "No, stop"},
    "app.manual.heading": {"zh": "需要您本人操作", "en": "This needs you"},
    "app.manual.headless": {"zh": "{text}。这一步需要可见的浏览器窗口：请退出注销助手，再用 closure-assistant app --headed 启动，重新开始。",
                            "en": "{text}. This step needs a visible browser window: quit the assistant, start it again with closure-assistant app --headed, and start over."},
    "app.manual.headed": {"zh": "请在打开的浏览器窗口中完成：{text}（完成后工具会自动继续）", "en": "Please do this in the browser window: {text} (the tool continues by itself)"},
    # the result
    "app.result.heading": {"zh": "结果", "en": "Result"},
    "app.result.application": {"zh": "申请编号", "en": "Application number"},
    "app.result.deadline": {"zh": "平台应完成的日期", "en": "The platform should finish by"},
    "app.result.report": {"zh": "打开证据报告", "en": "Open the evidence report"},
    "app.result.report_pdf": {"zh": "下载 PDF 报告", "en": "Download the PDF report"},
    "app.result.evidence": {"zh": "查看证据", "en": "View the evidence"},
    "app.result.cases": {"zh": "查看我的注销申请", "en": "See my closures"},
    "app.result.close_now": {"zh": "演练通过，现在正式注销", "en": "The dry run passed: close it now"},
    "app.result.again": {"zh": "再试一次", "en": "Try again"},
    "app.result.stopped": {"zh": "已停止。", "en": "Stopped."},
    "app.result.failed": {"zh": "没有完成", "en": "Not finished"},
    "app.result.ok": {"zh": "完成", "en": "Done"},
    # the cases
    "app.cases.heading": {"zh": "我的注销申请", "en": "My closures"},
    "app.cases.check": {"zh": "查询进度", "en": "Check status"},
    "app.cases.evidence": {"zh": "证据", "en": "Evidence"},
    "app.cases.overdue": {"zh": "逾期", "en": "OVERDUE"},
    "app.cases.db": {"zh": "记录保存在 {path}（今天：{today}）", "en": "Kept in {path} (today: {today})"},
    # the evidence
    "app.evidence.heading": {"zh": "证据：{folder}", "en": "Evidence: {folder}"},
    "app.evidence.verify": {"zh": "校验结果", "en": "Verification"},
    "app.evidence.report": {"zh": "证据报告（HTML）", "en": "Evidence report (HTML)"},
    "app.evidence.report_pdf": {"zh": "证据报告（PDF）", "en": "Evidence report (PDF)"},
    "app.evidence.no_report": {"zh": "这份证据还没有报告。", "en": "This evidence has no report yet."},
    "app.evidence.files": {"zh": "文件", "en": "Files"},
    "app.evidence.fingerprint": {"zh": "证据校验值", "en": "Evidence fingerprint"},
    # errors
    "app.error.forbidden": {"zh": "拒绝访问：请使用启动时显示的完整链接（链接里带有访问口令）打开注销助手。",
                            "en": "Forbidden: open the assistant with the full link it printed when it started (with its token)."},
    "app.error.host": {"zh": "拒绝访问：地址不是本机。", "en": "Refused: this address is not this computer."},
    "app.error.origin": {"zh": "拒绝访问：请求不是来自注销助手自己的页面。", "en": "Refused: the request did not come from the assistant's own page."},
    "app.error.not_found": {"zh": "找不到这个页面或文件。", "en": "No such page or file."},
    "app.error.run_gone": {"zh": "这个流程已经不存在（注销助手可能重新启动过）。", "en": "This run no longer exists (the assistant may have restarted)."},
    "app.error.question_gone": {"zh": "这个问题已经过期。", "en": "This question has expired."},
    "app.error.practice_gone": {"zh": "无法查询：这次注销是在注销助手上一次运行时启动的练习站点（{site}）上做的。练习站点每次启动都是全新的，不记得那次注销，所以查不到它的进度。这只影响练习，不影响真实平台。",
                                "en": "Cannot check: this closure was made on the practice site ({site}) of an earlier start of the assistant. A practice site starts afresh each time and does not remember it, so its progress cannot be read. This only affects practice, never a real lender."},
    "app.error.heading": {"zh": "出错了", "en": "Something went wrong"},
    # the command line
    "app.cli.url": {"zh": "注销助手已启动：用浏览器打开上面的链接（只在本机可用）。按 Ctrl-C 或页面上的“退出”结束。",
                    "en": "The closure assistant is running: open the link above in your browser (this computer only). Ctrl-C or Quit on the page stops it."},
    "app.cli.idle": {"zh": "{minutes} 分钟没有使用，注销助手已自动退出。", "en": "Not used for {minutes} minutes: the assistant has stopped."},
    "app.cli.stopped": {"zh": "注销助手已退出。", "en": "The closure assistant has stopped."},
}


def w(key: str, lang: str, /, **params) -> str:
    """The app's sentence `key` (else the tool's catalogue's) in `lang`."""
    entry = APP.get(key)
    if entry is None:
        return t(key, lang, **params)
    text = entry.get(lang) or entry["en"]
    try:
        return text.format(**{k: (v.in_lang(lang) if callable(getattr(v, "in_lang", None)) else v)
                              for k, v in params.items()})
    except (KeyError, IndexError):
        return text


def known(key: str) -> bool:
    return key in APP or key in CATALOGUE


def pick_lang(explicit: str | None, accept_language) -> str:
    """The page's language: the user's switch (a cookie), else the browser's first zh or en, else zh."""
    if explicit in LANGS:
        return explicit
    best = accept_language.best_match(["zh", "zh-CN", "zh-TW", "en", "en-US", "en-GB"]) if accept_language else None
    if best:
        return "en" if best.lower().startswith("en") else "zh"
    return "zh"  # Chinese-speaking users come first
