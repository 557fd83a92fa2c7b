"""Finding and launching Chromium. The only module that touches Playwright's launch machinery."""
from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import BrowserMissing

BROWSER_ENV = "CLOSURE_ASSISTANT_BROWSER"
QUIET_FLAGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run",
               "--disable-sync", "--disable-default-apps", "--disable-quic"]
SYSTEM_CANDIDATES = {
    "linux": ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge"],
    "darwin": ["/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
               "/Applications/Chromium.app/Contents/MacOS/Chromium",
               "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"],
    "win32": [r"C:\Program Files\Google\Chrome\Application\chrome.exe",
              r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
              r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"],
}


@dataclass(frozen=True)
class BrowserChoice:
    executable: str | None  # None: Playwright's own bundled Chromium
    source: str             # "option", "env", "playwright", "system"


def _playwright_chromium(playwright) -> str | None:
    try:
        path = playwright.chromium.executable_path
    except Exception:  # noqa: BLE001 - Playwright raises when its browsers were never installed
        return None
    return path if path and Path(path).exists() else None


def _system_chromium() -> str | None:
    for name in SYSTEM_CANDIDATES.get(sys.platform, SYSTEM_CANDIDATES["linux"]):
        found = shutil.which(name) if not os.path.isabs(name) else (name if Path(name).exists() else None)
        if found:
            return found
    return None


def choose_browser(playwright, override: str | None = None) -> BrowserChoice:
    """Option > environment variable > Playwright's own Chromium > a system Chromium/Chrome."""
    for source, path in (("option", override), ("env", os.environ.get(BROWSER_ENV))):
        if path:
            if not Path(path).exists():
                raise BrowserMissing(path, source=source)
            return BrowserChoice(path, source)
    if _playwright_chromium(playwright):
        return BrowserChoice(None, "playwright")
    system = _system_chromium()
    if system:
        return BrowserChoice(system, "system")
    raise BrowserMissing("no Chromium found")


def launch_args() -> list[str]:
    args = list(QUIET_FLAGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox on
    return args


def launch(playwright, *, headed: bool = False, override: str | None = None):
    choice = choose_browser(playwright, override)
    kwargs = {"headless": not headed, "args": launch_args()}
    if choice.executable:
        kwargs["executable_path"] = choice.executable
    return playwright.chromium.launch(**kwargs), choice


def context_options(device) -> dict:
    opts: dict = {"locale": device.locale, "accept_downloads": False, "service_workers": "block"}
    if device.viewport:
        opts["viewport"] = dict(device.viewport)
    if device.mobile:
        opts.update(is_mobile=True, has_touch=True)
        opts.setdefault("user_agent", "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 "
                                      "(KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36")
    if device.user_agent:
        opts["user_agent"] = device.user_agent
    if device.timezone:
        opts["timezone_id"] = device.timezone
    return opts
