"""The evidence report's words and layout: one self-contained HTML page, Chinese first, English beside it.

Nothing here may load anything: images arrive as data: URIs, CSS is inline, and a
Content-Security-Policy forbids every other source, so the file opens offline and prints the same.
"""
from __future__ import annotations

from html import escape

from assistant.evidence.preparation import render_preparation

FONT_STACK = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
              '"Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif')
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

L = {
    "title": ("账号注销证据报告", "Account closure evidence report"),
    "summary": ("摘要", "Summary"),
    "site": ("平台", "Site"),
    "account": ("账号（已遮盖）", "Account (masked)"),
    "outcome": ("结果", "Outcome"),
    "submitted": ("是否已提交注销申请", "Closure request submitted"),
    "yes": ("是", "yes"), "no": ("否", "no"),
    "submit_started": ("已开始提交，但运行被中断：请登录平台核实是否收到", "the submit was started but the run was interrupted: check on the site whether it arrived"),
    "application_number": ("申请编号", "Application number"),
    "state": ("平台显示的状态", "State shown by the site"),
    "submitted_at": ("提交时间", "Submitted at"),
    "submit_request": ("提交请求", "Submit request"),
    "deadline": ("平台应完成的期限", "The platform should finish by"),
    "deadline_note": ("按平台受理申请之日（平台所在时区）后 {days} 个工作日计算；{calendar}。"
                      "默认 15 个工作日参照《App违法违规收集使用个人信息行为认定方法》（国信办秘字〔2019〕191号）"
                      "对需人工处理的注销的时限要求；以平台承诺和相关规定原文为准。",
                      "{days} working days after the day the site accepted the request (at the site's time zone); "
                      "{calendar}. The 15-day default follows the time limit for closures "
                      "handled by hand in the 2019 rules on unlawful collection and use of personal information "
                      "by apps (国信办秘字〔2019〕191号); the platform's promise and the rules' own text prevail."),
    "submit_record": ("注销申请的去向", "What became of the closure request"),
    "submit_blocked": ("另有 {n} 个发往注销接口的请求不是最终提交步骤发出的，已在发出前拦截。",
                       "{n} other request(s) to the closure endpoint, not made by the final submit step, were stopped before they left."),
    "error": ("停止原因", "Why it stopped"),
    "failed_step": ("停止于步骤", "Stopped at step"),
    "warnings": ("注意", "Warnings"),
    "run": ("运行", "Run"),
    "started_at": ("开始时间", "Started"),
    "finished_at": ("结束时间", "Finished"),
    "not_finished": ("运行未正常结束（可能被中断），以下为已记录的部分。", "The run did not finish (it may have been interrupted); below is what it recorded."),
    "browser": ("浏览器", "Browser"),
    "device": ("设备与语言", "Device and locale"),
    "profile": ("站点配置文件 SHA-256", "Site profile SHA-256"),
    "folder": ("证据文件夹", "Evidence folder"),
    "integrity": ("报告生成时的校验结果", "Integrity when this report was made"),
    "intact": ("完好：所有文件与清单一致", "intact: every file matches the manifest"),
    "partial": ("完好但不完整：运行未正常结束", "intact but partial: the run did not finish"),
    "tampered": ("已被改动：{n} 处问题，请运行下方的校验命令查看", "changed: {n} problems; run the command below to see them"),
    "flagged": ("被标记的页面与文字", "Flagged screens and texts"),
    "flagged_none": ("本次运行没有挽留页、协议、弹窗或对话框被记录。", "No retention screen, agreement, pop-up or dialog was recorded in this run."),
    "steps": ("逐步记录", "Every step"),
    "step": ("步骤", "Step"),
    "time": ("时间", "Time"),
    "url": ("网址", "URL"),
    "files": ("文件", "Files"),
    "no_screenshot": ("无截图", "no screenshot"),
    "shown_in": ("此页面的截图：{file}（上一步结束时）", "this screen's screenshot: {file} (taken at the end of the step before)"),
    "verify": ("如何校验", "How to verify"),
    "final_hash": ("证据校验值（清单中校验链的最后一环）", "Evidence fingerprint (the last link of the manifest's chain of checksums)"),
    "verify_how": ("在装有 closure-assistant 的电脑上运行下面的命令，结果应为「证据完好」，且显示的证据校验值应与上面这一串以及运行结束时显示、您另行保存（抄下或发给自己）的那一串完全相同。",
                   "On a computer with closure-assistant, run the command below. It should say the evidence is intact, and the evidence fingerprint it shows should equal the one above and the one shown at the end of the run that you kept (wrote down or sent to yourself)."),
    "verify_report": ("本报告由证据文件夹生成，不在校验链内；report.html 和 report.pdf 的 SHA-256 记录在 report.sha256 中（可用 sha256sum -c report.sha256 检查），也可随时用 closure-assistant evidence report 重新生成。",
                      "This report is made from the evidence folder and is not part of the chain of checksums; the SHA-256 of report.html and report.pdf are in report.sha256 (check with sha256sum -c report.sha256), and it can be rebuilt at any time with closure-assistant evidence report."),
    "meaning": ("这份证据能说明什么、不能说明什么", "What this evidence shows and what it does not"),
    "shows": ("能说明", "It shows"),
    "not_shows": ("不能说明", "It does not show"),
    "footer": ("第 {page} / {pages} 页", "page {page} of {pages}"),
}

# Why a run stopped, by the error's kind (the manifest keeps its type name; people read these words).
ERRORS = {
    "BlockedBySite": ("平台拒绝注销", "refused by the site"),
    "SiteChanged": ("网站与站点配置不符", "the site did not match its profile"),
    "NeedsUser": ("需要您本人操作", "needs you"),
    "WrongCode": ("验证码未被接受", "the code was not accepted"),
    "NoDisplay": ("需要可见的浏览器窗口", "needs a visible browser window"),
    "UnsafeAction": ("出于安全原因停止", "stopped for safety"),
    "SiteError": ("网站多次出错", "the site kept failing"),
    "TransientSiteError": ("网站多次出错", "the site kept failing"),
    "SiteUnreachable": ("无法连接到网站", "the site could not be reached"),
    "CredentialMissing": ("缺少登录凭据", "a credential was missing"),
}
STOPPED = ("运行停止", "the run stopped")

SCREENS = {
    "retention": ("挽留页", "retention screen"),
    "agreement": ("协议 / 须知", "agreement / notice"),
    "notice": ("须知", "notice"),
    "questionnaire": ("问卷", "questionnaire"),
    "obstruction": ("阻碍（弹窗）", "obstruction (pop-up)"),
    "verification": ("身份验证", "verification"),
    "result": ("结果页", "result page"),
    "dialog": ("网页对话框", "page dialog"),
    "site_message": ("平台提示", "the site's message"),
}

STATUS = {
    "ok": ("完成", "done"), "skipped": ("跳过", "skipped"), "warning": ("注意", "warning"),
    "progress": ("进行中", "in progress"), "failed": ("失败", "failed"),
}

EVENTS = {
    "text": ("记录的文字", "text recorded"),
    "dialog": ("网页对话框", "page dialog"),
    "overlay": ("关闭了弹窗", "pop-up dismissed"),
    "capture": ("记下的值", "value captured"),
    "submit_started": ("即将点击不可撤销的提交", "about to press the irreversible submit"),
    "submit_request": ("提交请求与平台的回应", "submit request and the site's answer"),
    "submit_blocked": ("已拦截发往注销接口的请求（未发出）", "request to the closure endpoint stopped (not sent)"),
    "status_check": ("查询平台的注销进度（只读，不再发送申请）", "reading the site's status (read-only; the request is not sent again)"),
    "retry": ("重试", "retry"),
    "drift": ("页面可能已改版（用了备选定位）", "the site may have changed (a fallback matched)"),
    "finished": ("运行结束", "run finished"),
    "interrupted": ("您中断了运行（Ctrl-C）", "you stopped the run (Ctrl-C)"),
    "download": ("保存了平台提供的文件", "document saved"),
    "checklist": ("您确认的事项", "what you confirmed"),
}

SHOWS = [
    ("在所列时间，本机浏览器在所列网址看到的页面：每一步的截图和网页 HTML，以及您同意的协议、弹出的对话框等原文。",
     "What this computer's browser was shown at the listed addresses and times: a screenshot and the page's HTML at every step, and the exact text of the agreements you accepted and of every dialog."),
    ("注销申请已发出：提交请求的网址、平台回应的状态码，以及平台给出的申请编号（如有）。",
     "That the closure request was sent: the request's address, the status code the site answered with, and the application number it gave (if any)."),
    ("自运行结束以来这些文件没有被改动——前提是证据校验值与您当时另行保存的一致。",
     "That these files have not changed since the run, provided the evidence fingerprint matches the one you kept at the time."),
]
NOT_SHOWS = [
    ("平台已经真正完成注销或删除了您的个人信息：请在期限之后再次登录或向客服查询核实。",
     "That the platform really completed the closure or deleted your personal information: log in again or ask customer service after the deadline."),
    ("注销账号不会消除征信记录，也不会删除平台依法必须保存的交易记录。",
     "Closing the account does not erase credit-report (征信) records, nor the transaction records the lender must keep by law."),
    ("时间来自本机时钟，不是第三方可信时间戳；截图只说明网站显示了什么，不能说明是谁在操作电脑。",
     "The times come from this computer's clock, not a trusted third-party timestamp; screenshots show what the site displayed, not who was at the computer."),
    ("本报告不是法律意见。", "This report is not legal advice."),
]

CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
body { font-family: %(font)s; color: #1f2329; font-size: 10.5pt; line-height: 1.5; margin: 0 auto; max-width: 190mm; padding: 8px; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; border-bottom: 1.5px solid #1f2329; padding-bottom: 1mm; margin: 7mm 0 3mm; break-after: avoid; }
.en { color: #555; font-weight: normal; }
h1 .en, h2 .en { font-size: 0.7em; margin-left: 2mm; }
.sub { color: #555; margin-bottom: 4mm; }
table.kv { border-collapse: collapse; width: 100%%; }
table.kv th, table.kv td { border: 1px solid #c9cdd4; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
table.kv th { width: 36%%; background: #f2f3f5; font-weight: 600; }
table.kv th .en { display: block; font-size: 8.5pt; }
.mono { font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", monospace; font-size: 8.5pt; word-break: break-all; }
.big { font-size: 13pt; font-weight: 700; }
.outcome-submitted, .outcome-closed, .outcome-already_closed { color: #0a7a32; }
.outcome-blocked, .outcome-failed, .outcome-needs_user, .outcome-partial { color: #b42318; }
.box { border: 1.5px solid #1f2329; padding: 3mm; margin: 3mm 0; break-inside: avoid; }
.warn { border-color: #b42318; color: #b42318; font-weight: 600; }
.note { font-size: 8.5pt; color: #555; margin-top: 1mm; }
.chip { display: inline-block; border: 1px solid #1f2329; border-radius: 3px; padding: 0 1.5mm; font-size: 8.5pt; margin-right: 1.5mm; }
.flag { border-left: 3px solid #1f2329; padding: 1mm 0 1mm 3mm; margin: 2.5mm 0; }
.flag-text { white-space: pre-wrap; font-size: 8.5pt; background: #f7f8fa; border: 1px solid #e5e6eb; padding: 2mm; margin-top: 1mm; }
.card { display: flex; gap: 4mm; border: 1px solid #c9cdd4; padding: 2.5mm; margin: 2.5mm 0; break-inside: avoid; }
.card .meta { flex: 1 1 auto; min-width: 0; }
.card .shot { flex: 0 0 auto; }
.card img { display: block; max-width: 56mm; max-height: 118mm; border: 1px solid #999; }
.card .title { font-weight: 700; }
.event { font-size: 9pt; margin: 1mm 0 1mm 4mm; padding-left: 2mm; border-left: 2px dotted #999; break-inside: avoid; }
.failed { border-color: #b42318; }
ul { margin: 1mm 0; padding-left: 6mm; }
li { margin: 1mm 0; }
""" % {"font": FONT_STACK}


def e(value) -> str:
    return escape("" if value is None else str(value))


def bi(key: str, **params) -> str:
    zh, en = L[key]
    return f'{e(zh.format(**params))} <span class="en">{e(en.format(**params))}</span>'


def pair(labels: tuple[str, str]) -> str:
    return f'{e(labels[0])} <span class="en">{e(labels[1])}</span>'


def row(key: str, value_html: str) -> str:
    zh, en = L[key]
    return f'<tr><th>{e(zh)}<span class="en">{e(en)}</span></th><td>{value_html}</td></tr>'


def when(t: dict | None) -> str:
    """'2026-11-29 04:44:49 UTC · 本地 local 2026-11-29 12:44:49 (UTC+08:00)'"""
    if not t:
        return "-"
    return f'{e(t["utc"])} · <span class="en">本地 local</span> {e(t["local"])}'


def footer_template(site: str, run_id: str) -> str:
    # Chromium's print footer: classes pageNumber/totalPages are filled in per page.
    page = L["footer"][0].format(page='<span class="pageNumber"></span>', pages='<span class="totalPages"></span>')
    return (f'<div style="font-family:{escape(FONT_STACK)};font-size:7px;color:#666;width:100%;'
            f'text-align:center;">{e(site)} · {e(run_id)} · {page}</div>')


def render(view: dict) -> str:
    v = view
    parts = [f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(L["title"][0])} · {e(v["site_zh"])} · {e(v["account"])}</title>
<style>{CSS}</style></head><body>
<h1>{bi("title")}</h1>
<div class="sub">{e(v["site_zh"])} / {e(v["site_en"])} · {e(v["account"])} · {e(v["started_at"]["utc"] if v["started_at"] else "")}</div>
"""]
    parts.append(render_preparation(v.get("preparation")))  # the checklist and documents: their own section, first
    parts.append(f'<h2>{bi("summary")}</h2><table class="kv">')
    parts.append(row("site", f'{e(v["site_zh"])} / {e(v["site_en"])} <span class="mono">({e(v["site_id"])})</span>'))
    parts.append(row("account", f'<span class="big">{e(v["account"])}</span>'))
    parts.append(row("outcome", f'<span class="big outcome-{e(v["outcome_key"])}">{pair(v["outcome"])}</span>'))
    if v.get("submit_record"):
        sr = v["submit_record"]
        cell = (f'<span class="big">{pair(sr["state"])}</span><div>{pair(sr["plain"])}</div>'
                + (f'<div class="mono">{e(sr["technical"])}</div>' if sr["technical"] else "")
                + (f'<div class="note">{bi("submit_blocked", n=sr["blocked"])}</div>' if sr["blocked"] else ""))
        parts.append(row("submit_record", cell))
    else:
        parts.append(row("submitted", pair(L[v["submitted"]])))
    if v["application_number"]:
        parts.append(row("application_number", f'<span class="big mono">{e(v["application_number"])}</span>'))
    if v["state"]:
        parts.append(row("state", pair(v["state"])))
    if v["submitted_at"]:
        parts.append(row("submitted_at", when(v["submitted_at"])))
    if v["submit_request"] and not v.get("submit_record"):
        sr = v["submit_request"]
        parts.append(row("submit_request", f'<span class="mono">{e(sr.get("method") or "")} {e(sr.get("url"))} '
                                           f'→ HTTP {e(sr.get("status"))}</span>'))
    if v["deadline"]:
        zh, en = L["deadline_note"]
        cal_zh, cal_en = v["deadline_note"] or ("", "")
        parts.append(row("deadline", f'<span class="big">{e(v["deadline"])}</span>'
                                     f'<div class="note">{e(zh.format(days=v["review_days"], calendar=cal_zh))}</div>'
                                     f'<div class="note">{e(en.format(days=v["review_days"], calendar=cal_en))}</div>'))
    if v["error"]:
        kind = pair(ERRORS.get(v["error"]["type"], STOPPED))
        parts.append(row("error", f'{kind}<div class="note">{e(v["error"]["detail"])}</div>'))
    if v["failed_step"]:
        parts.append(row("failed_step", e(v["failed_step"])))
    if v["warnings"]:
        parts.append(row("warnings", "<br>".join(e(w) for w in v["warnings"])))
    parts.append(row("started_at", when(v["started_at"])))
    parts.append(row("finished_at", when(v["finished_at"]) if v["finished_at"] else bi("not_finished")))
    parts.append(row("run", f'<span class="mono">{e(v["run_id"])} · {e(v["flow"])}'
                            f'{" · dry run" if v["dry_run"] else ""} · closure-assistant {e(v["tool_version"])}</span>'))
    parts.append(row("browser", e(v["browser"])))
    parts.append(row("device", e(v["device"])))
    parts.append(row("profile", f'<span class="mono">{e(v["profile_sha256"])}</span>'))
    parts.append(row("folder", f'<span class="mono">{e(v["folder"])}</span>'))
    integrity = v["integrity"]
    integrity_html = bi("tampered", n=integrity["problems"]) if integrity["problems"] else bi(integrity["state"])
    parts.append(row("integrity", f'<span class="{"warn" if integrity["problems"] else ""}">{integrity_html}</span>'))
    parts.append("</table>")
    if not v["complete"]:
        parts.append(f'<div class="box warn">{bi("not_finished")}</div>')

    parts.append(f'<h2>{bi("flagged")}</h2>')
    if not v["flagged"]:
        parts.append(f'<p>{bi("flagged_none")}</p>')
    for f in v["flagged"]:
        parts.append(f'<div class="flag"><span class="chip">{pair(f["label"])}</span>'
                     f'<b>{e(f["title"])}</b><div class="note">{when(f["time"])} · <span class="mono">{e(f["url"])}</span></div>')
        if f.get("shown_in"):
            parts.append(f'<div class="note">{bi("shown_in", file=f["shown_in"])}</div>')
        parts += [f'<div class="flag-text">{e(text)}</div>' for text in f["texts"]]
        parts.append("</div>")

    parts.append(f'<h2>{bi("steps")}</h2>')
    for item in v["timeline"]:
        if item["type"] == "step":
            parts.append(_card(item))
        else:
            detail = f' — {e(item["detail"])}' if item.get("detail") else ""
            parts.append(f'<div class="event"><b>{pair(item["label"])}</b>{detail}'
                         f'<div class="note">{when(item["time"])}'
                         f'{" · <span class=mono>" + e(item["url"]) + "</span>" if item.get("url") else ""}</div></div>')

    parts.append(f'<h2>{bi("verify")}</h2><div class="box"><div>{bi("final_hash")}</div>'
                 f'<div class="big mono">{e(v["final_hash"])}</div></div>'
                 f'<p>{e(L["verify_how"][0])}</p><p class="en">{e(L["verify_how"][1])}</p>'
                 f'<div class="box mono">closure-assistant evidence verify "{e(v["folder"])}"</div>'
                 f'<p class="note">{e(L["verify_report"][0])}</p><p class="note">{e(L["verify_report"][1])}</p>')

    parts.append(f'<h2>{bi("meaning")}</h2><h3>{bi("shows")}</h3><ul>')
    parts += [f'<li>{e(zh)}<br><span class="en">{e(en)}</span></li>' for zh, en in SHOWS]
    parts.append(f'</ul><h3>{bi("not_shows")}</h3><ul>')
    parts += [f'<li>{e(zh)}<br><span class="en">{e(en)}</span></li>' for zh, en in NOT_SHOWS]
    parts.append("</ul></body></html>\n")
    return "".join(parts)


def _card(item: dict) -> str:
    screen = f'<span class="chip">{pair(SCREENS[item["screen"]])}</span>' if item.get("screen") in SCREENS else ""
    status = pair(STATUS.get(item["outcome"], (item["outcome"], item["outcome"])))
    files = " · ".join(f'{e(name)} <span class="mono">{e(digest[:16])}…</span>' for name, digest in item["files"])
    note = f'<div class="note">{e(item["note"])}</div>' if item.get("note") else ""
    if item.get("image"):
        shot = f'<div class="shot"><img alt="{e(item["title"])}" src="{item["image"]}"></div>'
    else:
        shot = f'<div class="shot note">{bi("no_screenshot")}</div>'
    failed = " failed" if item["outcome"] == "failed" else ""
    return (f'<div class="card{failed}"><div class="meta">'
            f'<div class="title">{e(L["step"][0])} {e(item["index"])} · {e(item["title"])}</div>'
            f'<div>{screen}{status}</div>'
            f'<div class="note">{bi("time")}: {when(item["time"])}</div>'
            f'<div class="note">{bi("url")}: <span class="mono">{e(item["url"])}</span></div>{note}'
            f'<div class="note">{bi("files")}: {files}</div></div>{shot}</div>')
