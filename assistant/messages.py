"""Every sentence the tool says to a person, in Chinese and English. Chosen by --lang or the locale."""
from __future__ import annotations

import locale
import os
import re

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
    "step.open": {"zh": "打开网站", "en": "open"},
    "note.dry_run": {"zh": "演练：不可撤销的最终提交没有执行", "en": "dry run: the irreversible submit was not made"},
    "note.condition_not_visible": {"zh": "条件未出现", "en": "condition not visible"},
    "note.code_entered": {"zh": "已填入验证码（已遮盖）", "en": "code entered (masked)"},
    "dialog.accept": {"zh": "已确认", "en": "accepted"},
    "dialog.dismiss": {"zh": "已取消", "en": "dismissed"},
    "prompt.password": {"zh": "请输入 {site} 的{label}（输入时不显示）：", "en": "{label} for {site} (hidden): "},
    "prompt.code": {"zh": "{site} 已将验证码发送至 {destination}，请输入验证码：",
                    "en": "{site} sent a code to {destination}. Enter the code: "},
    "prompt.code_retry": {"zh": "验证码未被接受，请重新输入（第 {attempt} 次）：",
                          "en": "The code was not accepted. Enter it again (attempt {attempt}): "},
    "prompt.confirm": {"zh": "即将在 {site} 提交注销申请（账号 {account}），此操作不可撤销。确认请输入 yes：",
                       "en": "About to submit the closure request on {site} for {account}. This cannot be undone. Type yes to confirm: "},
    "prompt.manual": {"zh": "请在打开的浏览器窗口中完成：{text}（完成后工具会自动继续）",
                      "en": "Please do this in the browser window: {text} (the tool continues by itself)"},
    "demo.unknown_site": {"zh": "没有名为“{site}”的演示站点；可选：{sites}", "en": "unknown demo site '{site}'; choose one of: {sites}"},
    "demo.portal_state": {"zh": "演示平台上的记录：状态 {status}，注销申请 {submissions} 次", "en": "portal: status={status} submissions={submissions}"},
    "demo.sms": {"zh": "（演示站点：模拟短信收件箱在 {path}）", "en": "(demo site: the simulated SMS inbox is {path})"},
    # results
    "result.submitted": {"zh": "注销申请已提交，平台审核中。申请编号：{app}", "en": "Closure request submitted; the platform is reviewing it. Application number: {app}"},
    "result.closed": {"zh": "账号已注销。", "en": "The account is closed."},
    "result.already_closed": {"zh": "该账号在平台上已经是注销状态，未重复提交。", "en": "The site says this account is already closed; nothing was submitted."},
    "result.dry_run_ok": {"zh": "演练完成：已走到最终提交前一步，未提交任何内容。", "en": "Dry run finished: reached the final submit and did not press it."},
    "result.status_read": {"zh": "平台显示的状态：{state}", "en": "State shown by the site: {state}"},
    "result.deadline": {"zh": "平台应在 {deadline} 前完成（{days} 个工作日，未计节假日）。", "en": "The platform should finish by {deadline} ({days} working days, holidays not counted)."},
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
    "error.credential_missing.no_terminal": {"zh": "需要 {site} 账号 {account} 的{label}，但系统密码库中没有保存，也没有终端可以询问；已停止，什么都没有做。请先用 closure-assistant credentials set {id} 账号 保存，或在终端中运行，或用 --password-stdin 传入。",
                                             "en": "The {label} for {account} on {site} is needed, none is saved in the keyring, and there is no terminal to ask; stopped before doing anything. Save it first with closure-assistant credentials set {id} ACCOUNT, run this in a terminal, or pass it with --password-stdin."},
    "cred.stored_may_be_wrong": {"zh": "这次用的是系统密码库里保存的密码；如果密码已经改过，请重新保存：closure-assistant credentials set {site} {account}",
                                 "en": "The password came from the keyring; if it has changed, save the new one: closure-assistant credentials set {site} {account}"},
    "error.unsafe": {"zh": "出于安全原因已拒绝：{detail}", "en": "Refused for safety: {detail}"},
    "error.site_error": {"zh": "网站多次出错，已停止（未提交）：{detail}。请稍后重试。", "en": "The site kept failing; stopped without submitting: {detail}. Try again later."},
    "error.unreachable": {"zh": "无法连接到网站 {url}（{detail}），已停止（未提交）。请检查网络连接，或稍后再试。这通常是网络或网站本身的问题（网络不通、网站暂时关闭），与页面是否改版无关。",
                          "en": "Cannot reach the site at {url} ({detail}); stopped without submitting. Check your network connection, or try again later. This is usually the network or the site itself (no connection, the site is down), not a change to its pages."},
    "display.none": {"zh": "没有设置 DISPLAY 或 WAYLAND_DISPLAY", "en": "no DISPLAY or WAYLAND_DISPLAY"},
    "browser.none_found": {"zh": "本机和 Playwright 里都没有", "en": "none on this computer or in Playwright"},
    "error.no_display": {"zh": "要显示浏览器窗口，需要在有桌面的会话中运行（本机没有可用的显示器：{detail}）。请在自己电脑的桌面上运行；在没有桌面的服务器上可以用 xvfb-run closure-assistant … 提供虚拟显示，但那样您看不到窗口。",
                         "en": "A visible browser window needs a desktop session, and this one has no display ({detail}). Run it on your own computer's desktop; on a server without one, xvfb-run closure-assistant … gives it a virtual display (which you cannot see)."},
    "error.needs_user.manual": {"zh": "有一步需要您本人在可见的浏览器窗口中完成（如滑块、人脸识别），已停止（未提交）。请在有桌面的电脑上加 --headed 重新运行。",
                                "en": "A step needs you in a visible browser window (a slider, a face check); stopped without submitting. Run again with --headed on a computer with a desktop."},
    "error.needs_user.no_code": {"zh": "没有收到验证码，已停止（未提交）。收到短信后重新运行即可。",
                                 "en": "No verification code was given; stopped without submitting. Run again once you have the message."},
    "error.needs_user.declined": {"zh": "您没有确认最终提交，已停止（未提交任何内容）。", "en": "You did not confirm the final submit; nothing was submitted."},
    "error.needs_user.code_command": {"zh": "获取验证码的命令（--code-command）运行失败（{detail}），已停止（未提交）。",
                                      "en": "The command that gets the code (--code-command) failed ({detail}); stopped without submitting."},
    "error.needs_user.login_failed": {"zh": "登录没有成功，已停止（未提交）。网站提示：{detail}",
                                      "en": "The login did not succeed; stopped without submitting. The site says: {detail}"},
    "error.browser_missing": {"zh": "找不到 Chromium 浏览器（{detail}）。请安装：运行 closure-assistant doctor --fix；或 Debian/Ubuntu 用 sudo apt-get install chromium，Windows 和 macOS 用 playwright install chromium；或用 --browser-path 指定浏览器程序。",
                              "en": "No Chromium browser found ({detail}). Install one: run closure-assistant doctor --fix; or sudo apt-get install chromium (Debian/Ubuntu), playwright install chromium (Windows, macOS); or name a browser with --browser-path."},
    # what a run says about a step (error details, retry reasons): raised below the CLI as `say(...)`
    "unsafe.outside": {"zh": "{what}：{problem}", "en": "{what}: {problem}"},
    "unsafe.navigation": {"zh": "已阻止打开 {url}：它不在站点配置声明的地址范围（origins）内",
                          "en": "navigation to {url} was stopped: it is outside the profile's origins"},
    "unsafe.opaque_frame": {"zh": "{what}：输入框位于没有来源的框架中（data: 或沙盒框架），拒绝输入",
                            "en": "{what}: the field is in a frame without an origin (data: or sandboxed)"},
    "unsafe.double_submit": {"zh": "这次运行已经提交过注销申请", "en": "the closure was already submitted in this run"},
    "site.http_status": {"zh": "{url} 返回了 HTTP {status}", "en": "{url} answered HTTP {status}"},
    "site.errors_while_loading": {"zh": "页面加载时网站返回了错误", "en": "the site answered with errors while the page was loading"},
    "retry.server_errors": {"zh": "网站出错（{errors}），重新载入页面", "en": "server errors ({errors}); reloading the page"},
    "retry.overlay_reset": {"zh": "这一步中关闭了一个弹窗，页面随之变了，重新载入页面",
                            "en": "a pop-up was closed during this step and the page changed under it; reloading the page"},
    "retry.sign_in_again": {"zh": "网站把我们送回了登录页（{detail}），重新登录", "en": "the site sent us back to the sign-in page ({detail}); signing in again"},
    "retry.logged_out": {"zh": "网站已退出登录（{detail}），重新登录", "en": "the site logged us out ({detail}); logging in again"},
    "changed.closed_after_relogin": {"zh": "重新登录后网站显示该账号已注销", "en": "after logging in again the site says the account is closed"},
    "changed.timeout": {"zh": "{step}：操作没有在限时内完成（{detail}）", "en": "{step}: {detail}"},
    "changed.field_gone": {"zh": "{what}：还没输入，输入框就不见了", "en": "{what}: the field went away before anything was typed"},
    "changed.no_option": {"zh": "{step}：下拉框里没有这些选项：{options}", "en": "{step}: none of the options {options} exist"},
    "changed.capture": {"zh": "{step}：页面文字中找不到 {name}", "en": "{step}: '{name}' not found in the text"},
    "changed.ambiguous": {"zh": "有 {n} 个元素都符合 [{locator}]，配置需要写明是哪一个",
                          "en": "{n} elements match [{locator}]; the profile must say which one"},
    "changed.not_found": {"zh": "{ms} 毫秒内没有找到：{locator}", "en": "not found within {ms} ms: {locator}"},
    "changed.none_appeared": {"zh": "{ms} 毫秒内以下内容都没有出现：{wanted}", "en": "none of these appeared within {ms} ms: {wanted}"},
    "origin.malformed": {"zh": "{url} 不是格式正确的网址", "en": "{url} is not a well-formed address"},
    "origin.forbidden_scheme": {"zh": "{scheme}: 开头的网址一律不允许", "en": "{scheme}: URLs are never allowed"},
    "origin.scheme": {"zh": "不允许网址协议 {scheme}", "en": "scheme {scheme} is not allowed"},
    "origin.plain_http": {"zh": "普通 http 只允许用于本机地址（127.0.0.1、localhost、[::1]），{origin} 不行",
                          "en": "plain http is allowed only on the loopback host (127.0.0.1, localhost, [::1]), not {origin}"},
    "origin.userinfo": {"zh": "网址里不能带用户名或密码", "en": "URLs with a user name or password are not allowed"},
    "origin.not_declared": {"zh": "{origin} 不在站点配置声明的地址（{origins}）之中", "en": "{origin} is not one of the profile's origins ({origins})"},
    # Ctrl-C: the user's stop, at any point
    "interrupt.nothing_submitted": {"zh": "已按您的要求停止（Ctrl-C），这次没有提交注销申请。重新运行同一条命令即可从头再来。",
                                    "en": "Stopped as you asked (Ctrl-C); no closure request was submitted this time. Run the same command again to start over."},
    "interrupt.after_submit": {"zh": "已按您的要求停止（Ctrl-C）。停止时注销申请可能已经发出：再次运行 close 会先查询平台上的进度，绝不会重复提交。",
                               "en": "Stopped as you asked (Ctrl-C). The closure request may already have been sent: running close again first reads the site's progress and never submits twice."},
    "interrupt.evidence": {"zh": "到此为止的证据保留在：{path}（不完整；evidence verify 会显示“完好但不完整”）",
                           "en": "The evidence so far is kept in: {path} (partial; evidence verify calls it intact but partial)"},
    "error.keyring": {"zh": "无法使用系统密码库：{detail}。在无桌面的 Linux 上请安装并解锁 gnome-keyring 或 KeePassXC（Secret Service），或设置 PYTHON_KEYRING_BACKEND。",
                      "en": "The system keyring is not usable: {detail}. On headless Linux install and unlock gnome-keyring or KeePassXC (Secret Service), or set PYTHON_KEYRING_BACKEND."},
    # the command line itself: argparse's own words (their English is argparse's), the exit statuses
    "argparse.usage": {"zh": "用法：", "en": "usage: "},
    "argparse.positionals": {"zh": "位置参数", "en": "positional arguments"},
    "argparse.options": {"zh": "选项", "en": "options"},
    "argparse.help": {"zh": "显示本帮助并退出", "en": "show this help message and exit"},
    "argparse.version": {"zh": "显示版本号并退出", "en": "show program's version number and exit"},
    "argparse.error": {"zh": "%(prog)s：命令用法有误：%(message)s\n（用 --help 查看用法）\n", "en": "%(prog)s: error: %(message)s\n"},
    "argparse.argument": {"zh": "参数 %(argument_name)s：%(message)s", "en": "argument %(argument_name)s: %(message)s"},
    "argparse.unrecognized": {"zh": "无法识别的参数：%s", "en": "unrecognized arguments: %s"},
    "argparse.required": {"zh": "缺少必需的参数：%s", "en": "the following arguments are required: %s"},
    "argparse.one_of": {"zh": "必须给出以下参数之一：%s", "en": "one of the arguments %s is required"},
    "argparse.expected_one": {"zh": "需要一个值", "en": "expected one argument"},
    "argparse.expected_at_most_one": {"zh": "最多只能有一个值", "en": "expected at most one argument"},
    "argparse.expected_at_least_one": {"zh": "至少需要一个值", "en": "expected at least one argument"},
    "argparse.expected_n": {"zh": "需要 %s 个值", "en": "expected %s arguments"},
    "argparse.ambiguous": {"zh": "选项 %(option)s 不明确，可能是：%(matches)s", "en": "ambiguous option: %(option)s could match %(matches)s"},
    "argparse.unexpected": {"zh": "意外的选项：%s", "en": "unexpected option string: %s"},
    "argparse.invalid_value": {"zh": "无效的值（需要 %(type)s）：%(value)r", "en": "invalid %(type)s value: %(value)r"},
    "argparse.invalid_choice": {"zh": "无效的选择：%(value)r（可选：%(choices)s）", "en": "invalid choice: %(value)r (choose from %(choices)s)"},
    "argparse.not_allowed_with": {"zh": "不能与参数 %s 同时使用", "en": "not allowed with argument %s"},
    "argparse.ignored_value": {"zh": "多余的值 %r", "en": "ignored explicit argument %r"},
    "argparse.cannot_open": {"zh": "无法打开 '%(filename)s'：%(error)s", "en": "can't open '%(filename)s': %(error)s"},
    "help.exit_statuses": {"zh": """退出状态：
  0   已注销、已提交注销申请、演练完成或已查询状态
  1   意外错误（工具的缺陷：请带上 --debug 的输出报告）
  2   命令用法有误
  3   平台拒绝注销（如有未结清的借款）：未提交任何内容
  4   需要您本人操作（没有验证码、需要在浏览器中操作、没有确认）
  5   站点配置文件有误（会指出出错的文件、行和列）
  6   网站与配置不符（找不到元素、页面不对）
  7   缺少登录凭据（系统密码库中没有密码，也没有终端可以询问）
  8   出于安全原因拒绝（地址不在配置声明的范围内、重复提交）
  9   网站多次出错或无法连接（服务器错误、超时、网络不通）
  10-14 evidence verify：被修改、缺失、多出、顺序被调换、完好但不完整
  15  本机缺少运行所需的东西（如没有浏览器）
  130 您按了 Ctrl-C 停止
""", "en": """exit statuses:
  0   closed, closure submitted, dry run finished, or status read
  1   unexpected error (a bug: please report it with --debug)
  2   bad command line
  3   blocked by the site (e.g. unpaid loan): nothing was submitted
  4   needs you (no code given, manual check, confirmation declined)
  5   bad site profile (file:line:column shown)
  6   the site did not match the profile (element missing, unexpected page)
  7   credential missing (no password in the keyring and no terminal to ask)
  8   refused for safety (origin not declared in the profile, second submission)
  9   the site kept failing or cannot be reached (server errors, timeouts, no connection)
  10-14 evidence verify: altered, missing, added, reordered, partial
  15  this computer lacks what a run needs (e.g. no browser)
  130 you stopped it with Ctrl-C
"""},
    # profile problems (the loader's sentences; each is shown after file:line:column)
    "profile.tag": {"zh": "不允许使用标签 {tag}：站点配置只能包含普通数据", "en": "the tag {tag} is not allowed: profiles hold plain data only"},
    "profile.key_not_text": {"zh": "键必须是普通文字", "en": "a key must be plain text"},
    "profile.duplicate_key": {"zh": "同一层里键“{key}”出现了两次", "en": "the key '{key}' appears twice in the same block"},
    "profile.unreadable_value": {"zh": "值 {value} 无法按 {tag} 读取", "en": "the value {value} cannot be read as {tag}"},
    "profile.anchor": {"zh": "站点配置中不允许使用 YAML 锚点和别名（& 和 *）", "en": "YAML anchors and aliases (& and *) are not allowed in profiles"},
    "profile.too_deep": {"zh": "YAML 嵌套超过了 {levels} 层", "en": "the YAML is nested more than {levels} levels deep"},
    "profile.too_deep_recursion": {"zh": "YAML 嵌套太深", "en": "the YAML is nested too deeply"},
    "profile.bad_yaml": {"zh": "这不是有效的 YAML（YAML 解析器的说明：{detail}）", "en": "this is not valid YAML: {detail}"},
    "profile.bad_character": {"zh": "这不是有效的 YAML：站点配置中不允许出现字符 {code}", "en": "this is not valid YAML: the character {code} is not allowed in a profile"},
    "profile.empty_file": {"zh": "文件是空的", "en": "the file is empty"},
    "profile.type.object": {"zh": "映射（如 name: 值）", "en": "a mapping (key: value)"},
    "profile.type.mapping": {"zh": "映射", "en": "a mapping"},
    "profile.type.array": {"zh": "列表", "en": "a list"},
    "profile.type.string": {"zh": "文字", "en": "text"},
    "profile.type.integer": {"zh": "整数", "en": "a whole number"},
    "profile.type.number": {"zh": "数字", "en": "a number"},
    "profile.type.boolean": {"zh": "true 或 false", "en": "true or false"},
    "profile.type.true_false": {"zh": "true/false", "en": "true/false"},
    "profile.type.null": {"zh": "空值", "en": "empty"},
    "profile.type.this": {"zh": "现在这样", "en": "this"},
    "profile.either": {"zh": "{first}或{second}", "en": "{first} or {second}"},
    "profile.did_you_mean": {"zh": "；是不是想写“{hint}”？", "en": "; did you mean '{hint}'?"},
    "profile.did_you_mean_paren": {"zh": "（是不是想写“{hint}”？）", "en": " (did you mean '{hint}'?)"},
    "profile.required": {"zh": "缺少必填字段“{field}”", "en": "missing required field '{field}'"},
    "profile.unknown_step": {"zh": "未知的步骤或键“{key}”{guess}（步骤动作有：{actions}；常用键：{common}）",
                             "en": "unknown step or key '{key}'{guess} (actions: {actions}; common keys: {common})"},
    "profile.unknown_field_guess": {"zh": "未知字段“{field}”{guess}", "en": "unknown field '{field}'{guess}"},
    "profile.unknown_field": {"zh": "未知字段“{field}”（可用：{allowed}）", "en": "unknown field '{field}' (allowed: {allowed})"},
    "profile.locator_form": {"zh": "定位写法是一个映射，如 {{text: 注销账号}} 或 {{role: button, name: 下一步}}，或由这样的映射组成、按顺序尝试的列表",
                             "en": "a locator is a mapping such as {{text: 注销账号}} or {{role: button, name: 下一步}}, or a list of such mappings tried in order"},
    "profile.wrong_type": {"zh": "应该是{expected}，而不是{actual}", "en": "should be {expected}, not {actual}"},
    "profile.irreversible_true": {"zh": "irreversible 必须是 true：它标明这是唯一不可撤销的一步", "en": "irreversible must be true: it marks this as the one step that cannot be undone"},
    "profile.not_allowed_value": {"zh": "这里不能用 {value}{guess}；可用：{allowed}", "en": "{value} is not allowed here{guess}; use one of: {allowed}"},
    "profile.pattern.id": {"zh": "{value} 不是有效的 id：只能用小写字母、数字和 -（2–63 个字符），与文件名相同",
                           "en": "{value} is not a valid id: use lower-case letters, digits and dashes (2-63 characters), as in the file name"},
    "profile.pattern.origins": {"zh": "{value} 不是允许的地址范围：写成 https://m.example.com 或带端口的 https://m.example.com:8443 这样；http:// 只能用于 127.0.0.1、localhost 或 [::1]（端口可写可不写，或写 :*）；不要路径，结尾不要斜杠",
                                "en": "{value} is not an allowed origin: write https://host or https://host:port, or http:// only on 127.0.0.1, localhost or [::1] (port optional, or :*); no path, no trailing slash"},
    "profile.pattern.secret": {"zh": "{value} 不是凭据名：只能用小写字母、数字和 _，以字母开头", "en": "{value} is not a credential name: lower-case letters, digits and _, starting with a letter"},
    "profile.pattern.name": {"zh": "{value} 不是记录值的名字：只能用小写字母、数字和 _，以字母开头", "en": "{value} is not a capture name: lower-case letters, digits and _, starting with a letter"},
    "profile.pattern.key": {"zh": "{value} 不是按键名，应写成 Enter、Tab、Escape 或 Control+A 这样", "en": "{value} is not a key name such as Enter, Tab, Escape or Control+A"},
    "profile.pattern.date": {"zh": "{value} 不是 YYYY-MM-DD 格式的日期", "en": "{value} is not a date written YYYY-MM-DD"},
    "profile.pattern.locale": {"zh": "{value} 不是语言区域，应写成 zh-CN 或 en 这样", "en": "{value} is not a locale such as zh-CN or en"},
    "profile.pattern.other": {"zh": "{value} 的格式不对（应符合 {pattern}）", "en": "{value} does not have the expected form ({pattern})"},
    "profile.empty_value": {"zh": "不能为空", "en": "must not be empty"},
    "profile.empty_give_one": {"zh": "不能为空：请给出 {options} 中的一个", "en": "must not be empty: give one of {options}"},
    "profile.wait_one": {"zh": "wait 只接受一个条件：visible、hidden 或 url（两个条件请写两个 wait 步骤）",
                         "en": "wait takes one condition: visible, hidden or url (use two wait steps for two conditions)"},
    "profile.too_long": {"zh": "长度是 {n} 个字符，上限是 {limit}", "en": "is {n} characters long; the limit is {limit}"},
    "profile.too_many_items": {"zh": "有 {n} 项，上限是 {limit}", "en": "has {n} items; the limit is {limit}"},
    "profile.too_many_entries": {"zh": "有 {n} 个条目，上限是 {limit}", "en": "has {n} entries; the limit is {limit}"},
    "profile.minimum": {"zh": "{value} 超出范围：至少应为 {limit}", "en": "{value} is out of range: it must be at least {limit}"},
    "profile.maximum": {"zh": "{value} 超出范围：最多为 {limit}", "en": "{value} is out of range: it must be at most {limit}"},
    "profile.duplicate_item": {"zh": "同一项出现了两次", "en": "contains the same item twice"},
    "profile.name_needs_role": {"zh": "name（无障碍名称）要和 role 一起用：加上 role: button 之类，或改用 text:",
                                "en": "name (the accessible name) goes with role: add e.g. role: button, or use text: instead"},
    "profile.step_no_action": {"zh": "一个步骤需要一个动作（{actions}）", "en": "a step needs one action ({actions})"},
    "profile.step_many_actions": {"zh": "一个步骤只能有一个动作，这里有 {n} 个：{found}", "en": "a step takes exactly one action, found {n}: {found}"},
    "profile.locator_no_kind": {"zh": "定位需要一种找元素的方式：{kinds}", "en": "a locator needs one way to find the element: {kinds}"},
    "profile.locator_many_kinds": {"zh": "一个定位写法只能用一种找元素的方式，这里有 {n} 种：{kinds}；想依次尝试几种，请写成备选列表：[{{{first}: ...}}, {{{second}: ...}}]",
                                   "en": "a locator candidate uses one way to find the element, found {n}: {kinds}; to try several, list them as fallbacks: [{{{first}: ...}}, {{{second}: ...}}]"},
    "profile.value_and_secret": {"zh": "value 和 secret 只能给一个", "en": "give either value or secret, not both"},
    "profile.value_or_secret": {"zh": "需要 value 或 secret", "en": "needs either value or secret"},
    "profile.invalid_form": {"zh": "这里的写法不对", "en": "does not have a valid form here"},
    "profile.schema_other": {"zh": "不符合站点配置的格式（校验器的说明：{detail}）", "en": "{detail}"},
    "profile.id_not_filename": {"zh": "id“{id}”必须与文件名“{stem}”相同", "en": "the id '{id}' must equal the file name '{stem}'"},
    "profile.start_url_refused": {"zh": "start_url 被拒绝：{problem}", "en": "start_url is refused: {problem}"},
    "profile.goto_double_slash": {"zh": "goto 被拒绝：路径必须以一个 / 开头（//主机 会离开网站的地址范围）",
                                  "en": "goto is refused: a path must start with a single / (//host would leave the site's origin)"},
    "profile.goto_refused": {"zh": "goto 被拒绝：{problem}", "en": "goto is refused: {problem}"},
    "profile.secret_undeclared": {"zh": "secret“{secret}”没有在 credentials 中声明", "en": "secret '{secret}' is not declared under credentials"},
    "profile.literal_secret": {"zh": "往看起来是密码或验证码的输入框里填了固定值；请改用 secret: 指定凭据（值来自系统密码库或运行时询问）",
                               "en": "a literal value is typed into what looks like a password or code field; name a credential with `secret:` instead (values come from the keyring or a prompt)"},
    "profile.submit_outside_close": {"zh": "submit（不可撤销的一步）只能放在 close 流程中", "en": "submit (the irreversible step) belongs only in the close flow"},
    "profile.submit_optional": {"zh": "不可撤销的 submit 不能是可选的（optional）", "en": "the irreversible submit cannot be optional"},
    "profile.submit_conditional": {"zh": "不可撤销的 submit 不能带条件（if_visible）", "en": "the irreversible submit cannot be conditional"},
    "profile.code_optional": {"zh": "验证码步骤不能是可选的（optional）", "en": "the verification step cannot be optional"},
    "profile.bad_regex": {"zh": "“{value}”不是有效的正则表达式（{detail}）", "en": "'{value}' is not a valid regular expression: {detail}"},
    "profile.submit_count": {"zh": "close 流程需要正好一个 submit 步骤，现在有 {n} 个", "en": "the close flow needs exactly one submit step, found {n}"},
    "profile.outcome_after_submit": {"zh": "请在 submit 之后加一个 outcome 步骤，用来识别结果", "en": "add an outcome step after submit so the result is recognised"},
    "profile.unreadable_file": {"zh": "无法读取 {file}（{detail}）", "en": "{file}: {detail}"},
    "profile.too_big": {"zh": "文件有 {n} 字节；站点配置最多 {limit} 字节", "en": "the file is {n} bytes; profiles are limited to {limit} bytes"},
    "profile.not_utf8": {"zh": "文件不是 UTF-8 文本（解码器的说明：{detail}）", "en": "the file is not UTF-8 text ({detail})"},
    "profile.not_mapping": {"zh": "站点配置必须是由字段（id、names、origins……）组成的映射", "en": "a profile must be a mapping of fields (id, names, origins, ...)"},
    # evidence: verify, report, list
    "evidence.intact": {"zh": "证据完好：{entries} 项记录、{files} 个文件均未被改动。\n证据校验值：{hash}",
                        "en": "Evidence intact: {entries} entries and {files} files unchanged.\nEvidence fingerprint: {hash}"},
    "evidence.partial": {"zh": "证据完好但不完整：这次运行没有正常结束（可能被中断），已记录的 {entries} 项均未被改动。\n证据校验值：{hash}",
                         "en": "Evidence intact but partial: the run did not finish (it may have been interrupted); the {entries} entries it recorded are unchanged.\nEvidence fingerprint: {hash}"},
    "evidence.tampered": {"zh": "证据已被改动（{count} 处问题）：", "en": "The evidence was changed ({count} problems):"},
    "evidence.compare_hash": {"zh": "请把证据校验值与运行结束时显示、您另行保存的值核对（或用 --fingerprint 让工具核对）：不一致说明记录被截断或替换。",
                              "en": "Compare the evidence fingerprint with the one shown at the end of the run that you kept (or let the tool compare it with --fingerprint): if they differ, entries were cut off or replaced."},
    "evidence.fingerprint_matches": {"zh": "与您提供的证据校验值一致。", "en": "It matches the evidence fingerprint you gave."},
    "evidence.fingerprint_prefix": {"zh": "与您提供的证据校验值的前 {n} 位一致（只核对了开头的 {n} 位；完整的值有 64 位）。",
                                    "en": "It matches the first {n} characters of the evidence fingerprint you gave (only a prefix of {n} was compared; the whole value has 64)."},
    "evidence.fingerprint_too_short": {"zh": "--fingerprint 至少要写出证据校验值的前 16 位（0–9、a–f），您给出的是：{value}",
                                       "en": "--fingerprint needs at least the first 16 characters (0-9, a-f) of the evidence fingerprint; you gave: {value}"},
    "evidence.leftover": {"zh": "  （运行中断时正在写入、未列入清单的文件：{path}）", "en": "  (a file the interrupted run was writing, not in the manifest: {path})"},
    "evidence.report_ok": {"zh": "报告文件与 report.sha256 一致。", "en": "The report files match report.sha256."},
    "evidence.no_report": {"zh": "没有报告。可用 closure-assistant evidence report {path} 生成。", "en": "No report yet. Make one with closure-assistant evidence report {path}"},
    "evidence.not_a_bundle": {"zh": "{path} 不是证据文件夹（里面没有 manifest.json，也没有运行留下的截图）。用 closure-assistant evidence list 查看本机的所有运行。",
                              "en": "{path} is not an evidence folder (it has no manifest.json and no run's screenshots). See every run on this computer with closure-assistant evidence list."},
    "evidence.report_written": {"zh": "报告已生成：{html}\n          {pdf}", "en": "Report written: {html}\n                {pdf}"},
    "evidence.report_failed": {"zh": "报告未能生成：{detail}。证据本身不受影响；可稍后用 closure-assistant evidence report {path} 重试。",
                               "en": "The report could not be made: {detail}. The evidence itself is unaffected; try again later with closure-assistant evidence report {path}"},
    "evidence.list_header": {"zh": "时间\t站点\t账号\t结果\t文件夹", "en": "date\tsite\taccount\toutcome\tfolder"},
    "evidence.list_empty": {"zh": "没有找到运行记录（查找位置：{paths}）。", "en": "No runs found (looked in: {paths})."},
    "verify.where": {"zh": "（清单第 {seq} 项）", "en": " (manifest entry {seq})"},
    "verify.file_changed": {"zh": "已修改：{path}{where}", "en": "altered: {path}{where}"},
    "verify.file_missing": {"zh": "缺失：{path}{where}", "en": "missing: {path}{where}"},
    "verify.file_added": {"zh": "多出（清单中没有）：{path}", "en": "added (not in the manifest): {path}"},
    "verify.report_unlisted": {"zh": "多出（report.sha256 中没有记录）：{path}。可用 closure-assistant evidence report 重新生成报告。",
                               "en": "added (not recorded in report.sha256): {path}. Rebuild the report with closure-assistant evidence report."},
    "verify.files_swapped": {"zh": "顺序被调换：{path}{where} 的内容是 {other} 的", "en": "reordered: {path}{where} holds the content of {other}"},
    "verify.entry_edited": {"zh": "已修改：manifest.json 第 {seq} 项记录", "en": "altered: manifest.json entry {seq}"},
    "verify.entry_out_of_place": {"zh": "顺序被调换：manifest.json 第 {seq} 项记录排在第 {other} 位", "en": "reordered: manifest.json entry {seq} is in position {other}"},
    "verify.entries_removed": {"zh": "记录被删除：manifest.json 第 {seq}–{other} 项", "en": "removed: manifest.json entries {seq}–{other}"},
    "verify.chain_broken": {"zh": "校验链断开：manifest.json 第 {seq} 项与前一项不相连", "en": "chain broken: manifest.json entry {seq} does not link to the one before it"},
    "verify.final_hash_field": {"zh": "校验链断开：manifest.json 记录的证据校验值（final_hash）与最后一项不符", "en": "chain broken: the evidence fingerprint manifest.json records (final_hash) does not match its last entry"},
    "verify.final_hash_differs": {"zh": "证据校验值与您提供的 {other} 不一致：记录被截断或替换", "en": "the evidence fingerprint differs from the one you gave ({other}): entries were cut off or replaced"},
    "verify.header_edited": {"zh": "已修改：manifest.json 的基本信息（站点、账号、浏览器、设备等）", "en": "altered: manifest.json's header (site, account, browser, device...)"},
    "verify.result_edited": {"zh": "已修改：manifest.json 的结果部分（result / complete / finished_at）", "en": "altered: manifest.json's result (result / complete / finished_at)"},
    "verify.manifest_missing": {"zh": "缺失：manifest.json（无法校验）", "en": "missing: manifest.json (nothing to check against)"},
    "verify.manifest_unreadable": {"zh": "已修改：manifest.json 无法读取", "en": "altered: manifest.json cannot be read"},
    "verify.sidecar_changed": {"zh": "已修改：report.sha256 的内容格式不对", "en": "altered: report.sha256 is not in the expected format"},
    "outcome.submitted": {"zh": "已提交注销申请，审核中", "en": "closure request submitted, under review"},
    "outcome.closed": {"zh": "已注销", "en": "closed"},
    "outcome.already_closed": {"zh": "此前已注销", "en": "already closed"},
    "outcome.dry_run_ok": {"zh": "演练（未提交）", "en": "dry run (nothing submitted)"},
    "outcome.status_read": {"zh": "已查询状态", "en": "status read"},
    "outcome.blocked": {"zh": "平台拒绝注销", "en": "refused by the site"},
    "outcome.needs_user": {"zh": "需要本人操作", "en": "needs you"},
    "outcome.failed": {"zh": "失败", "en": "failed"},
    "outcome.partial": {"zh": "未完成（运行被中断）", "en": "did not finish (interrupted)"},
    # cases, credentials, status, several sites (issue 6)
    "error.case_store": {"zh": "无法使用案件记录数据库：{detail}。请检查该文件，或用 --db 指定另一个位置。",
                         "en": "The case database cannot be used: {detail}. Check the file, or choose another one with --db."},
    "error.plan": {"zh": "计划文件有误：\n{detail}\n计划是一个列表，每项写 site 和 account 两个键，改好后重试。",
                   "en": "The plan file is invalid:\n{detail}\nA plan is a list of entries, each with site: and account:. Fix it and try again."},
    "plan.unreadable": {"zh": "无法读取（{detail}）", "en": "{detail}"},
    "plan.too_big": {"zh": "文件超过了 {kb} KB", "en": "the file is larger than {kb} KB"},
    "plan.not_a_list": {"zh": "计划是一个列表，每项写 site: 和 account:", "en": "a plan is a list of entries, each with `site:` and `account:`"},
    "plan.too_many": {"zh": "一个计划最多列 {n} 个账号", "en": "a plan may list at most {n} accounts"},
    "plan.entry_keys": {"zh": "每一项都需要 site: 和 account:", "en": "each entry needs `site:` and `account:`"},
    "plan.unknown_key": {"zh": "未知的键“{key}”（每一项只有 site: 和 account:）", "en": "unknown key '{key}' (an entry has only `site:` and `account:`)"},
    "plan.missing": {"zh": "缺少 {key}:，或者它不是文字", "en": "`{key}:` is missing or not text"},
    "plan.twice": {"zh": "{site} / {account} 列了两次", "en": "{site} / {account} is listed twice"},
    "usage.bad_today": {"zh": "{name}={value} 不是 2026-01-31 这样的日期", "en": "{name}={value} is not a date like 2026-01-31"},
    "store.newer": {"zh": "{path} 是更新版本的 closure-assistant 写的（数据格式 {version}）：请更新 closure-assistant",
                    "en": "{path} was written by a newer closure-assistant (schema {version}); update closure-assistant"},
    "site.cannot_open": {"zh": "无法打开 {url}（{detail}）", "en": "{url} could not be opened ({detail})"},
    "error.needs_user.no_terminal": {"zh": "需要输入登录凭据，但没有终端可以询问，已停止（未提交）。请先用 closure-assistant credentials set 保存密码。",
                                     "en": "A credential was needed and there was no terminal to ask; stopped without submitting. Save the password first with closure-assistant credentials set."},
    "usage.account_with_site": {"zh": "指定 SITE 时需要 --account（或在 --plan 文件中列出站点和账号）",
                                "en": "--account is needed with SITE (or list site/account pairs in --plan FILE)"},
    "usage.site_or_plan": {"zh": "请指定 SITE 和 --account，或用 --plan 文件", "en": "name a SITE with --account, or give --plan FILE"},
    "usage.all_alone": {"zh": "--all 会查询所有未结的案件；不要再写 SITE 和 --account", "en": "--all checks every open case; leave out SITE and --account"},
    "usage.site_and_account": {"zh": "请指定 SITE 和 --account，或用 --all", "en": "name SITE and --account, or use --all"},
    "error.already_submitted": {"zh": "{site}（{account}）此前已提交过注销申请，但该站点配置没有“查询进度”流程，无法确认平台是否已收到。为避免重复提交已停止：请登录平台查看注销进度。",
                                "en": "A closure request for {site} ({account}) was already submitted, and this site's profile has no status check to confirm it arrived. Stopped so as not to submit twice: log in to the site and look at the closure's progress."},
    "error.rejected": {"zh": "平台显示注销申请被拒绝（未重复提交）：{detail}。请联系平台客服了解原因，处理后再申请。",
                       "en": "The site shows the closure request as rejected (nothing submitted again): {detail}. Ask the platform's customer service why, deal with it, then apply again."},
    "error.credential_not_stored": {"zh": "系统密码库中没有 {site} / {account} 的密码。用 closure-assistant credentials list 查看已保存的账号。",
                                    "en": "No password is stored for {site} / {account}. See the stored accounts with closure-assistant credentials list."},
    "error.password_prompt": {"zh": "{detail}", "en": "{detail}"},
    "error.case_busy": {"zh": "另一个 closure-assistant 正在处理 {detail}，为避免重复提交已停止。请等它结束后再运行。",
                        "en": "Another closure-assistant is working on {detail} right now; stopped so as not to submit twice. Run again when it has finished."},
    "error.usage": {"zh": "命令用法有误：{detail}。用 --help 查看用法。", "en": "Bad command line: {detail}. See --help."},
    "error.no_status_flow": {"zh": "{detail} 的站点配置没有“查询进度”流程，无法自动查询：请登录平台查看注销进度。",
                             "en": "The profile of {detail} has no status check: log in to the site and look at the closure's progress."},
    "close.resume": {"zh": "{site}（{account}）的案件状态是“{state}”：先查询平台上的注销进度，不会重复提交。",
                     "en": "{site} ({account}) is recorded as '{state}': checking the site's status first; nothing will be submitted again."},
    "close.not_again": {"zh": "平台上的注销申请仍在，未重复提交。", "en": "The closure request is still on the site; nothing was submitted again."},
    "close.closed_already": {"zh": "平台显示该账号已注销，未重复提交。", "en": "The site shows the account closed; nothing was submitted again."},
    "close.active_again": {"zh": "平台显示该账号仍是正常状态，没有注销申请（上次提交未到达平台）：现在重新申请注销。",
                           "en": "The site shows the account active with no closure request (the earlier submit did not reach it): starting a fresh closure."},
    "summary.status_read": {"zh": "{outcome}：{state}", "en": "{outcome}: {state}"},
    "close.summary": {"zh": "汇总：", "en": "Summary:"},
    "case.saved": {"zh": "案件记录：{state}（closure-assistant cases 查看全部）", "en": "Case: {state} (see all with closure-assistant cases)"},
    "case.application": {"zh": "申请编号：{app}", "en": "Application number: {app}"},
    "case.deadline": {"zh": "提交于 {submitted}，平台应在 {deadline} 前完成（{days} 个工作日，未计节假日）。",
                      "en": "Submitted on {submitted}; the platform should finish by {deadline} ({days} working days, holidays not counted)."},
    "case.not_started": {"zh": "未开始", "en": "not started"},
    "case.blocked": {"zh": "被平台阻止", "en": "blocked"},
    "case.needs_user": {"zh": "需要您处理", "en": "needs you"},
    "case.submit_attempted": {"zh": "已尝试提交（待确认）", "en": "submit attempted (unconfirmed)"},
    "case.pending": {"zh": "审核中", "en": "pending review"},
    "case.closed": {"zh": "已注销", "en": "closed"},
    "case.failed": {"zh": "失败", "en": "failed"},
    "case.overdue": {"zh": "逾期", "en": "OVERDUE"},
    "case.interrupted": {"zh": "中断", "en": "interrupted"},
    "case.rejected": {"zh": "平台拒绝了申请", "en": "rejected by the platform"},
    "case.manual": {"zh": "有一步需要您在可见的浏览器中操作（如人脸识别、滑块）：加 --headed 运行",
                    "en": "a step needs you in a visible browser (face check, slider): run with --headed"},
    "case.no_code": {"zh": "没有输入验证码", "en": "no verification code was given"},
    "case.wrong_code": {"zh": "验证码多次未被接受", "en": "the code was not accepted"},
    "case.declined": {"zh": "您没有确认最终提交", "en": "you did not confirm the final submit"},
    "case.no_terminal": {"zh": "需要输入密码，但没有终端：先用 credentials set 保存密码", "en": "a password was needed and there was no terminal: save it with credentials set"},
    "case.site_shows_no_request": {"zh": "平台上没有注销申请", "en": "the site shows no closure request"},
    "cases.empty": {"zh": "还没有任何案件。用 closure-assistant close 站点 --account 账号 开始。",
                    "en": "No cases yet. Start with closure-assistant close SITE --account ACCOUNT."},
    "cases.last_run": {"zh": "{when} {flow}：{outcome}", "en": "{when} {flow}: {outcome}"},
    "flow.close": {"zh": "注销", "en": "close"},
    "flow.status": {"zh": "查询进度", "en": "status check"},
    "cases.db": {"zh": "（数据库：{path}；今天：{today}）", "en": "(database: {path}; today: {today})"},
    "col.site": {"zh": "站点", "en": "site"},
    "col.account": {"zh": "账号", "en": "account"},
    "col.state": {"zh": "状态", "en": "state"},
    "col.application": {"zh": "申请编号", "en": "application no."},
    "col.submitted": {"zh": "提交日期", "en": "submitted"},
    "col.deadline": {"zh": "截止日期", "en": "deadline"},
    "col.last_run": {"zh": "最近一次运行", "en": "last run"},
    "col.next": {"zh": "下一步", "en": "next step"},
    "col.outcome": {"zh": "结果", "en": "outcome"},
    "col.evidence": {"zh": "证据文件夹", "en": "evidence folder"},
    "col.stored": {"zh": "已存入系统密码库", "en": "in keyring"},
    "next.not_started": {"zh": "运行 closure-assistant close {site} --account 账号（{account}）",
                         "en": "run closure-assistant close {site} --account ACCOUNT ({account})"},
    "next.needs_user.manual": {"zh": "加 --headed 再运行 close：有一步（如人脸识别、滑块）需要您在浏览器窗口中完成",
                               "en": "run close again with --headed: a step (face check, slider) needs you in the browser window"},
    "next.then_close": {"zh": "{what}，然后再运行 close", "en": "{what}, then run close again"},
    "next.blocked": {"zh": "先处理平台提示的问题（如结清借款、处理余额），再运行 close", "en": "repay / clear what the site named, then close again"},
    "next.needs_user": {"zh": "在终端中再次运行 close（需要您输入验证码或确认）", "en": "run close again in a terminal (it needs your code or your yes)"},
    "next.submit_attempted": {"zh": "运行 closure-assistant status --all，确认上次提交是否到达平台",
                              "en": "run closure-assistant status --all to see whether the last submit reached the site"},
    "next.pending": {"zh": "等待审核；运行 closure-assistant status --all 查看进度",
                     "en": "wait for the review; run closure-assistant status --all to check"},
    "next.overdue": {"zh": "已超过期限：向平台客服投诉，仍无结果可向消费者协会或金融监管部门投诉；证据在 {evidence}",
                     "en": "past the deadline: complain to the platform, then to the consumer association or the financial regulator; evidence at {evidence}"},
    "next.closed": {"zh": "无需操作；请保留证据 {evidence}", "en": "nothing to do; keep the evidence at {evidence}"},
    "next.failed": {"zh": "查看证据 {evidence}，然后再运行 close", "en": "look at the evidence at {evidence}, then close again"},
    "status.none": {"zh": "没有需要查询的案件（审核中或已尝试提交的）。", "en": "No case to check (none pending or with a submit attempted)."},
    "cred.saved": {"zh": "已保存 {site} / {account} 的密码到 {backend}。", "en": "Saved the password for {site} / {account} in {backend}."},
    "cred.deleted": {"zh": "已删除 {site} / {account} 的密码。", "en": "Deleted the password for {site} / {account}."},
    "cred.empty": {"zh": "还没有保存任何密码。用 closure-assistant credentials set 站点 账号 保存。",
                   "en": "No passwords stored yet. Save one with closure-assistant credentials set SITE ACCOUNT."},
    "cred.yes": {"zh": "是", "en": "yes"},
    "cred.missing": {"zh": "缺失（请重新 set）", "en": "missing (set it again)"},
    "prompt.new_password": {"zh": "请输入 {site} 账号 {account} 的登录密码（输入时不显示）：",
                            "en": "Password for {account} on {site} (hidden): "},
    "prompt.repeat_password": {"zh": "请再输入一次：", "en": "Type it again: "},
    "cred.no_terminal": {"zh": "没有可输入密码的终端：请在终端中运行，或用 --password-stdin 从标准输入传入",
                         "en": "there is no terminal to type the password in: run this in a terminal, or pass it on standard input with --password-stdin"},
    "cred.mismatch": {"zh": "两次输入的密码不一致，未保存", "en": "the two entries differ; nothing was saved"},
    "cred.empty_password": {"zh": "密码为空，未保存", "en": "the password is empty; nothing was saved"},
    # doctor
    "doctor.ok": {"zh": "正常", "en": "ok"},
    "doctor.line": {"zh": "[{mark}] {what}：{detail}", "en": "[{mark}] {what}: {detail}"},
    "doctor.source.option": {"zh": "--browser-path 指定", "en": "--browser-path"},
    "doctor.source.env": {"zh": "环境变量 CLOSURE_ASSISTANT_BROWSER 指定", "en": "CLOSURE_ASSISTANT_BROWSER"},
    "doctor.source.playwright": {"zh": "Playwright 自带", "en": "Playwright's own"},
    "doctor.source.system": {"zh": "系统安装", "en": "system"},
    "doctor.fonts_unchecked": {"zh": "本系统无法检查（macOS 和 Windows 自带中文字体）", "en": "cannot check here (macOS and Windows ship CJK fonts)"},
    "doctor.display": {"zh": "显示器", "en": "display"},
    "doctor.display_ok": {"zh": "可以显示浏览器窗口（--headed、profiles record）", "en": "a browser window can be shown (--headed, profiles record)"},
    "doctor.no_display": {"zh": "没有（不影响普通注销；--headed 和 profiles record 需要在有桌面的会话中运行，或用 xvfb-run closure-assistant …）",
                          "en": "none (a normal closure does not need one; --headed and profiles record need a desktop session, or xvfb-run closure-assistant …)"},
    "doctor.fix_hint": {"zh": "运行 closure-assistant doctor --fix 可自动安装缺少的浏览器和中文字体。",
                        "en": "closure-assistant doctor --fix installs a missing browser and Chinese fonts for you."},
    "doctor.browser": {"zh": "浏览器", "en": "browser"},
    "doctor.fonts": {"zh": "中文字体", "en": "CJK fonts"},
    "doctor.keyring": {"zh": "系统密码库", "en": "keyring"},
    "doctor.fix_fonts": {"zh": "未找到中文字体，截图中的中文会显示为方框。请安装：sudo apt-get install fonts-noto-cjk",
                         "en": "No CJK font found: Chinese would show as boxes in screenshots. Install: sudo apt-get install fonts-noto-cjk"},
    # profiles list / show / validate, and what close says about the site before it starts
    "profiles.practice_mark": {"zh": "（练习站点，仅在本机运行）", "en": "(practice site, runs on this computer only)"},
    "profiles.invalid_mark": {"zh": "（配置有误：运行 profiles validate {path}）", "en": "(invalid: run profiles validate {path})"},
    "profiles.validated": {"zh": "{valid} 个有效，{invalid} 个有误，共 {problems} {noun}", "en": "{valid} valid, {invalid} invalid, {problems} {noun}"},
    "profiles.problem_one": {"zh": "处问题", "en": "problem"},
    "profiles.problem_many": {"zh": "处问题", "en": "problems"},
    "facts.before_close": {"zh": "开始之前，关于 {name}：", "en": "Before you start, about {name}:"},
    "facts.title": {"zh": "{name}（{id}）", "en": "{name} ({id})"},
    "facts.practice": {"zh": "练习站点：工具自带、只在本机运行的示例平台，不是真实的贷款平台。",
                       "en": "Practice site: a sample portal bundled with the tool that runs on this computer only; not a real lender."},
    "facts.names": {"zh": "名称：{zh} / {en}", "en": "Names: {zh} / {en}"},
    "facts.website": {"zh": "网站：{url}", "en": "Website: {url}"},
    "facts.routes": {"zh": "注销途径：{routes}", "en": "How closure is requested: {routes}"},
    "facts.modes": {"zh": "注销方式：{modes}", "en": "Closure modes: {modes}"},
    "facts.review_days": {"zh": "平台审核期限：提交后 {days} 个工作日", "en": "The platform has {days} working days after submission to finish"},
    "facts.fees": {"zh": "费用：{fees}", "en": "Fees: {fees}"},
    "facts.fees_none": {"zh": "不收费（据站点配置）", "en": "none (as the profile says)"},
    "facts.unknown": {"zh": "未写明", "en": "not stated"},
    "facts.prerequisites": {"zh": "注销前请先：", "en": "Do these first:"},
    "facts.customer_service": {"zh": "客服：{text}", "en": "Customer service: {text}"},
    "facts.notes": {"zh": "说明：{text}", "en": "Notes: {text}"},
    "facts.status_flow": {"zh": "可以用 closure-assistant status 查询注销进度。", "en": "The closure's progress can be read with closure-assistant status."},
    "facts.no_status_flow": {"zh": "这份配置不能查询注销进度：请登录平台查看。", "en": "This profile cannot read the closure's progress: look on the site."},
    "facts.verified": {"zh": "配置最近核对：{date}（核对对象：{against}）", "en": "Profile last verified: {date} (against: {against})"},
    "facts.not_verified": {"zh": "这份配置没有写明核对日期。", "en": "This profile does not say when it was last verified."},
    "facts.maintainer": {"zh": "维护者：{who}", "en": "Maintainer: {who}"},
    "facts.file": {"zh": "配置文件：{path}", "en": "Profile file: {path}"},
    "route.online": {"zh": "网上申请", "en": "online"},
    "route.in_app": {"zh": "在 App 内申请", "en": "in the app"},
    "route.customer_service": {"zh": "联系客服", "en": "through customer service"},
    "route.email": {"zh": "发电子邮件", "en": "by e-mail"},
    "mode.close_now": {"zh": "立即注销", "en": "close now"},
    "mode.close_after_repayment": {"zh": "还清后注销", "en": "close after the last repayment"},
    "mode.automatic_at_contract_end": {"zh": "合同到期自动注销", "en": "automatically when the contract ends"},
    # profiles new / check / record (issue 7)
    "new.prompt_name_zh": {"zh": "网站的中文名（如 某某贷）：", "en": "The site's Chinese name (e.g. 某某贷): "},
    "new.prompt_name_en": {"zh": "网站的英文名（直接回车：同中文名）：", "en": "The site's English name (Enter: same as the Chinese one): "},
    "new.prompt_url": {"zh": "登录页的网址（https://…）：", "en": "The login page's address (https://…): "},
    "new.prompt_id": {"zh": "配置的 id，即文件名（小写字母、数字和 -；直接回车：{default}）：",
                      "en": "Profile id, also the file name (lower-case letters, digits, dashes; Enter: {default}): "},
    "new.prompt_route": {"zh": "注销途径（{routes}；直接回车：online）：", "en": "Closure route ({routes}; Enter: online): "},
    "new.missing": {"zh": "缺少：{flags}。请在终端中运行以便逐项询问，或加上这些参数。",
                    "en": "Missing: {flags}. Run this in a terminal to be asked, or pass these options."},
    "new.bad_id": {"zh": "id「{id}」不可用：只能用小写字母、数字和 -（2–63 个字符），它也是文件名。",
                   "en": "The id '{id}' cannot be used: lower-case letters, digits and dashes (2-63 characters); it is also the file name."},
    "new.bad_url": {"zh": "网址 {url} 不可用：{reason}。请给出以 https:// 开头的地址。",
                    "en": "The address {url} cannot be used: {reason}. Give one starting with https://."},
    "new.bad_route": {"zh": "注销途径「{route}」不可用，可选：{routes}。", "en": "'{route}' is not a closure route; use one of: {routes}."},
    "new.name_mismatch": {"zh": "{path} 的文件名必须是 {id}.yaml（id 与文件名相同）。",
                          "en": "{path} must be named {id}.yaml (the id is the file name)."},
    "new.exists": {"zh": "{path} 已存在，未覆盖。请换一个 id，或加 --force 覆盖。",
                   "en": "{path} already exists and was left alone. Choose another id, or add --force to replace it."},
    "new.written": {"zh": "已生成站点配置（已通过校验）：{path}\n下一步：把每个 “TODO …” 改成网站上真实的文字，再运行\n  closure-assistant profiles check {id} --account 账号\n（只走到最终提交前，不会提交）。更快的办法是录制：closure-assistant profiles record {id} --url {url}",
                    "en": "Profile skeleton written (it validates): {path}\nNext: replace every \"TODO …\" with the site's real words, then run\n  closure-assistant profiles check {id} --account ACCOUNT\n(it stops before the final submit and submits nothing). Faster: record it with closure-assistant profiles record {id} --url {url}"},
    "check.header": {"zh": "检查 {site}（{id}）：演练到最终提交为止，最终提交按钮只查找、绝不点击。",
                     "en": "Checking {site} ({id}): a dry run up to the final submit, whose button is found but never clicked."},
    "check.portal": {"zh": "（已在本机启动自带的演示站点{variant}：{url}）", "en": "(started the bundled demo portal{variant} at {url})"},
    "check.redesign": {"zh": "的改版样式", "en": " in its redesigned variant"},
    "check.status.ok": {"zh": "找到", "en": "found"},
    "check.status.drift": {"zh": "用备选定位找到", "en": "found by a fallback"},
    "check.status.found_not_clicked": {"zh": "找到（最终提交：未点击）", "en": "found (final submit: not clicked)"},
    "check.status.skipped": {"zh": "跳过", "en": "skipped"},
    "check.status.warning": {"zh": "可选步骤未成功", "en": "optional step did not work"},
    "check.status.broken": {"zh": "失效", "en": "BROKEN"},
    "check.status.stopped": {"zh": "在此停止", "en": "stopped here"},
    "check.status.not_reached": {"zh": "未执行到", "en": "not reached"},
    "check.status.after_submit": {"zh": "在最终提交之后，演练不执行", "en": "after the final submit: not part of a dry run"},
    "check.fallback": {"zh": "第 {k} 个备选定位才匹配：{matched}（首选：{first}）",
                       "en": "fallback #{k} matched: {matched} (first choice: {first})"},
    "check.evidence": {"zh": "每一步的截图在：{path}", "en": "A screenshot of every step is in: {path}"},
    "check.ok": {"zh": "全部 {count} 步都找到了要找的元素：配置仍然适用于该网站。", "en": "All {count} steps found their elements: the profile still fits the site."},
    "check.ok_drift": {"zh": "全部步骤都找到了，但 {n} 步是用备选定位找到的：网站可能正在改版，请把上面列出的匹配写法放到首选位置。",
                       "en": "Every step was found, but {n} only by a fallback: the site may be changing; move the matching candidates shown above to the front."},
    "check.broken": {"zh": "第 {index} 步「{name}」失效：找不到 {locator}\n网站已改版：请在 {path} 中更新这一步（该步截图：{shot}），改好后再运行 profiles check。",
                     "en": "Step {index} '{name}' is broken: nothing matched {locator}\nThe site has changed: update this step in {path} (its screenshot: {shot}), then run profiles check again."},
    "check.broken_action": {"zh": "第 {index} 步「{name}」失效：要找的是 {locator}，但操作没有在限时内完成（{detail}）。\n常见原因是页面被弹窗遮住而配置的 overlays 里没有它（请看该步截图：{shot}），或元素一直不可点击。请更新 {path} 后再运行 profiles check。",
                            "en": "Step {index} '{name}' is broken: it looks for {locator}, but the action did not complete in time ({detail}).\nOften a pop-up covers the page and the profile's overlays do not describe it (see the step's screenshot: {shot}), or the element never became usable. Update {path}, then run profiles check again."},
    "check.broken_no_locator": {"zh": "第 {index} 步「{name}」失效：操作没有在限时内完成（{detail}）。\n请看该步截图：{shot}，更新 {path} 后再运行 profiles check。",
                                "en": "Step {index} '{name}' is broken: the action did not complete in time ({detail}).\nSee the step's screenshot: {shot}; update {path}, then run profiles check again."},
    "check.stopped": {"zh": "检查在第 {index} 步「{name}」停止，未提交任何内容。", "en": "The check stopped at step {index} '{name}'; nothing was submitted."},
    "check.already_closed": {"zh": "网站显示该账号已注销，注销流程无法检查：请用一个仍在使用的账号。",
                             "en": "The site says this account is closed, so the closure path cannot be checked: use an account that is still open."},
    "check.needs_account": {"zh": "检查真实网站需要 --account（登录用的手机号或邮箱）。", "en": "Checking a real site needs --account (the phone number or e-mail you log in with)."},
    "check.redesign_only_bundled": {"zh": "--redesign 只适用于工具自带的演示站点，且不能与 --base-url 同时使用。",
                                    "en": "--redesign only applies to the bundled demo portals, and not together with --base-url."},
    "record.intro": {"zh": "即将打开一个浏览器窗口。请像平时一样登录，并一路点到注销账号的最后一步。\n每一次点击、输入和选择都会被记下；密码和验证码只记为引用，不会保存。\n\n⚠ 重要：直接点击最后的“确认注销”按钮会真的提交注销申请！\n   到最后一步时，先点页面右上角工具条中红色的「标记最终提交（不点击）」，再点最后的按钮：\n   它只会被记录为最终提交，不会被点击。然后点「结束」。工具条挡住了网页内容时，点 ⇅ 把它移到另一边。\n",
                     "en": "A browser window opens. Log in as usual and click your way to the last step of closing the account.\nEvery click, entry and choice is recorded; passwords and codes are recorded as references, never their values.\n\n⚠ IMPORTANT: clicking the final confirm button really submits the closure request!\n   At the last step, first click the red \"标记最终提交（不点击）\" (mark as final submit, don't click) in the\n   toolbar at the top right, then click the final button: it is recorded as the final submit and NOT clicked.\n   Then click \"结束\" (finish). If the toolbar hides part of the page, ⇅ moves it to the other edge.\n"},
    "record.started": {"zh": "正在录制……（在浏览器里点「结束录制」，或关闭窗口，即可结束）", "en": "Recording… (click \"Finish\" in the browser, or close its window, to stop)"},
    "record.ended.finished": {"zh": "录制结束。", "en": "Recording finished."},
    "record.ended.closed": {"zh": "浏览器已关闭，录制结束。", "en": "The browser was closed; recording finished."},
    "record.ended.timeout": {"zh": "录制超过两小时，已自动结束。", "en": "The recording ran for two hours and was ended."},
    "record.ended.interrupted": {"zh": "录制被中断，使用已录到的步骤。", "en": "Recording interrupted; using the steps recorded so far."},
    "record.nothing": {"zh": "没有录到任何操作，未生成配置。", "en": "Nothing was recorded; no profile was written."},
    "record.dialog": {"zh": "网页弹出对话框：「{message}」\n要接受（点“确定”）吗？输入 y 接受，直接回车取消：",
                      "en": "The page shows a dialog: \"{message}\"\nAccept it (press OK)? Type y to accept, Enter to cancel: "},
    "record.listing": {"zh": "录到的步骤：", "en": "Recorded steps:"},
    "record.overlays": {"zh": "弹窗（出现时自动关闭，不算步骤）：{labels}", "en": "Pop-ups (closed whenever they appear, not steps): {labels}"},
    "record.ask_submit": {"zh": "哪一步是不可撤销的最终提交？输入编号（直接回车：{default}）：",
                          "en": "Which step is the irreversible final submit? Its number (Enter: {default}): "},
    "record.ask_code": {"zh": "哪一步输入的是验证码？输入编号（直接回车：{default}）：",
                        "en": "Which entry was the verification code? Its number (Enter: {default}): "},
    "record.ask_outcome": {"zh": "提交成功后网站显示什么文字？（不知道就直接回车，使用常见说法）：",
                           "en": "What does the site say after a successful submit? (Enter if unsure: the usual phrases are used): "},
    "record.default_marked": {"zh": "第 {n} 步，页面中已标记", "en": "step {n}, marked in the page"},
    "record.default_recognised": {"zh": "第 {n} 步，已识别", "en": "step {n}, recognised"},
    "record.default_none": {"zh": "暂不指定，写入 TODO 占位", "en": "none yet, a TODO placeholder is written"},
    "record.default_no_code": {"zh": "没有验证码", "en": "no code"},
    "record.not_a_number": {"zh": "请输入列表中的编号。", "en": "Type a number from the list."},
    "record.no_such_step": {"zh": "没有第 {number} 步（共 {count} 步）。", "en": "There is no step {number} (there are {count})."},
    "record.code_not_fill": {"zh": "第 {number} 步不是输入操作，不能作为验证码。", "en": "Step {number} is not an entry, so it cannot be the verification code."},
    "record.submit_not_click": {"zh": "第 {number} 步不是点击，不能作为最终提交。", "en": "Step {number} is not a click, so it cannot be the final submit."},
    "record.notes": {"zh": "请检查：", "en": "Please review:"},
    "record.note_no_submit": {"zh": "  · 没有标记最终提交：草稿里是一个 “TODO” 占位（它不会点到任何东西），请改成真实的按钮。",
                              "en": "  · No final submit was marked: the draft has a \"TODO\" placeholder (it matches nothing); put the real button there."},
    "record.note_after_submit": {"zh": "  · 最终提交之后录到的 {count} 步没有写入草稿。", "en": "  · The {count} steps recorded after the final submit were left out."},
    "record.note_no_confirm": {"zh": "  · 验证码输入后没有录到确认按钮：请填写 verification_code 的 confirm。",
                               "en": "  · No button was clicked after typing the code: fill in the verification_code's confirm."},
    "record.note_no_accepted": {"zh": "  · 请填写 verification_code 的 accepted（验证码通过后出现的内容）。",
                                "en": "  · Fill in the verification_code's accepted (what shows once the code is accepted)."},
    "record.note_outcome": {"zh": "  · 录制在最终提交前停止，结果页未知：outcome 使用常见说法（{phrases}），请按网站实际文字修改。",
                            "en": "  · The recording stopped before the submit, so the result page is unknown: outcome uses the usual phrases ({phrases}); change them to the site's words."},
    "record.note_no_login": {"zh": "  · 没有录到登录（输入密码后点击登录）：请检查 login 部分。",
                             "en": "  · No login was recorded (a password typed, then a click): check the login part."},
    "record.note_code_in_login": {"zh": "  · 验证码出现在登录过程中：登录用的短信验证请改写为 verification_code 步骤。",
                                  "en": "  · The code was typed while logging in: rewrite that part as a verification_code step."},
    "record.written": {"zh": "草稿已保存（已通过校验）：{path}\n下一步：先不提交地走一遍，确认每一步都找得到：\n  closure-assistant profiles check {id} --account 账号",
                       "en": "Draft saved (it validates): {path}\nNext, walk it without submitting to see every step is found:\n  closure-assistant profiles check {id} --account ACCOUNT"},
    "record.rejected": {"zh": "草稿未通过校验，未放入配置目录；已另存为 {path}：\n{detail}",
                        "en": "The draft did not validate and was not put with your profiles; it was saved as {path}:\n{detail}"},
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


# Terminal control: C0 controls but tab and newline, DEL, C1 controls (ESC/CSI sequences can retitle
# or rewrite the terminal), and bidirectional overrides that can make text read differently than it is.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAX_PARAM_CHARS = 2000


def terminal_safe(value, limit: int = MAX_PARAM_CHARS) -> str:
    """Text from a site or a profile, made safe to print: control characters shown as U+FFFD, and
    anything longer than `limit` cut with an ellipsis."""
    text = _UNSAFE.sub("\ufffd", str(value))
    return text if len(text) <= limit else text[:limit] + "…"


def t(key: str, lang: str, /, **params) -> str:
    """The message `key` in `lang`; every parameter is made terminal-safe first (it may come from a site).
    A parameter that is itself a catalogue sentence (`Said`) is said in `lang` too."""
    entry = CATALOGUE.get(key) or CATALOGUE["error.generic"]
    text = entry.get(lang) or entry["en"]
    params = {k: terminal_safe(render(v, lang)) if isinstance(v, str) else v for k, v in params.items()}
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


class Said(str):
    """A catalogue sentence that keeps its key and parameters, so that a layer below the CLI can raise
    or record it and the CLI can say it in the user's language. As plain text it is the English one
    (logs, manifests, `exc.detail`), so code that only compares or stores text need not know."""

    def __new__(cls, key: str, params: dict):
        if key not in CATALOGUE:
            raise KeyError(f"no message {key!r} in the catalogue")
        said = super().__new__(cls, t(key, "en", **params))
        said.key, said.params = key, params
        return said

    def in_lang(self, lang: str) -> str:
        return t(self.key, lang, **self.params)


def say(key: str, /, **params) -> Said:
    return Said(key, params)


def render(text, lang: str) -> str:
    """`text` in `lang` when it is a catalogue sentence; other text (a site's own words) as it is."""
    return text.in_lang(lang) if isinstance(text, Said) else text


def problem_line(problem, lang: str) -> str:
    """One profile problem (file, line, column, sentence) as `file:line:column: sentence`."""
    fname, line, col, message = problem
    return f"{fname}:{line}:{col}: {render(message, lang)}"


def describe_error(exc, lang: str, step_index=None, step_name=None) -> str:
    """The sentence for a typed error. A cause-specific entry `<message_key>.<reason>` wins over the
    general one, and the profile problems of a ProfileError are said one per line."""
    detail = exc.detail
    if getattr(exc, "problems", None):
        detail = "\n".join(problem_line(p, lang) for p in exc.problems)
    key = exc.message_key
    reason = exc.params.get("reason")
    if isinstance(reason, str) and f"{key}.{reason}" in CATALOGUE:
        key = f"{key}.{reason}"
    return t(key, lang, detail=detail, step=step_index or "?", name=step_name or "",
             **{k: v for k, v in exc.params.items() if k not in ("detail", "step", "name", "reason")})
