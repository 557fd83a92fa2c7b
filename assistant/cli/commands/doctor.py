"""closure-assistant doctor: is everything a closure needs in place, and how to fix what is not."""
from __future__ import annotations

import shutil
import subprocess

from assistant.cli.commands import add_command


def add_parser(sub):
    p = add_command(sub, "doctor", "check the browser, Chinese fonts, the display and the keyring", run,
                    "Checks what a closure needs and says how to fix what is missing. With --fix it "
                    "installs a missing browser and Chinese fonts itself (apt-get on Debian/Ubuntu, "
                    "as root or through sudo; elsewhere Playwright's own Chromium).")
    p.add_argument("--browser-path", metavar="PATH")
    p.add_argument("--fix", action="store_true", help="install what is missing (browser, CJK fonts)")


def _run(cmd: list[str]) -> bool:
    import os
    import sys
    if hasattr(os, "geteuid") and os.geteuid() != 0 and cmd[0] == "apt-get":
        if not shutil.which("sudo"):
            return False
        cmd = ["sudo"] + cmd
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return subprocess.run(cmd, env=env).returncode == 0


def fix(need_browser: bool, need_fonts: bool) -> None:
    import sys
    packages = (["chromium"] if need_browser else []) + (["fonts-noto-cjk"] if need_fonts else [])
    if packages and shutil.which("apt-get"):
        if not _run(["apt-get", "install", "-y", "--no-install-recommends"] + packages):
            _run(["apt-get", "update"])
            _run(["apt-get", "install", "-y", "--no-install-recommends"] + packages)
    elif need_browser:
        _run([sys.executable, "-m", "playwright", "install", "chromium"])


def _fonts_ok() -> tuple[bool, str]:
    if not shutil.which("fc-list"):
        return True, ""  # macOS and Windows ship CJK fonts; without fc-list there is nothing to ask
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    families = sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})
    return bool(families), ", ".join(families[:3])


def run(args, lang: str) -> int:
    if args.fix:
        need_browser, need_fonts = _missing(args)
        if need_browser or need_fonts:
            fix(need_browser, need_fonts)
    return check(args, lang)


def _missing(args) -> tuple[bool, bool]:
    from playwright.sync_api import sync_playwright

    from assistant.driving.browser import choose_browser
    from assistant.errors import BrowserMissing
    with sync_playwright() as pw:
        try:
            choose_browser(pw, args.browser_path)
            need_browser = False
        except BrowserMissing:
            need_browser = True
    return need_browser, not _fonts_ok()[0]


def _line(mark: str, what: str, detail: str, lang: str) -> str:
    from assistant.messages import t
    return t("doctor.line", lang, mark=mark, what=t(f"doctor.{what}", lang), detail=detail)


def check(args, lang: str) -> int:
    from playwright.sync_api import sync_playwright

    from assistant import credentials
    from assistant.driving.browser import choose_browser, display_problem
    from assistant.errors import BrowserMissing, ExitStatus
    from assistant.messages import t
    problems = 0
    with sync_playwright() as pw:
        try:
            choice = choose_browser(pw, args.browser_path)
            path = choice.executable or pw.chromium.executable_path
            print(_line("ok", "browser", f"{path} ({t(f'doctor.source.{choice.source}', lang)})", lang))
        except BrowserMissing as exc:
            problems += 1
            print(_line("!!", "browser", t("error.browser_missing", lang, detail=exc.detail), lang))
    ok, fonts = _fonts_ok()
    if ok:
        print(_line("ok", "fonts", fonts or t("doctor.fonts_unchecked", lang), lang))
    else:
        problems += 1
        print(_line("!!", "fonts", t("doctor.fix_fonts", lang), lang))
    # Not a problem for a normal (headless) closure; only --headed and profiles record need a window.
    no_display = display_problem()
    print(_line("--" if no_display else "ok", "display",
                t("doctor.no_display", lang) if no_display else t("doctor.display_ok", lang), lang))
    # The keyring is optional (close then asks for the password at each run), so it never fails doctor:
    # a keyring that keeps passwords readable on disk is marked, with the fix.
    keyring = credentials.current_backend()
    if keyring.storage == "unusable":
        print(_line("--", "keyring", t("error.keyring", lang, detail=keyring.detail or "no backend"), lang))
    elif keyring.safe:
        print(_line("ok", "keyring", t("doctor.keyring_" + keyring.storage, lang, backend=keyring.name), lang))
    else:
        print(_line("!!", "keyring", t("doctor.keyring_" + keyring.storage, lang, backend=keyring.name,
                                       why=keyring.detail), lang))
        print(f"     {t('doctor.keyring_fix', lang)}")
    if problems:
        print(t("doctor.fix_hint", lang))
    return int(ExitStatus.ENVIRONMENT) if problems else 0
