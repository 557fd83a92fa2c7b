"""The command line. Parsing ends here; errors become one plain message and an exit status here only."""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from assistant import __version__
from assistant.errors import AssistantError, ExitStatus
from assistant.cli.commands import EXIT_HELP
from assistant.messages import describe_error, detect_lang, t

DESCRIPTION = """closure-assistant closes your accounts on online lender portals (注销账号) and keeps proof.

It drives a real Chromium through a site profile (site_profiles/*.yaml): logs in, finds the
close-account page, ticks the agreements, pauses for the SMS code you receive, asks you once more
before the one irreversible submit, and saves a screenshot of every step with a manifest of hashes.

Start here:
  closure-assistant demo                      try it on the bundled demo lender (no input needed)
  closure-assistant profiles list             the sites it knows
  closure-assistant close demo-lender --account 13800000001 --dry-run
                                              walk up to the final submit, submit nothing
  closure-assistant close SITE --account PHONE
                                              the real thing (asks password, SMS code, and a yes)
  closure-assistant cases                     every closure so far and the next step (overdue marked)
  closure-assistant doctor                    check browser, Chinese fonts and keyring
"""

DESCRIPTION_ZH = """closure-assistant 帮您注销网贷平台账号，并保存完整证据。

它按站点配置（site_profiles/*.yaml）驱动真实的 Chromium 浏览器：登录、找到注销入口、勾选协议，
在需要短信验证码时暂停让您输入，在唯一不可撤销的"确认注销"之前再次征求您的同意，
并为每一步保存截图和带哈希校验的清单（manifest.json），可交给监管部门或法院。

从这里开始：
  closure-assistant demo                      在内置的示例平台上演示（无需输入）
  closure-assistant profiles list             查看支持的平台
  closure-assistant close demo-lender --account 13800000001 --dry-run
                                              演练到最终提交前一步，不提交
  closure-assistant close 平台 --account 手机号
                                              正式注销（会询问密码、短信验证码和最终确认）
  closure-assistant cases                     所有注销申请及下一步（逾期会标出）
  closure-assistant doctor                    检查浏览器、中文字体和密钥环
"""


COMMANDS = ["close", "status", "cases", "credentials", "demo", "profiles", "doctor", "evidence"]  # each is assistant/cli/commands/<name>.py


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    import importlib

    from assistant.cli.commands import common_options
    parser = argparse.ArgumentParser(
        prog="closure-assistant", description=DESCRIPTION_ZH if lang == "zh" else DESCRIPTION, epilog=EXIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"closure-assistant {__version__}")
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
    parser = build_parser(detect_lang(_lang_from_argv(argv)))
    args = parser.parse_args(argv)
    lang = detect_lang(getattr(args, "lang", None))
    if not args.command:
        parser.print_help()
        return ExitStatus.USAGE
    try:
        return int(args.handler(args, lang))
    except AssistantError as exc:
        print(describe_error(exc, lang), file=sys.stderr)
        if getattr(args, "debug", False):
            traceback.print_exc()
        return int(exc.exit_status)
    except KeyboardInterrupt:
        print(t("error.interrupted", lang), file=sys.stderr)
        return int(ExitStatus.INTERRUPTED)
    except Exception as exc:  # noqa: BLE001 - the one place unexpected errors are turned into words
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

