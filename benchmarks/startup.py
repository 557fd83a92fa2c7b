"""How long the command line takes to start, and which imports that time goes to."""
from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def child_env(home: Path) -> dict:
    """The user's data directory and keyring stay untouched; the checkout is importable."""
    env = dict(os.environ, CLOSURE_ASSISTANT_HOME=str(home), XDG_DATA_HOME=str(home / "xdg-data"),
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")  # keeps nothing
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def wall(argv: list[str], env: dict, *, expect: int = 0) -> float:
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    seconds = time.perf_counter() - started
    if proc.returncode != expect:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
    return seconds


COMMANDS = {
    "python -c pass (interpreter floor)": ["-c", "pass"],
    "closure-assistant --help": ["-m", "assistant", "--help"],
    "closure-assistant profiles list": ["-m", "assistant", "profiles", "list"],
}


def command_times(runs: int, home: Path) -> dict[str, list[float]]:
    env = child_env(home)
    out: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for name, args in COMMANDS.items():  # one untimed run each: the first start pays for .pyc files
        wall([sys.executable, *args], env)
    for _ in range(runs):
        for name, args in COMMANDS.items():
            out[name].append(wall([sys.executable, *args], env))
    return out


def import_profile(args: list[str], home: Path, runs: int = 3) -> dict:
    """`python -X importtime`, `runs` times (medians): all import time, and the outermost imports by
    cumulative time (an import made inside a function, like jsonschema, shows up there on its own)."""
    totals, outer = [], defaultdict(list)
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=ROOT, env=child_env(home),
                              capture_output=True, text=True, timeout=120)
        total = 0
        for line in proc.stderr.splitlines():
            match = IMPORT_LINE.match(line)
            if not match:
                continue
            self_us, cumulative_us, indent, module = match.groups()
            total += int(self_us)
            if len(indent) <= 1:
                outer[module].append(int(cumulative_us) / 1000)
        totals.append(total / 1000)
    top = sorted(((name, median(ms + [0.0] * (runs - len(ms)))) for name, ms in outer.items()),
                 key=lambda kv: -kv[1])[:6]
    return {"total_ms": median(totals), "top": top}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
