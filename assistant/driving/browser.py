"""Finding and launching Chromium. The only module that touches Playwright's launch machinery."""
from __future__ import annotations

import functools
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from assistant import interrupts
from assistant.errors import BrowserMissing, NoDisplay
from assistant.messages import say

BROWSER_ENV = "CLOSURE_ASSISTANT_BROWSER"
# Playwright's words when the browser or its driver died under the run (not the site's doing).
BROWSER_GONE = re.compile(r"Target crashed|Browser closed|browser has been closed|Browser has disconnected|"
                          r"Connection closed|connection was closed|Playwright connection|driver .*(closed|exited)",
                          re.IGNORECASE)
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
    raise BrowserMissing(say("browser.none_found"))


# Chromium features the assistant turns off on top of Playwright's own list. RenderDocument gives every
# cross-document navigation a fresh renderer-side frame: off, a navigation costs about a third less CPU
# (a closure walks through some twenty pages) and nothing a run relies on changes.
EXTRA_DISABLED_FEATURES = ("RenderDocument",)
_FEATURE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


@functools.lru_cache(maxsize=1)
def playwright_disabled_features() -> tuple[str, ...] | None:
    """The features the installed Playwright disables at every launch, read from its driver; None when they
    cannot be read. Chromium keeps only the last --disable-features it is given, so a list of ours must
    carry Playwright's too, or its choices (HTTPS upgrades, paint holding, ...) would silently be lost."""
    try:
        import playwright
        lib = Path(playwright.__file__).resolve().parent / "driver" / "package" / "lib"
        sources = [lib / "coreBundle.js", lib / "server" / "chromium" / "chromiumSwitches.js"]
        for source in sources:
            if not source.is_file():
                continue
            text = source.read_text("utf-8", errors="replace")
            at = text.find("--disable-features=")
            if at < 0:
                continue
            literal = re.match(r"--disable-features=([A-Za-z0-9,]+)['\"`]", text[at:at + 4000])
            if literal:  # older drivers: the list written out in the switch itself
                names = literal.group(1).split(",")
            else:  # newer drivers: "--disable-features=" + disabledFeatures(...).join(",")
                array = re.search(r"disabledFeatures\s*=\s*(?:\([^)]*\)\s*=>\s*)?\[(.*?)\]", text, re.DOTALL)
                if not array:
                    continue
                body = re.sub(r"//[^\n]*", "", array.group(1))
                names = re.findall(r"['\"]([A-Za-z0-9]+)['\"]", body)
            names = [n for n in names if _FEATURE_NAME.match(n)]
            if names:
                return tuple(dict.fromkeys(names))
    except Exception:  # noqa: BLE001 - any surprise: leave Playwright's switches alone
        return None
    return None


def disabled_features_arg() -> str | None:
    """One --disable-features holding Playwright's list and ours; None (Playwright's stands) when its list
    cannot be read."""
    theirs = playwright_disabled_features()
    if not theirs:
        return None
    return "--disable-features=" + ",".join(dict.fromkeys((*theirs, *EXTRA_DISABLED_FEATURES)))


def launch_args() -> list[str]:
    args = list(QUIET_FLAGS)
    features = disabled_features_arg()
    if features:
        args.append(features)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox on
    return args


def display_problem() -> str | None:
    """Why a visible browser cannot be shown here, or None. Only Linux and the BSDs need an X or
    Wayland display; macOS and Windows always have their own."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")) and \
            not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return say("display.none")
    return None


# What Chromium says when it cannot open a window (a display that is set but dead, or unreachable).
_NO_DISPLAY_SIGNS = ("Missing X server", "$DISPLAY", "cannot open display", "Failed to connect to Wayland")


def launch(playwright, *, headed: bool = False, override: str | None = None):
    choice = choose_browser(playwright, override)
    if headed and display_problem():
        raise NoDisplay(display_problem(), reason="no_display")
    kwargs = {"headless": not headed, "args": launch_args()}
    if choice.executable:
        kwargs["executable_path"] = choice.executable
    try:
        return playwright.chromium.launch(**kwargs), choice
    except Exception as exc:  # noqa: BLE001 - Playwright's launch error: read what it says
        text = str(exc)
        if headed and any(sign in text for sign in _NO_DISPLAY_SIGNS):
            raise NoDisplay(text.strip().splitlines()[0][:200], reason="no_display") from None
        raise


def close_quietly(*closers) -> None:
    """Close browser objects at the end of a run. After the user's Ctrl-C, or when the browser or its
    driver crashed, they are already gone, so a failing close is expected and must not hide the stop or
    the run's own record; any other failure is raised."""
    failure = None
    for close in closers:
        try:
            close()
        except Exception as exc:  # noqa: BLE001 - decided below
            if not (interrupts.requested() or BROWSER_GONE.search(str(exc))) and failure is None:
                failure = exc
    if failure is not None:
        raise failure


def context_options(device, *, downloads: bool = False) -> dict:
    """`downloads`: the profile has a `download` step. Otherwise the browser keeps no download at all (the
    executor also refuses and cancels every download no download step asked for)."""
    opts: dict = {"locale": device.locale, "accept_downloads": downloads, "service_workers": "block"}
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
