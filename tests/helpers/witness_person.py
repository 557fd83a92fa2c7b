"""A person at the browser `closure-assistant witness --headless` opened, played by a test over a second
Playwright connection (tests/helpers/cli_witness.py opens the port): they see the page, click and type
on it, answer the site's dialogs, and use the witness's toolbar, which they find the way an eye does:
its buttons' boxes on the screen (the toolbar sits in a closed shadow root no page script can reach).
"""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
HOST_TAG = "closure-assistant-witness"
STEPS_JS = f"() => Number((document.querySelector('{HOST_TAG}') || {{dataset: {{}}}}).dataset.steps || 0)"
# The tool has captured more than `n` steps, has nothing left to look at, and its last capture is this page.
CAUGHT_UP_JS = f"""n => {{ const d = (document.querySelector('{HOST_TAG}') || {{dataset: {{}}}}).dataset;
  return Number(d.steps || 0) > n && d.pending === '0' && d.seen === location.href; }}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_witness(port: int, args: list[str], answers: str, env: dict | None = None) -> subprocess.Popen:
    """The witness command in its own process; `answers` are what the person types in the terminal at the end."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "helpers" / "cli_witness.py"), str(port),
                             "witness", *args, "--headless"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    proc.stdin.write(answers)
    proc.stdin.close()
    return proc


def outcome(proc: subprocess.Popen, timeout_s: float = 180) -> tuple[int, str, str]:
    """The command's exit status and what it printed, once it ends (its answers were given at the start)."""
    code = proc.wait(timeout=timeout_s)
    return code, proc.stdout.read(), proc.stderr.read()


class ScriptedPerson:
    def __init__(self, playwright, port: int, proc: subprocess.Popen, timeout_s: float = 60):
        self.proc = proc
        self.dialogs: list[tuple[str, str]] = []
        deadline = time.monotonic() + timeout_s
        # The command is starting its browser, then its page. A connection sees the contexts that exist when
        # it is made, so until the page is there: connect, look, let go, again (bounded; fails fast if the
        # command died).
        while True:
            try:
                self.browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
            except PlaywrightError:
                self.browser = None
            pages = [p for c in self.browser.contexts for p in c.pages
                     if p.url.startswith("http")] if self.browser else []
            if pages:
                self.use(pages[0])
                return
            if self.browser is not None:
                self.browser.close()
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the witness never opened its page: {_output(proc)}")
            time.sleep(0.2)

    def use(self, page) -> None:
        self.page = page
        page.set_default_timeout(20_000)
        page.on("dialog", self._answer)

    def _answer(self, dialog) -> None:
        self.dialogs.append((dialog.type, dialog.message))
        dialog.accept()  # the person reads it and says OK

    # ------------------------------------------------------------ waiting for the tool, as a person glances at its count

    def steps(self) -> int:
        for _attempt in range(20):
            try:
                return self.page.evaluate(STEPS_JS)
            except PlaywrightError:
                self.page.wait_for_load_state("domcontentloaded")  # the page was being replaced
        return 0

    def wait_for_capture(self, before: int, timeout_s: float = 20) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                self.page.wait_for_load_state()
                self.page.wait_for_function(CAUGHT_UP_JS, arg=before,
                                            timeout=max(100, int((deadline - time.monotonic()) * 1000)))
                return
            except PlaywrightError:
                continue  # a new document: its toolbar asks the tool for the count again
        state = self.page.evaluate(f"() => Object.assign({{href: location.href}}, (document.querySelector('{HOST_TAG}') || {{}}).dataset)")
        raise AssertionError(f"the witness did not catch up after step {before}: {state}")

    def act(self, do) -> None:
        """Do something the tool captures as a step, and wait, as a person glancing at the toolbar would,
        until the tool has captured it and the page it led to."""
        before = self.steps()
        do()
        self.wait_for_capture(before)

    # ------------------------------------------------------------ the toolbar

    def _box(self, act: str, screen: str | None = None) -> tuple[float, float]:
        cdp = self.page.context.new_cdp_session(self.page)
        try:
            root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
            node = _find(root, act, screen)
            assert node is not None, f"no toolbar button {act} {screen or ''}"
            quad = cdp.send("DOM.getBoxModel", {"nodeId": node["nodeId"]})["model"]["content"]
        finally:
            cdp.detach()
        return sum(quad[0::2]) / 4, sum(quad[1::2]) / 4

    def press(self, act: str, screen: str | None = None) -> None:
        x, y = self._box(act, screen)
        self.page.mouse.click(x, y)

    def mark(self, screen: str) -> None:
        self.press("mark")
        self.act(lambda: self.press("screen", screen))

    def note(self, text: str) -> None:
        self.press("note")
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")

    def hide(self, locator) -> None:
        self.press("hide")
        box = locator.bounding_box()
        self.act(lambda: self.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))

    def finish(self) -> None:
        self.press("finish")

    def close(self) -> None:
        try:
            self.browser.close()  # the connection only: the witness's browser is the witness's
        except PlaywrightError:
            pass


def _output(proc: subprocess.Popen) -> str:
    if proc.poll() is None:
        proc.kill()
    return f"exit {proc.wait()}\n{proc.stdout.read()}\n{proc.stderr.read()}"


def _find(node: dict, act: str, screen: str | None):
    attrs = node.get("attributes") or []
    pairs = dict(zip(attrs[0::2], attrs[1::2]))
    if pairs.get("data-act") == act and (screen is None or pairs.get("data-screen") == screen):
        return node
    for child in [*(node.get("children") or []), *(node.get("shadowRoots") or [])]:
        found = _find(child, act, screen)
        if found is not None:
            return found
    return None
