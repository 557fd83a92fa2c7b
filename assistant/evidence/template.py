"""The evidence report's words and layout: one self-contained HTML page, for people first.

What happened comes first, in plain words, then what to do next; then the facts, every screen the
browser was shown (full width: one screenshot per printed page, click to enlarge on screen), the
technical details (the closure request, the site's identity, the capture environment, the trusted
timestamp), how to verify, what the evidence shows and does not show, and the texts that were accepted,
in full, in an appendix.

One language: the reader's (--lang), else the site's (its locale). The other language is added under
headings and labels only where it helps: when the report's language is not the site's, so that the
labels still match the words the site used. Legal text (and the credit-report note) only for the
jurisdiction the profile names: CN cites PIPL Arts. 47 and 50 and the 15-working-day rule.

The page is a list of sections (`SECTIONS`); a block is added at the top by inserting into it (a
renderer takes the view and the words and returns HTML). Nothing here may load anything: screenshots
arrive as data: URIs in the page's own CSS, CSS is inline and a Content-Security-Policy forbids every
other source, so the file opens offline and prints the same.
"""
from __future__ import annotations

from html import escape
from typing import Callable, Optional

from assistant.evidence.preparation import render_preparation

LATIN_FONTS = '"DejaVu Sans", "Liberation Sans", Arial, Helvetica'
CJK_FONTS = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
             '"WenQuanYi Micro Hei"')
# Latin letters and digits from a TrueType font, Chinese from the CJK one: Chromium embeds TrueType as
# compact CID fonts but Noto CJK (CFF) as Type 3 glyph programs, which are slow to print and large.
FONT_STACK = f"{LATIN_FONTS}, {CJK_FONTS}, sans-serif"
MONO_STACK = f'"DejaVu Sans Mono", "Liberation Mono", Consolas, {CJK_FONTS}, monospace'
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
PRINT_WIDTH_MM = 186          # A4 (210 mm) less the 12 mm margins: a screenshot fills it
FIRST_SLICE_MM = 236          # a screenshot taller than a page continues on the next ones, in slices
NEXT_SLICE_MM = 252
ZOOM = 2                      # click to enlarge: twice the screenshot's own size (capped by the window)

L = {
    "title": ("账号注销证据报告", "Account closure evidence report"),
    "what_happened": ("结果", "What happened"),
    "next": ("接下来", "What to do next"),
    "facts": ("要点", "Key facts"),
    "site": ("平台", "Site"),
    "account": ("账号（已遮盖）", "Account (masked)"),
    "outcome": ("结果", "Outcome"),
    "application_number": ("申请编号", "Application number"),
    "state": ("平台显示的状态", "State shown by the site"),
    "submitted_at": ("提交时间", "Submitted at"),
    "submitted": ("是否已提交注销申请", "Closure request submitted"),
    "yes": ("是", "yes"), "no": ("否", "no"),
    "submit_started": ("已开始提交，但运行被中断：请登录平台核实是否收到", "the submit was started but the run was interrupted: check on the site whether it arrived"),
    "deadline": ("平台应完成的期限", "The platform should finish by"),
    "deadline_note_cn": ("按平台受理申请之日（平台所在时区）后 {days} 个工作日计算；{calendar}。"
                         "默认 15 个工作日参照《App违法违规收集使用个人信息行为认定方法》（国信办秘字〔2019〕191号）"
                         "对需人工处理的注销的时限要求；以平台承诺和相关规定原文为准。",
                         "{days} working days after the day the site accepted the request (at the site's time zone); "
                         "{calendar}. The 15-day default follows the time limit for closures "
                         "handled by hand in the 2019 rules on unlawful collection and use of personal information "
                         "by apps (国信办秘字〔2019〕191号); the platform's promise and the rules' own text prevail."),
    "deadline_note": ("按平台受理申请之日（平台所在时区）后 {days} 个工作日计算（站点配置给出的审核期限）；{calendar}。",
                      "{days} working days after the day the site accepted the request (at the site's time zone), "
                      "the review period the site profile gives; {calendar}."),
    "error": ("停止原因", "Why it stopped"),
    "failed_step": ("停止于步骤", "Stopped at step"),
    "warnings": ("注意", "Warnings"),
    "started_at": ("开始时间", "Started"),
    "finished_at": ("结束时间", "Finished"),
    "not_finished": ("运行未正常结束（可能被中断），以下为已记录的部分。", "The run did not finish (it may have been interrupted); below is what it recorded."),
    "flagged": ("您看到和同意的页面", "Screens you were shown and accepted"),
    "flagged_none": ("本次运行没有挽留页、协议、弹窗或对话框被记录。", "No retention screen, agreement, pop-up or dialog was recorded in this run."),
    "full_text_at": ("全文见附录 {ref}", "full text in appendix {ref}"),
    "steps": ("逐步截图", "Every step, as the browser showed it"),
    "steps_how": ("每张截图都是整页截图，按步骤顺序排列；时间先写平台所在地的时间，再写协调世界时（UTC）。点击截图可放大。",
                  "Each screenshot is the whole page, in the order of the steps; times are the site's local time, then UTC. Click a screenshot to enlarge it."),
    "step": ("步骤", "Step"),
    "url": ("网址", "Address"),
    "time": ("时间", "Time"),
    "files": ("文件", "Files"),
    "no_screenshot": ("无截图", "no screenshot"),
    "continued": ("（接上页）", "(continued)"),
    "same_as": ("与第 {first} 步的截图完全相同（同一张图片，SHA-256 {sha}…），不再重复。",
                "Identical to the screenshot of step {first} (the same image, SHA-256 {sha}…): not shown again."),
    "shown_in": ("此页面的截图：{file}（上一步结束时）", "this screen's screenshot: {file} (taken at the end of the step before)"),
    "enlarge": ("点击放大", "click to enlarge"),
    "close_zoom": ("点击关闭", "click to close"),
    "technical": ("技术细节", "Technical details"),
    "submit_record": ("注销申请的去向", "What became of the closure request"),
    "submit_blocked": ("另有 {n} 个发往注销接口的请求不是最终提交步骤发出的，已在发出前拦截。",
                       "{n} other request(s) to the closure endpoint, not made by the final submit step, were stopped before they left."),
    "identity": ("网站身份：浏览器连接的服务器", "The site's identity: the server the browser talked to"),
    "identity_none": ("没有记录到服务器信息（运行在打开网站之前就停止了）。", "No server was recorded (the run stopped before the site was opened)."),
    "server": ("服务器地址", "Server address"),
    "certificate": ("TLS 证书", "TLS certificate"),
    "cert_subject": ("颁发给", "Issued to"),
    "cert_issuer": ("颁发者", "Issued by"),
    "cert_valid": ("有效期", "Valid"),
    "cert_sha256": ("证书 SHA-256 指纹", "Certificate SHA-256 fingerprint"),
    "cert_chain": ("证书链 SHA-256", "Chain SHA-256"),
    "cert_error": ("浏览器报告了证书错误 {error}：这次运行关闭了证书检查（仅用于测试），所以仍然继续。",
                   "The browser reported a certificate error, {error}: certificate checking was off for this run (tests only), so it went on."),
    "plain_http": ("明文 http（无证书）：只用于本机上的练习站点。", "plain http (no certificate): only for a practice site on this computer."),
    "no_fingerprint": ("浏览器没有报告证书本身，没有指纹。", "The browser did not report the certificate itself: no fingerprint."),
    "environment": ("取证环境", "Capture environment"),
    "browser": ("浏览器", "Browser"),
    "headless": ("无界面（headless）", "headless"),
    "headed": ("有窗口", "with a window"),
    "user_agent": ("浏览器标识（User-Agent）", "User agent"),
    "device": ("设备与语言", "Device and locale"),
    "proxy": ("代理设置", "Proxy settings"),
    "proxy_none": ("没有（环境变量中没有代理设置，工具也没有给浏览器设置代理）", "none (no proxy in the environment, and the tool gives the browser none)"),
    "proxy_launch": ("工具没有给浏览器设置代理；Linux 上的 Chromium 会遵循上述环境变量。", "The tool gives the browser no proxy of its own; Chromium on Linux follows the variables above."),
    "cert_checking": ("证书检查", "Certificate checking"),
    "cert_checking_on": ("开启（浏览器拒绝不受信任的证书）", "on (the browser refuses untrusted certificates)"),
    "cert_checking_off": ("关闭：这次运行接受任何证书（仅用于测试）", "OFF: this run accepted any certificate (tests only)"),
    "computer": ("电脑", "Computer"),
    "network": ("访问了哪些网站", "Which sites were reached"),
    "origins_reached": ("收到回应的网站", "Sites that answered"),
    "outside_profile": ("站点配置以外的网站（页面引用的资源）", "Sites outside the profile's (resources the pages used)"),
    "only_profile": ("只访问了站点配置中列出的网站。", "Only the sites the profile lists were reached."),
    "blocked": ("工具拦截的请求（未发出）", "Requests the tool blocked (never sent)"),
    "blocked_none": ("没有", "none"),
    "timestamp": ("可信时间戳", "Trusted timestamp"),
    "ts_verified": ("{authority} 证明证据校验值在 {time} 已经存在。", "{authority} certifies that the evidence fingerprint existed at {time}."),
    "ts_untrusted": ("时间戳由 {authority} 签发（{time}），针对的正是本证据校验值；但其证书不能追溯到生成报告的电脑所信任的根证书，请向该服务核实。",
                     "The timestamp was issued by {authority} ({time}) for this very evidence fingerprint; its certificate does not lead to a root the computer that made this report trusts: check with the authority."),
    "ts_bad": ("时间戳与证据不符：{detail}。请运行 closure-assistant evidence verify。", "The timestamp does not match the evidence: {detail}. Run closure-assistant evidence verify."),
    "ts_clock": ("本机时钟与时间戳服务的时间相差 {offset} 秒（正数表示本机时钟慢）。", "This computer's clock differed from the authority's by {offset} s (positive: this computer was behind)."),
    "ts_none": ("没有可信时间戳：证据中的时间只来自本机时钟。可以用 closure-assistant evidence timestamp 补上（补上的时间戳证明的是补上那一刻）。",
                "No trusted timestamp: the times in the evidence come from this computer's clock only. One can be added with closure-assistant evidence timestamp (it then proves the moment it was added)."),
    "ts_failed": ("没有可信时间戳：运行结束时未能取得（{reasons}）。可以用 closure-assistant evidence timestamp 补上。",
                  "No trusted timestamp: none could be had at the end of the run ({reasons}). One can be added with closure-assistant evidence timestamp."),
    "run": ("运行", "Run"),
    "profile": ("站点配置文件 SHA-256", "Site profile SHA-256"),
    "folder": ("证据文件夹", "Evidence folder"),
    "integrity": ("报告生成时的校验结果", "Integrity when this report was made"),
    "intact": ("完好：所有文件与清单一致", "intact: every file matches the manifest"),
    "partial": ("完好但不完整：运行未正常结束", "intact but partial: the run did not finish"),
    "tampered": ("已被改动：{n} 处问题，请运行下方的校验命令查看", "changed: {n} problems; run the command below to see them"),
    "verify": ("如何校验", "How to verify"),
    "final_hash": ("证据校验值（清单中校验链的最后一环）", "Evidence fingerprint (the last link of the manifest's chain of checksums)"),
    "verify_how": ("在装有 closure-assistant 的电脑上运行下面的命令，结果应为「证据完好」，且显示的证据校验值应与上面这一串以及运行结束时显示、您另行保存（抄下或发给自己）的那一串完全相同。",
                   "On a computer with closure-assistant, run the command below. It should say the evidence is intact, and the evidence fingerprint it shows should equal the one above and the one shown at the end of the run that you kept (wrote down or sent to yourself)."),
    "verify_openssl": ("不用本工具也可以核对时间戳：下面的命令用 OpenSSL 核对 timestamp.tsr 是否证明了这个证据校验值（需要时间戳服务的根证书）。",
                       "The timestamp can be checked without this tool: the command below has OpenSSL check that timestamp.tsr certifies this evidence fingerprint (it needs the authority's root certificate)."),
    "verify_report": ("本报告由证据文件夹生成，不在校验链内；report.html 和 report.pdf 的 SHA-256 记录在 report.sha256 中（可用 sha256sum -c report.sha256 检查），也可随时用 closure-assistant evidence report 重新生成。",
                      "This report is made from the evidence folder and is not part of the chain of checksums; the SHA-256 of report.html and report.pdf are in report.sha256 (check with sha256sum -c report.sha256), and it can be rebuilt at any time with closure-assistant evidence report."),
    "meaning": ("这份证据能说明什么、不能说明什么", "What this evidence shows and what it does not"),
    "shows": ("能说明", "It shows"),
    "not_shows": ("不能说明", "It does not show"),
    "law": ("相关规定（中国大陆）", "The rules that apply (mainland China)"),
    "law_note": ("以下仅供参考，不是法律意见；引用前请阅读规定原文。", "For reference only, not legal advice; read the rules' own text before quoting them."),
    "appendix": ("附录 A：您同意或看到的文字（全文）", "Appendix A: the texts you accepted or were shown, in full"),
    "appendix_how": ("以下是网站显示的原文，逐字保存在证据文件夹的 texts/ 中（密码和验证码已遮盖）。",
                     "Below are the site's own words, kept verbatim in the evidence folder's texts/ (passwords and codes masked)."),
    "appendix_none": ("没有记录到文字。", "No text was recorded."),
    "appendix_steps": ("第 {steps} 步", "step {steps}"),
    "footer": ("第 {page} / {pages} 页", "page {page} of {pages}"),
    "http": ("HTTP {status}（{meaning}）", "HTTP {status} ({meaning})"),
    "sent_at": ("发出", "sent"),
    "answered_at": ("回应", "answered"),
    "no_answer": ("没有回应", "no answer"),
    "checking_off_warning": ("这次运行关闭了证书检查（仅用于测试）：不能用来证明连接的是真正的网站。",
                             "Certificate checking was OFF for this run (tests only): it cannot show that the browser reached the real site."),
}

# The plain story of the run, first thing in the report (keys of STORY, filled by report.build_view).
STORY = {
    "submitted": ("注销申请已于 {time} 发出，平台已受理，账号正在审核中{app}。", "The closure request was sent on {time} and the site accepted it: the account is under review{app}."),
    "submitted_unconfirmed": ("注销申请已于 {time} 发出，但没有看到平台的受理结果：{plain}", "The closure request was sent on {time}, but the site's acceptance was not seen: {plain}"),
    "closed": ("注销申请已于 {time} 发出，平台显示账号已注销。", "The closure request was sent on {time} and the site shows the account closed."),
    "login_refused": ("在已记录的注销申请（{since} 受理）之后，平台拒绝登录，方式与对待已注销账号相同：这被记为账号已注销的证据。",
                      "After the recorded closure (accepted on {since}), the site refused the login the way it answers a closed account: this is recorded as evidence that the account is gone."),
    "already_closed": ("平台显示该账号已经注销，这次没有提交任何内容。", "The site already shows the account closed; nothing was submitted."),
    "already_pending": ("平台上已有您的注销申请（审核中），这次没有重复提交。", "The site already shows your closure request under review; nothing was submitted again."),
    "status_read": ("平台显示的注销状态：{state}。这次没有提交任何内容。", "The site showed the closure's state: {state}. Nothing was submitted."),
    "dry_run_ok": ("这是一次演练：已走到最终提交按钮之前，没有提交任何内容。", "A practice run: every step up to the final button was done, and nothing was submitted."),
    "blocked": ("平台拒绝注销：“{words}”。没有提交任何内容。", "The site refused to close the account: “{words}”. Nothing was submitted."),
    "stopped": ("运行在第 {step} 步停止：{why}。没有提交任何内容。", "The run stopped at step {step}: {why}. Nothing was submitted."),
    "stopped_after_submit": ("注销申请已于 {time} 发出，之后运行停止：{why}。不要重复提交；稍后查询平台上的状态。",
                             "The closure request was sent on {time}, then the run stopped: {why}. Do not submit again; check the site's status later."),
    "partial": ("运行没有正常结束（被中断）。没有提交任何内容。", "The run did not finish (it was interrupted). Nothing was submitted."),
    "partial_submitted": ("运行没有正常结束（被中断），而最终提交已经开始：请登录平台核实是否收到申请，不要重复提交。",
                          "The run did not finish (it was interrupted) after the final submit had started: check on the site whether the request arrived, and do not submit again."),
    "deadline": ("平台应在 {deadline} 前完成注销。", "The platform should finish by {deadline}."),
}
NEXT = {
    "keep": ("保存好这份报告和证据校验值 {hash}（抄下或发给自己）。", "Keep this report and the evidence fingerprint {hash} (write it down or send it to yourself)."),
    "check_later": ("{deadline} 之后运行 closure-assistant status 复查账号是否已注销。", "After {deadline}, run closure-assistant status to check that the account is gone."),
    "follow_up_cn": ("到期仍未完成的，请带上申请编号和本报告向平台书面追问，可援引《个人信息保护法》第四十七条、第五十条（见“相关规定”）；仍无结果可向监管部门投诉。",
                     "If it is not done by then, ask the platform in writing, citing the application number, this report and PIPL Arts. 47 and 50 (see the rules below); failing that, complain to the regulator."),
    "follow_up": ("到期仍未完成的，请带上申请编号和本报告向平台书面追问。", "If it is not done by then, ask the platform in writing, citing the application number and this report."),
    "blocked": ("先处理平台提示的问题（例如结清借款），再重新运行 closure-assistant close。", "Deal with what the site names first (settle the loan, for example), then run closure-assistant close again."),
    "dry_run": ("准备好后，去掉 --dry-run 再运行 closure-assistant close 即可正式提交。", "When you are ready, run closure-assistant close without --dry-run to submit."),
    "status_later": ("不要重复提交：稍后运行 closure-assistant status 查询平台上的状态。", "Do not submit again: run closure-assistant status later to read the site's state."),
    "retry": ("处理上述原因后，可以重新运行 closure-assistant close（已提交的申请不会重复提交）。", "Once the cause above is dealt with, run closure-assistant close again (a request already sent is never sent twice)."),
    "timestamp": ("没有可信时间戳：联网后运行 closure-assistant evidence timestamp 补上。", "No trusted timestamp yet: add one with closure-assistant evidence timestamp when online."),
}

# Why a run stopped, by the error's kind (the manifest keeps its type name; people read these words).
ERRORS = {
    "BlockedBySite": ("平台拒绝注销", "refused by the site"),
    "SiteChanged": ("网站与站点配置不符", "the site did not match its profile"),
    "NeedsUser": ("需要您本人操作", "needs you"),
    "WrongCode": ("验证码未被接受", "the code was not accepted"),
    "CodeExpired": ("验证码已过期", "the code had expired"),
    "CodeLocked": ("验证码错误次数过多，平台暂时锁定", "too many wrong codes: the site locked the code check"),
    "WrongPassword": ("平台提示密码错误", "the site refused the password"),
    "NoDisplay": ("需要可见的浏览器窗口", "needs a visible browser window"),
    "UnsafeAction": ("出于安全原因停止", "stopped for safety"),
    "SiteError": ("网站多次出错", "the site kept failing"),
    "TransientSiteError": ("网站多次出错", "the site kept failing"),
    "SiteUnreachable": ("无法连接到网站", "the site could not be reached"),
    "CredentialMissing": ("缺少登录凭据", "a credential was missing"),
    "SubmitUnconfirmed": ("没有看到平台的回应", "the site's answer was not seen"),
    "SubmitRejected": ("平台拒绝了注销申请", "the site refused the closure request"),
    "SubmitNotTaken": ("申请已发出但平台没有受理", "the request was sent but the site did not take it"),
    "EvidenceUnwritable": ("证据文件夹无法写入", "the evidence folder could not be written"),
    "BrowserCrashed": ("浏览器意外退出", "the browser stopped"),
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
    "precondition": ("注销条件", "closure conditions"),
}

# What each kind of text in the appendix is.
TEXT_KINDS = {
    "agreement_text": ("协议全文", "the agreement, in full"),
    "notice_text": ("须知全文", "the notice, in full"),
    "retention_text": ("挽留页全文", "the retention screen, in full"),
    "result_text": ("结果页全文", "the result page, in full"),
    "precondition_ok": ("注销条件（已满足）", "closure conditions (met)"),
    "precondition": ("注销条件（未满足）", "closure conditions (not met)"),
    "checkbox": ("勾选的声明", "the box that was ticked, in its own words"),
    "dialog": ("网页对话框", "page dialog"),
    "site_message": ("平台提示", "the site's message"),
    "outcome": ("平台的结果提示", "the site's answer"),
    "login_refused": ("平台拒绝登录的提示", "the site's refusal of the login"),
    "status": ("平台显示的状态", "the state the site showed"),
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
    "site_identity": ("连接到服务器", "connected to the server"),
    "finished": ("运行结束", "run finished"),
    "interrupted": ("您中断了运行（Ctrl-C）", "you stopped the run (Ctrl-C)"),
    # a person's own walk (closure-assistant witness)
    "field_filled": ("您填写了一个输入框（内容未记录）", "you filled in a field (what you typed is not recorded)"),
    "person_note": ("您的备注", "your note"),
    "download": ("网站发来的文件（已保存并计算校验值，未打开）", "a file the site sent (kept and hashed, never opened)"),
    "origins": ("本次访问过的网站", "the sites visited"),
    "stopped": ("您在此停下，没有完成", "you stopped here without finishing"),
    "checklist": ("您确认的事项", "what you confirmed"),
}

# What an HTTP status code means, for people.
HTTP = {
    200: ("正常：网站照常作答", "OK: the site answered normally"),
    201: ("已创建：网站记下了请求", "created: the site recorded the request"),
    202: ("已接收：网站收下了请求，稍后处理", "accepted: the site took the request to process later"),
    204: ("正常：网站作答，没有内容", "OK: the site answered with no content"),
    301: ("跳转：网站把浏览器转到了另一个网址（永久）", "redirect: the site sent the browser on to another address (permanently)"),
    302: ("跳转：网站把浏览器转到了另一个页面，提交表单后常见", "redirect: the site sent the browser on to another page, as usual after a form is sent"),
    303: ("跳转：网站把浏览器转到了结果页面", "redirect: the site sent the browser on to a result page"),
    307: ("跳转：网站把请求转到了另一个网址", "redirect: the site sent the request on to another address"),
    308: ("跳转：网站把请求转到了另一个网址（永久）", "redirect: the site sent the request on to another address (permanently)"),
    400: ("请求有误：网站不接受这个请求", "bad request: the site did not accept the request as sent"),
    401: ("未登录：网站要求先登录", "not signed in: the site asked to sign in first"),
    403: ("被拒绝：网站不允许这个操作", "forbidden: the site refused the action"),
    404: ("找不到：网站上没有这个网址", "not found: the site has no such address"),
    409: ("冲突：与网站上已有的记录冲突（例如已有申请在审核中）", "conflict: it clashes with what the site already has (a request under review, for example)"),
    429: ("请求太频繁：网站要求稍后再试", "too many requests: the site asked to try later"),
    500: ("网站内部出错", "the site's server failed"),
    502: ("网关错误：网站的前端服务器没有从后台得到回应", "bad gateway: the site's front server got no answer from behind it"),
    503: ("暂时不可用：网站繁忙或在维护", "unavailable: the site is busy or under maintenance"),
    504: ("网关超时：网站的后台没有及时回应", "gateway timeout: the site's back end did not answer in time"),
}
HTTP_CLASSES = {2: ("成功", "success"), 3: ("跳转", "redirect"), 4: ("请求被拒绝", "the request was refused"),
                5: ("网站出错", "the site failed")}

SHOWS = [
    ("在所列时间，本机浏览器在所列网址看到的页面：每一步的截图和网页 HTML，以及您同意的协议、弹出的对话框等原文。",
     "What this computer's browser was shown at the listed addresses and times: a screenshot and the page's HTML at every step, and the exact text of the agreements you accepted and of every dialog."),
    ("浏览器连接的是哪台服务器：它的 IP 地址，以及 https 网站出示并被浏览器接受的证书。",
     "Which server the browser was talking to: its IP address and, for an https site, the certificate it presented and the browser accepted."),
    ("注销申请已发出：提交请求的网址、平台回应的状态码，以及平台给出的申请编号（如有）。",
     "That the closure request was sent: the request's address, the status code the site answered with, and the application number it gave (if any)."),
    ("自运行结束以来这些文件没有被改动——前提是证据校验值与您当时另行保存的一致，或有可信时间戳为证。",
     "That these files have not changed since the run, provided the evidence fingerprint matches the one you kept at the time, or a trusted timestamp vouches for it."),
]
SHOWS_TIMESTAMP = ("证据在可信时间戳所示的时间（{time}）之前已经存在：由 {authority} 证明。",
                   "That the evidence existed before the time of the trusted timestamp ({time}): certified by {authority}.")
NOT_SHOWS = [
    ("平台已经真正完成注销或删除了您的个人信息：请在期限之后再次登录或向客服查询核实。",
     "That the platform really completed the closure or deleted your personal information: log in again or ask customer service after the deadline."),
    ("截图只说明网站显示了什么，不能说明是谁在操作电脑。", "Who was at the computer: screenshots show what the site displayed."),
    ("本报告不是法律意见。", "This report is not legal advice."),
]
NOT_SHOWS_CLOCK = ("各步骤的时间来自本机时钟，不是第三方可信时间戳。", "The steps' times come from this computer's clock, not a trusted third-party timestamp.")
NOT_SHOWS_CLOCK_STAMPED = ("各步骤的时间来自本机时钟；可信时间戳只证明整份证据在其时间之前已经存在。",
                           "The steps' own times come from this computer's clock; the trusted timestamp shows only that the whole evidence existed before its time.")
# Mainland China only (jurisdiction: CN).
NOT_SHOWS_CN = ("注销账号不会消除征信记录，也不会删除平台依法必须保存的交易记录。",
                "Closing the account does not erase credit-report (征信) records, nor the transaction records the lender must keep by law.")
LAW_CN = [
    ("《中华人民共和国个人信息保护法》第四十七条：个人撤回同意、或者处理目的已实现等情形下，个人信息处理者应当主动删除个人信息；个人信息处理者未删除的，个人有权请求删除。",
     "Personal Information Protection Law (PIPL), Art. 47: the handler must delete personal information when, among others, the person withdraws consent or the purpose has been achieved; if it does not, the person may request deletion."),
    ("《中华人民共和国个人信息保护法》第五十条：个人信息处理者应当建立便捷的个人行使权利的申请受理和处理机制；拒绝个人行使权利的请求的，应当说明理由。",
     "PIPL, Art. 50: the handler must provide a convenient way to apply for and handle the exercise of these rights, and must give reasons when it refuses."),
    ("《App违法违规收集使用个人信息行为认定方法》（国信办秘字〔2019〕191号）：注销需人工处理的，承诺时限不超过 15 个工作日，未承诺时限的以 15 个工作日为限；未按时完成属于违规情形。",
     "Rules on identifying unlawful collection and use of personal information by apps (国信办秘字〔2019〕191号): a closure handled by hand must be completed within the promised time, at most 15 working days, and 15 working days where none was promised; not doing so is a violation."),
]

CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
body { font-family: %(font)s; color: #1f2329; font-size: 10.5pt; line-height: 1.5; margin: 0 auto; max-width: 190mm; padding: 8px; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; border-bottom: 1.5px solid #1f2329; padding-bottom: 1mm; margin: 7mm 0 3mm; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm; break-after: avoid; }
.second { color: #555; font-weight: normal; font-size: 0.85em; margin-left: 1.5mm; }
th .second { display: block; margin-left: 0; }
.sub { color: #555; margin-bottom: 4mm; }
table.kv { border-collapse: collapse; width: 100%%; }
table.kv th, table.kv td { border: 1px solid #c9cdd4; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
table.kv th { width: 34%%; background: #f2f3f5; font-weight: 600; }
.mono { font-family: %(mono)s; font-size: 8.5pt; word-break: break-all; }
.big { font-size: 13pt; font-weight: 700; }
.story { border: 2px solid #1f2329; padding: 3mm 4mm; margin: 3mm 0; font-size: 12pt; break-inside: avoid; }
.story p { margin: 1mm 0; }
.outcome-submitted, .outcome-closed, .outcome-already_closed { color: #0a7a32; }
.outcome-blocked, .outcome-failed, .outcome-needs_user, .outcome-partial { color: #b42318; }
.box { border: 1.5px solid #1f2329; padding: 3mm; margin: 3mm 0; break-inside: avoid; }
.warn { border-color: #b42318; color: #b42318; font-weight: 600; }
.note { font-size: 8.5pt; color: #555; margin-top: 1mm; }
.chip { display: inline-block; border: 1px solid #1f2329; border-radius: 3px; padding: 0 1.5mm; font-size: 8.5pt; margin-right: 1.5mm; }
.flag { border-left: 3px solid #1f2329; padding: 1mm 0 1mm 3mm; margin: 2.5mm 0; break-inside: avoid; }
.excerpt { font-size: 9pt; color: #333; }
.shot { margin: 0 0 3mm; }
.caption { border-bottom: 1px solid #c9cdd4; padding-bottom: 1mm; margin-bottom: 2mm; }
.caption .title { font-weight: 700; }
.failed .caption .title { color: #b42318; }
.same { font-size: 9pt; color: #555; border-left: 3px solid #c9cdd4; padding-left: 2mm; margin: 2mm 0; }
.img { background-size: 100%% auto; background-repeat: no-repeat; }
.thumb { display: block; width: 100%%; border: 1px solid #999; }
.slices, .slice-more { display: none; }
.zoom { display: none; }
.zoom:target { display: block; position: fixed; inset: 0; background: rgba(0,0,0,0.85); overflow: auto; z-index: 10; padding: 4vh 0; }
.zoom .img { margin: 0 auto; border: 1px solid #fff; max-width: 96vw; }
.zoom .hint { color: #fff; text-align: center; font-size: 9pt; }
.event { font-size: 9pt; margin: 1mm 0 1mm 4mm; padding-left: 2mm; border-left: 2px dotted #999; break-inside: avoid; }
.text-full { white-space: pre-wrap; font-size: 9pt; background: #f7f8fa; border: 1px solid #e5e6eb; padding: 2mm; margin-top: 1mm; }
.appendix-item { margin: 3mm 0 5mm; }
.appendix-item h3 { break-after: avoid; }
ul { margin: 1mm 0; padding-left: 6mm; }
li { margin: 1mm 0; }
@media print {
  body { max-width: none; padding: 0; }
  .shot { break-before: page; }
  .thumb-link { display: none; }
  .slices { display: block; }
  .slice { width: 100%%; break-inside: avoid; }
  .slice + .slice { break-before: page; margin-top: 0; }
  .slice-more { display: block; font-size: 8pt; color: #555; }
  .zoom, .zoom:target { display: none; }
  a { color: inherit; text-decoration: none; }
}
""" % {"font": FONT_STACK, "mono": MONO_STACK}


def e(value) -> str:
    return escape("" if value is None else str(value))


class Words:
    """The report's words in its language, with the other language beside them where it helps."""

    def __init__(self, lang: str, second: Optional[str]):
        self.lang, self.second = lang, second
        self.i = 0 if lang == "zh" else 1

    def plain(self, pair: tuple[str, str], **params) -> str:
        return pair[self.i].format(**params) if params else pair[self.i]

    def pair(self, pair: tuple[str, str], **params) -> str:
        """`pair` as HTML: the report's language, then the other one (smaller) when that helps."""
        main = e(self.plain(pair, **params))
        if self.second is None:
            return main
        other = pair[1 - self.i].format(**params) if params else pair[1 - self.i]
        return f'{main}<span class="second">{e(other)}</span>' if other != self.plain(pair, **params) else main

    def w(self, key: str, **params) -> str:
        return self.pair(L[key], **params)

    def t(self, key: str, **params) -> str:
        return e(self.plain(L[key], **params))


def row(words: Words, key: str, value_html: str) -> str:
    return f'<tr><th>{words.w(key)}</th><td>{value_html}</td></tr>'


def when(words: Words, at: Optional[dict]) -> str:
    """'2026-11-29 12:44:49 (UTC+08:00, Asia/Shanghai) · 2026-11-29 04:44:49 UTC'"""
    if not at:
        return "-"
    return f'{e(at["site"])} · {e(at["utc"])}'


def http_words(words: Words, status) -> str:
    if not isinstance(status, int):
        return words.plain(L["no_answer"])
    meaning = HTTP.get(status) or HTTP_CLASSES.get(status // 100) or (str(status), str(status))
    return words.plain(L["http"], status=status, meaning=words.plain(meaning))


def footer_template(site: str, run_id: str, lang: str = "zh") -> str:
    # Chromium's print footer: classes pageNumber/totalPages are filled in per page.
    i = 0 if lang == "zh" else 1
    page = L["footer"][i].format(page='<span class="pageNumber"></span>', pages='<span class="totalPages"></span>')
    return (f'<div style="font-family:{escape(FONT_STACK)};font-size:7px;color:#666;width:100%;'
            f'text-align:center;">{e(site)} · {e(run_id)} · {page}</div>')


# ---------------------------------------------------------------- the sections, in order

def section_header(v: dict, words: Words) -> str:
    started = v["started_at"]
    return (f'<h1>{words.w("title")}</h1><div class="sub">{e(v["site_name"])} · {e(v["account"])}'
            f'{" · " + e(started["site"]) if started else ""}</div>')


def section_story(v: dict, words: Words) -> str:
    parts = [f'<h2>{words.w("what_happened")}</h2><div class="story">']
    parts += [f'<p class="outcome-{e(v["outcome_key"])}">{e(words.plain(STORY[key], **params))}</p>'
              for key, params in v["story"]]
    parts.append("</div>")
    if v["next"]:
        parts.append(f'<h3>{words.w("next")}</h3><ul>')
        parts += [f'<li>{e(words.plain(NEXT[key], **params))}</li>' for key, params in v["next"]]
        parts.append("</ul>")
    if v["environment"].get("certificate_errors_ignored"):
        parts.append(f'<div class="box warn">{words.w("checking_off_warning")}</div>')
    return "".join(parts)


def section_facts(v: dict, words: Words) -> str:
    parts = [f'<h2>{words.w("facts")}</h2><table class="kv">']
    names = (f'{e(v["site_zh"])} / {e(v["site_en"])}' if words.second or words.lang == "zh" and v["site_zh"] != v["site_en"]
             else e(v["site_name"]))
    parts.append(row(words, "site", f'{names} <span class="mono">({e(v["site_id"])})</span>'))
    parts.append(row(words, "account", f'<span class="big">{e(v["account"])}</span>'))
    parts.append(row(words, "outcome", f'<span class="big outcome-{e(v["outcome_key"])}">{words.pair(v["outcome"])}</span>'))
    if v.get("submit_record"):
        sr = v["submit_record"]
        parts.append(row(words, "submit_record", f'<b>{words.pair(sr["state"])}</b><div>{words.pair(sr["plain"])}</div>'))
    else:
        parts.append(row(words, "submitted", words.pair(L[v["submitted"]])))
    if v["application_number"]:
        parts.append(row(words, "application_number", f'<span class="big mono">{e(v["application_number"])}</span>'))
    if v["state"]:
        parts.append(row(words, "state", words.pair(v["state"])))
    if v["submitted_at"]:
        parts.append(row(words, "submitted_at", when(words, v["submitted_at"])))
    if v["deadline"]:
        note_key = "deadline_note_cn" if v["jurisdiction"] == "CN" else "deadline_note"
        zh, en = v["deadline_note"] or ("", "")
        note = words.plain(L[note_key], days=v["review_days"], calendar=zh if words.lang == "zh" else en)
        parts.append(row(words, "deadline", f'<span class="big">{e(v["deadline"])}</span><div class="note">{e(note)}</div>'))
    if v["error"]:
        kind = words.pair(ERRORS.get(v["error"]["type"], STOPPED))
        parts.append(row(words, "error", f'{kind}<div class="note">{e(v["error"]["detail"])}</div>'))
    if v["failed_step"]:
        parts.append(row(words, "failed_step", e(v["failed_step"])))
    if v["warnings"]:
        parts.append(row(words, "warnings", "<br>".join(e(w) for w in v["warnings"])))
    parts.append(row(words, "started_at", when(words, v["started_at"])))
    parts.append(row(words, "finished_at", when(words, v["finished_at"]) if v["finished_at"] else words.w("not_finished")))
    integrity = v["integrity"]
    integrity_html = words.w("tampered", n=integrity["problems"]) if integrity["problems"] else words.w(integrity["state"])
    parts.append(row(words, "integrity", f'<span class="{"warn" if integrity["problems"] else ""}">{integrity_html}</span>'))
    parts.append("</table>")
    if not v["complete"]:
        parts.append(f'<div class="box warn">{words.w("not_finished")}</div>')
    return "".join(parts)


def section_flagged(v: dict, words: Words) -> str:
    parts = [f'<h2>{words.w("flagged")}</h2>']
    if not v["flagged"]:
        parts.append(f'<p>{words.w("flagged_none")}</p>')
    for f in v["flagged"]:
        parts.append(f'<div class="flag"><span class="chip">{words.pair(f["label"])}</span>'
                     f'<b>{e(f["title"])}</b><div class="note">{when(words, f["time"])} · '
                     f'<span class="mono">{e(f["url"])}</span></div>')
        if f.get("shown_in"):
            parts.append(f'<div class="note">{words.w("shown_in", file=f["shown_in"])}</div>')
        if f.get("excerpt"):
            parts.append(f'<div class="excerpt">{e(f["excerpt"])}</div>')
        if f.get("appendix"):
            refs = ", ".join(f'<a href="#{e(ref)}">{e(ref)}</a>' for ref in f["appendix"])
            parts.append(f'<div class="note">{e(words.plain(L["full_text_at"], ref=""))}{refs}</div>')
        parts.append("</div>")
    return "".join(parts)


def section_steps(v: dict, words: Words) -> str:
    parts = [f'<h2>{words.w("steps")}</h2><p class="note">{words.w("steps_how")}</p>']
    for item in v["timeline"]:
        if item["type"] == "step":
            parts.append(_card(item, words))
        else:
            detail = f' — {e(item["detail"])}' if item.get("detail") else ""
            parts.append(f'<div class="event"><b>{words.pair(item["label"])}</b>{detail}'
                         f'<div class="note">{when(words, item["time"])}'
                         f'{" · <span class=mono>" + e(item["url"]) + "</span>" if item.get("url") else ""}</div></div>')
    return "".join(parts)


def _card(item: dict, words: Words) -> str:
    screen = f'<span class="chip">{words.pair(SCREENS[item["screen"]])}</span>' if item.get("screen") in SCREENS else ""
    status = words.pair(STATUS.get(item["outcome"], (item["outcome"], item["outcome"])))
    caption = (f'<div class="caption"><span class="title">{words.t("step")} {e(item["index"])} · {e(item["title"])}</span> '
               f'{screen}<span class="note">{status}</span>'
               f'<div class="note">{words.t("url")}: <span class="mono">{e(item["url"])}</span></div>'
               f'<div class="note">{words.t("time")}: {when(words, item["time"])}</div>'
               + (f'<div class="note">{e(item["note"])}</div>' if item.get("note") else "") + "</div>")
    failed = " failed" if item["outcome"] == "failed" else ""
    if item.get("same_as"):
        return (f'<div class="same{failed}">{caption}{words.w("same_as", first=item["same_as"], sha=item["sha"][:16])}'
                f'</div>')
    image = item.get("image")
    if image is None:
        return f'<div class="shot{failed}">{caption}<div class="note">{words.w("no_screenshot")}</div></div>'
    css, width, height, slices = image["class"], image["width"], image["height"], image["slices"]
    anchor = f'z-{css}'
    label = e(f'{words.plain(L["step"])} {item["index"]} · {item["title"]}')
    screen_view = (f'<a class="thumb-link" href="#{anchor}" title="{words.t("enlarge")}">'
                   f'<span class="thumb img {css}" role="img" aria-label="{label}" '
                   f'style="aspect-ratio:{width}/{height};max-width:{width}px"></span></a>'
                   f'<a class="zoom" id="{anchor}" href="#s-{css}"><div class="hint">{words.t("close_zoom")}</div>'
                   f'<div class="img {css}" style="width:{width * ZOOM}px;aspect-ratio:{width}/{height}"></div></a>')
    pieces = []
    for k, (top, tall) in enumerate(slices):
        more = f'<div class="slice-more">{words.t("step")} {e(item["index"])} {words.t("continued")}</div>' if k else ""
        pieces.append(f'<div class="slice img {css}" style="height:{tall:.2f}mm;background-position:0 -{top:.2f}mm">'
                      f'{more}</div>')
    return (f'<div class="shot{failed}" id="s-{css}">{caption}{screen_view}'
            f'<div class="slices">{"".join(pieces)}</div></div>')


def section_technical(v: dict, words: Words) -> str:
    parts = [f'<h2>{words.w("technical")}</h2>']
    sr = v.get("submit_record")
    if sr:
        parts.append(f'<h3>{words.w("submit_record")}</h3><div class="box"><b>{words.pair(sr["state"])}</b>'
                     f'<div>{words.pair(sr["plain"])}</div>')
        if sr["technical"]:
            parts.append(f'<div class="mono">{e(sr["technical"])}</div>')
        if sr.get("status") is not None or sr["technical"]:
            parts.append(f'<div class="note">{e(http_words(words, sr.get("status")))}</div>')
        if sr["blocked"]:
            parts.append(f'<div class="note">{words.w("submit_blocked", n=sr["blocked"])}</div>')
        parts.append("</div>")
    parts.append(f'<h3>{words.w("identity")}</h3>')
    if not v["identities"]:
        parts.append(f'<p class="note">{words.w("identity_none")}</p>')
    for site in v["identities"]:
        parts.append(f'<table class="kv"><tr><th>{e(site.get("origin"))}</th><td>'
                     f'{words.t("server")}: <span class="mono">{e(site.get("server_ip"))}:{e(site.get("server_port"))}</span>'
                     f' · {e(http_words(words, site.get("status")))}</td></tr>')
        tls = site.get("tls")
        if not tls:
            parts.append(f'<tr><th>{words.w("certificate")}</th><td>{words.w("plain_http")}</td></tr>')
        else:
            parts.append(f'<tr><th>{words.w("cert_subject")}</th><td class="mono">{e(tls.get("subject") or tls.get("subject_name"))}'
                         f'{" · " + e(", ".join(tls["names"])) if tls.get("names") else ""}</td></tr>')
            parts.append(f'<tr><th>{words.w("cert_issuer")}</th><td class="mono">{e(tls.get("issuer") or tls.get("issuer_name"))}</td></tr>')
            parts.append(f'<tr><th>{words.w("cert_valid")}</th><td class="mono">{e(tls.get("not_before") or tls.get("valid_from"))} – '
                         f'{e(tls.get("not_after") or tls.get("valid_to"))} · {e(tls.get("protocol"))}</td></tr>')
            if tls.get("sha256"):
                parts.append(f'<tr><th>{words.w("cert_sha256")}</th><td class="mono">{e(tls["sha256"])}</td></tr>')
                if len(tls.get("chain_sha256") or []) > 1:
                    parts.append(f'<tr><th>{words.w("cert_chain")}</th><td class="mono">'
                                 f'{"<br>".join(e(h) for h in tls["chain_sha256"][1:])}</td></tr>')
            else:
                parts.append(f'<tr><th>{words.w("cert_sha256")}</th><td>{words.w("no_fingerprint")}</td></tr>')
            if tls.get("certificate_error"):
                parts.append(f'<tr><th></th><td class="warn">{words.w("cert_error", error=tls["certificate_error"])}</td></tr>')
        parts.append("</table>")
    env = v["environment"]
    parts.append(f'<h3>{words.w("environment")}</h3><table class="kv">')
    browser = env.get("browser") or {}
    mode = words.t("headless") if browser.get("headless", True) else words.t("headed")
    parts.append(row(words, "browser", f'{e(v["browser"])} · {mode}'))
    if browser.get("user_agent"):
        parts.append(row(words, "user_agent", f'<span class="mono">{e(browser["user_agent"])}</span>'))
    parts.append(row(words, "device", e(v["device"])))
    proxy = (env.get("proxy") or {}).get("environment") or {}
    proxy_html = "<br>".join(f'<span class="mono">{e(k)}={e(val)}</span>' for k, val in proxy.items()) \
        if proxy else words.t("proxy_none")
    if proxy:
        proxy_html += f'<div class="note">{words.t("proxy_launch")}</div>'
    if env:
        parts.append(row(words, "proxy", proxy_html))
        off = env.get("certificate_errors_ignored")
        parts.append(row(words, "cert_checking", f'<span class="{"warn" if off else ""}">'
                                                 f'{words.w("cert_checking_off" if off else "cert_checking_on")}</span>'))
        computer = env.get("computer") or {}
        parts.append(row(words, "computer", e(" · ".join(str(x) for x in (computer.get("os"), computer.get("machine"),
                                                                           "UTC" + str(computer.get("utc_offset") or ""))
                                                         if x))))
    parts.append("</table>")
    network = v["network"]
    if network:
        parts.append(f'<h3>{words.w("network")}</h3><table class="kv">')
        parts.append(row(words, "origins_reached", "<br>".join(f'<span class="mono">{e(o)}</span>'
                                                               for o in network.get("origins_reached") or []) or "-"))
        if network.get("outside_profile"):
            parts.append(row(words, "outside_profile", "<br>".join(f'<span class="mono">{e(o)}</span>'
                                                                   for o in network["outside_profile"])))
        blocked = network.get("blocked_requests") or []
        parts.append(row(words, "blocked", "<br>".join(
            f'<span class="mono">{e(b.get("method"))} {e(b.get("url"))} ×{e(b.get("count"))}</span>'
            for b in blocked) or words.t("blocked_none")))
        parts.append("</table>")
        if network.get("only_profile_origins"):
            parts.append(f'<p class="note">{words.w("only_profile")}</p>')
    parts.append(f'<h3>{words.w("timestamp")}</h3>{_timestamp(v, words)}')
    parts.append(f'<h3>{words.w("run")}</h3><table class="kv">')
    parts.append(row(words, "run", f'<span class="mono">{e(v["run_id"])} · {e(v["flow"])}'
                                   f'{" · dry run" if v["dry_run"] else ""} · closure-assistant {e(v["tool_version"])}</span>'))
    parts.append(row(words, "profile", f'<span class="mono">{e(v["profile_sha256"])}</span>'))
    parts.append(row(words, "folder", f'<span class="mono">{e(v["folder"])}</span>'))
    parts.append("</table>")
    return "".join(parts)


def _timestamp(v: dict, words: Words) -> str:
    ts = v["timestamp"]
    if ts["state"] in ("verified", "untrusted"):
        key = "ts_verified" if ts["state"] == "verified" else "ts_untrusted"
        html = f'<div class="box">{words.w(key, authority=ts["authority"], time=ts["time"])}'
        if ts.get("url"):
            html += f'<div class="note mono">{e(ts["url"])}</div>'
        if ts.get("clock_offset_s") is not None:
            offset = f"{ts['clock_offset_s']:+.1f}"
            html += f'<div class="note">{words.w("ts_clock", offset=offset)}</div>'
        return html + "</div>"
    if ts["state"] == "none":
        return f'<p>{words.w("ts_none")}</p>'
    if ts["state"] == "failed":
        return f'<p>{words.w("ts_failed", reasons=ts["reasons"])}</p>'
    return f'<div class="box warn">{words.w("ts_bad", detail=ts["state"])}</div>'


def section_verify(v: dict, words: Words) -> str:
    parts = [f'<h2>{words.w("verify")}</h2><div class="box"><div>{words.w("final_hash")}</div>'
             f'<div class="big mono">{e(v["final_hash"])}</div></div>'
             f'<p>{words.w("verify_how")}</p>'
             f'<div class="box mono">closure-assistant evidence verify "{e(v["folder"])}"</div>']
    if v["timestamp"]["state"] in ("verified", "untrusted"):
        parts.append(f'<p>{words.w("verify_openssl")}</p><div class="box mono">openssl ts -verify -digest '
                     f'{e(v["final_hash"])} -in timestamp.tsr -CAfile AUTHORITY-ROOT.pem</div>')
    parts.append(f'<p class="note">{words.w("verify_report")}</p>')
    return "".join(parts)


def section_meaning(v: dict, words: Words) -> str:
    shows = list(SHOWS)
    ts = v["timestamp"]
    if ts["state"] == "verified":
        shows.append(tuple(s.format(time=ts["time"], authority=ts["authority"]) for s in SHOWS_TIMESTAMP))
    not_shows = [NOT_SHOWS[0], NOT_SHOWS_CLOCK_STAMPED if ts["state"] == "verified" else NOT_SHOWS_CLOCK]
    if v["jurisdiction"] == "CN":
        not_shows.append(NOT_SHOWS_CN)
    not_shows += NOT_SHOWS[1:]
    parts = [f'<h2>{words.w("meaning")}</h2><h3>{words.w("shows")}</h3><ul>']
    parts += [f'<li>{words.pair(item)}</li>' for item in shows]
    parts.append(f'</ul><h3>{words.w("not_shows")}</h3><ul>')
    parts += [f'<li>{words.pair(item)}</li>' for item in not_shows]
    parts.append("</ul>")
    return "".join(parts)


def section_law(v: dict, words: Words) -> str:
    if v["jurisdiction"] != "CN":
        return ""
    parts = [f'<h2>{words.w("law")}</h2><p class="note">{words.w("law_note")}</p><ul>']
    parts += [f'<li>{words.pair(item)}</li>' for item in LAW_CN]
    parts.append("</ul>")
    return "".join(parts)


def section_appendix(v: dict, words: Words) -> str:
    parts = [f'<h2 id="appendix">{words.w("appendix")}</h2><p class="note">{words.w("appendix_how")}</p>']
    if not v["appendix"]:
        parts.append(f'<p>{words.w("appendix_none")}</p>')
    for item in v["appendix"]:
        steps = ", ".join(str(s) for s in item["steps"] if s is not None)
        where = f' · {e(words.plain(L["appendix_steps"], steps=steps))}' if steps else ""
        parts.append(f'<div class="appendix-item" id="{e(item["ref"])}"><h3>{e(item["ref"])} · '
                     f'{words.pair(item["kind"])}{" · " + e(item["title"]) if item["title"] else ""}</h3>'
                     f'<div class="note">{when(words, item["time"])}{where} · <span class="mono">{e(item["url"])}</span>'
                     f' · <span class="mono">{e(item["file"])}</span></div>'
                     f'<div class="text-full">{e(item["text"])}</div></div>')
    return "".join(parts)


# (name, renderer): the report's sections in order. A block goes on top with SECTIONS.insert(1, ...).
SECTIONS: list[tuple[str, Callable[[dict, Words], str]]] = [
    ("header", section_header),
    ("preparation", lambda v, _words: render_preparation(v.get("preparation"))),  # checklist and documents, first
    ("story", section_story),
    ("facts", section_facts),
    ("flagged", section_flagged),
    ("steps", section_steps),
    ("technical", section_technical),
    ("verify", section_verify),
    ("meaning", section_meaning),
    ("law", section_law),
    ("appendix", section_appendix),
]


def render(view: dict) -> str:
    v = view
    words = Words(v["lang"], v["second"])
    head = (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if v["lang"] == "zh" else "en"}"><head><meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{words.t("title")} · {e(v["site_name"])} · {e(v["account"])}</title>\n'
            f'<style>{CSS}</style><style>{v["images_css"]}</style></head><body>\n')
    return head + "".join(render_section(v, words) for _name, render_section in SECTIONS) + "</body></html>\n"
