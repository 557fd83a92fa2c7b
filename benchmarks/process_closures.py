"""A closure as a user starts it: a fresh process that launches its own Chromium, CLI versus hand-written.

This adds what the in-process timings leave out: interpreter start-up, imports, the browser launch,
the case store and the progress display. The process tree is sampled for peak memory meanwhile.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from process_tree import TreeSampler
from startup import ROOT, child_env

READ_CODE = ROOT / "tests" / "helpers" / "read_code.py"
HANDWRITTEN = Path(__file__).resolve().parent / "handwritten_demo_lender.py"


def _run(argv: list[str], stdin: str, env: dict) -> tuple[float, dict, str]:
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    with TreeSampler(proc.pid, interval_s=0.1) as sampler:
        out, err = proc.communicate(stdin, timeout=300)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[1:4]} exited {proc.returncode}: {err.strip()[-600:]}")
    return seconds, sampler.overall(), out


def cli_close(site, scratch: Path) -> tuple[float, dict]:
    argv = [sys.executable, "-m", "assistant", "close", site.name, "--account", site.account,
            "--base-url", site.base_url, "--password-stdin", "--yes", "--lang", "en",
            "--code-command", f"{sys.executable} {READ_CODE}",
            "--evidence-dir", str(scratch / "evidence"), "--db", str(scratch / "cases.sqlite3")]
    seconds, memory, out = _run(argv, site.password + "\n", child_env(scratch / "home"))
    if "ZX" not in out:
        raise RuntimeError(f"closure-assistant close printed no application number: {out[-300:]}")
    return seconds, memory


def script_close(site, scratch: Path, screenshots: bool) -> tuple[float, dict]:
    argv = [sys.executable, str(HANDWRITTEN), site.base_url, site.account]
    if screenshots:
        (scratch / "shots").mkdir()
        argv += ["--screenshots", str(scratch / "shots")]
    seconds, memory, out = _run(argv, site.password + "\n", child_env(scratch / "home"))
    if not out.startswith("ZX"):
        raise RuntimeError(f"hand-written script printed no application number: {out[-300:]}")
    return seconds, memory


def measure(site, runs: int, progress=print) -> dict:
    """{name: {"seconds": [...], "memory": peak kB of python, driver, browser}} for each kind of process."""
    kinds = {"process_script": lambda d: script_close(site, d, screenshots=False),
             "process_script_shots": lambda d: script_close(site, d, screenshots=True),
             "process_cli": lambda d: cli_close(site, d)}
    out = {name: {"seconds": [], "memory": {}} for name in kinds}
    for round_no in range(runs):
        for name, run in kinds.items():
            site.client.reset()
            with tempfile.TemporaryDirectory(prefix="bench-proc-") as scratch:
                seconds, memory = run(Path(scratch))
            site.check_closed(name)
            out[name]["seconds"].append(seconds)
            for key, value in memory.items():
                out[name]["memory"][key] = max(out[name]["memory"].get(key, 0), value)
            progress(f"  {site.name} {name:20s} run {round_no + 1}/{runs}: {seconds:.2f} s")
    return out
