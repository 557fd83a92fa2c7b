"""The command line. Parsing ends here; errors become one plain message and an exit status here only."""
from __future__ import annotations

import argparse
import os
import re
import sys
import traceback
from pathlib import Path

from assistant import __version__, interrupts
from assistant.errors import AssistantError, ExitStatus
from assistant.cli.commands import EXIT_HELP
from assistant.messages import describe_error, detect_lang, t

DESCRIPTION = """closure-assistant closes your accounts on online lender portals (注销账号) and keeps proof.

It drives a real Chromium through a site profile (site_profiles/*.yaml): logs in, finds the
close-account page, ticks the agreements, pauses for the SMS code you receive, asks you once more
before the one irreversible submit, and saves a screenshot of every step with a manifest of hashes.

Start here:
  closure-assistant app                       the same in your browser: pages instead of this terminal
  closure-assistant demo                      try it on the bundled demo lender (no input needed)
  closure-assistant profiles list             the sites it knows
  closure-assistant close demo-lender --account 13800000001 --dry-run
                                              walk up to the final submit, submit nothing
  closure-assistant close SITE --account PHONE
                                              the real thing (asks password, SMS code, and a yes)
  closure-assistant prepare SITE --account PHONE
                                              before closing: save the settlement certificate, tick the checklist
  closure-assistant cases                     every closure so far and the next step (overdue marked)
  closure-assistant cases --due               what needs doing today (exit 20 when something does)
  closure-assistant letters CASE              a follow-up letter and a complaint for a stalled closure
  closure-assistant witness URL               your lender has no profile yet: close it by hand, the tool
                                              keeps the proof, opens the case and drafts a profile
  closure-assistant doctor                    check browser, Chinese fonts and keyring
"""

DESCRIPTION_ZH = """closure-assistant 帮您注销网贷平台账号，并保存完整证据。

它按站点配置（site_profiles/*.yaml）驱动真实的 Chromium 浏览器：登录、找到注销入口、勾选协议，
在需要短信验证码时暂停让您输入，在唯一不可撤销的"确认注销"之前再次征求您的同意，
并为每一步保存截图和带校验值的清单（manifest.json），可交给监管部门或法院。

从这里开始：
  closure-assistant app                       在浏览器里使用（网页界面，不用命令行）
  closure-assistant demo                      在内置的示例平台上演示（无需输入）
  closure-assistant profiles list             查看支持的平台
  closure-assistant close demo-lender --account 13800000001 --dry-run
                                              演练到最终提交前一步，不提交
  closure-assistant close 平台 --account 手机号
                                              正式注销（会询问密码、短信验证码和最终确认）
  closure-assistant prepare 平台 --account 手机号
                                              注销前：保存结清证明，确认注意事项
  closure-assistant cases                     所有注销申请及下一步（逾期会标出）
  closure-assistant cases --due               今天需要处理的事项（有则退出状态为 20）
  closure-assistant letters 编号              为停滞的注销生成催办函和投诉材料
  closure-assistant witness 网址              平台还没有站点配置：您亲手注销，工具保存证据、
                                              记录案件并写出站点配置草稿
  closure-assistant doctor                    检查浏览器、中文字体和系统密码库
"""


COMMANDS = ["close", "prepare", "status", "cases", "note", "letters", "credentials", "demo", "profiles", "doctor",
            "evidence", "witness", "app"]  # each is assistant/cli/commands/<name>.py


# argparse's own words (usage, headings, its error messages) by their English original: argparse looks
# them up through its module-level gettext functions when it builds a parser and when it reports.
ARGPARSE_WORDS = {
    "usage: ": "usage", "positional arguments": "positionals", "options": "options",
    "show this help message and exit": "help", "show program's version number and exit": "version",
    "%(prog)s: error: %(message)s\n": "error", "argument %(argument_name)s: %(message)s": "argument",
    "unrecognized arguments: %s": "unrecognized", "the following arguments are required: %s": "required",
    "one of the arguments %s is required": "one_of", "expected one argument": "expected_one",
    "expected at most one argument": "expected_at_most_one", "expected at least one argument": "expected_at_least_one",
    "expected %s argument": "expected_n", "expected %s arguments": "expected_n",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "unexpected option string: %s": "unexpected", "invalid %(type)s value: %(value)r": "invalid_value",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "not allowed with argument %s": "not_allowed_with", "ignored explicit argument %r": "ignored_value",
    "can't open '%(filename)s': %(error)s": "cannot_open",
}


def speak_argparse(lang: str) -> None:
    """Make argparse say its own words in `lang` (it has no other hook for them than gettext)."""
    import gettext

    from assistant.messages import t

    def words(message: str) -> str:
        key = ARGPARSE_WORDS.get(message)
        return t(f"argparse.{key}", lang) if key and lang != "en" else message

    argparse._ = words if lang != "en" else gettext.gettext
    argparse.ngettext = (lambda one, many, n: words(one if n == 1 else many)) if lang != "en" else gettext.ngettext


class Parser(argparse.ArgumentParser):
    """argparse puts an ASCII colon after each heading; a Chinese heading takes a full-width one.
    Subcommands' parsers are made of the same class (argparse's default parser_class)."""

    def format_help(self) -> str:
        return _HEADING_COLON.sub("\\1：", super().format_help())


_HEADING_COLON = re.compile(r"^(\s*[\u4e00-\u9fff][^\n:]*):$", re.M)


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    import importlib

    from assistant.cli.commands import PARSING_LANG, common_options
    from assistant.messages import t
    speak_argparse(lang)
    PARSING_LANG["lang"] = lang
    parser = Parser(
        prog="closure-assistant", description=DESCRIPTION_ZH if lang == "zh" else DESCRIPTION,
        epilog=t("help.exit_statuses", lang) if lang == "zh" else EXIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"closure-assistant {__version__}",
                        help=t("argparse.version", lang))
    common_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"assistant.cli.commands.{name}")
        module.add_parser(sub)
    return parser


def _lang_from_argv(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
    return None


def _browser_gone(exc: Exception):
    """A Playwright error saying the browser or its driver died (outside a run: launching, closing,
    printing a report) is this computer's problem, not a bug: BrowserCrashed, else None."""
    if not type(exc).__module__.startswith("playwright"):
        return None
    from assistant.driving.executor import BROWSER_GONE
    from assistant.errors import BrowserCrashed
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return BrowserCrashed(first) if BROWSER_GONE.search(str(exc)) else None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from assistant.cli.streams import guard_output
    guard_output()  # `… | head`: the rest of the output is dropped, the exit status stays the command's
    parser = build_parser(detect_lang(_lang_from_argv(argv)))
    args = parser.parse_args(argv)
    lang = detect_lang(getattr(args, "lang", None))
    if not args.command:
        parser.print_help()
        return ExitStatus.USAGE
    previous = interrupts.install()
    try:
        return _run(args, lang)
    finally:
        interrupts.restore(previous)


def _run(args, lang: str) -> int:
    try:
        return int(args.handler(args, lang))
    except KeyboardInterrupt as exc:
        return _stopped(exc, lang)
    except AssistantError as exc:
        if interrupts.requested():  # the browser or the code command died of the same Ctrl-C
            return _stopped(exc, lang)
        print(describe_error(exc, lang), file=sys.stderr)
        if getattr(args, "debug", False):
            traceback.print_exc()
        return int(exc.exit_status)
    except Exception as exc:  # noqa: BLE001 - the one place unexpected errors are turned into words
        if interrupts.requested():
            return _stopped(exc, lang)
        crashed = _browser_gone(exc)
        if crashed is not None:
            print(describe_error(crashed, lang), file=sys.stderr)
            if getattr(args, "debug", False):
                traceback.print_exc()
            return int(crashed.exit_status)
        print(t("error.unexpected", lang, detail=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        if getattr(args, "debug", False) or os.environ.get("CLOSURE_ASSISTANT_DEBUG"):
            traceback.print_exc()
        return int(ExitStatus.ERROR)


def _stopped(exc: BaseException, lang: str) -> int:
    """Ctrl-C: the user's stop at any point. Says whether the submit had begun and where the evidence is."""
    evidence = getattr(exc, "evidence_dir", None)
    if getattr(exc, "submitted", False):
        key = "interrupt.after_submit"
    else:
        key = "interrupt.nothing_submitted"
    print("\n" + t(key, lang), file=sys.stderr)
    if evidence is not None:
        print(t("interrupt.evidence", lang, path=evidence), file=sys.stderr)
    return int(ExitStatus.INTERRUPTED)

