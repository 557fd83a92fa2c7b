"""Peak memory and CPU time of a process tree, read from /proc (Linux only; psutil is not a dependency).

The Python process drives Playwright's driver (a node process), which starts Chromium (a browser
process plus renderers, GPU and utility processes). Chromium's footprint is the sum over its
processes. RSS counts a shared page once in every process that maps it, so the RSS sum overstates;
PSS (smaps_rollup) splits shared pages between the processes, so its sum is the fair total.
"""
from __future__ import annotations

import os
import resource
import sys
import threading
from pathlib import Path

AVAILABLE = sys.platform.startswith("linux") and Path("/proc/self/status").exists()
KEYS = ("python_kb", "driver_kb", "browser_kb", "browser_pss_kb")


def children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def descendants(pid: int) -> list[int]:
    out, todo = [], children(pid)
    while todo:
        child = todo.pop()
        out.append(child)
        todo += children(child)
    return out


def status_kb(pid: int, key: str) -> int:
    """VmRSS / VmHWM of one process in kB; 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def cpu_seconds(pid: int) -> float:
    """User + system time of a process and of its children it has reaped (Chromium's zygote reaps
    the renderers of closed contexts, so their time is not lost)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    # After the command name: state is fields[0]; utime, stime, cutime, cstime are stat fields 14-17.
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(root: int | None = None) -> float | None:
    """CPU time so far of `root` (default: this process) and everything below it; None off Linux."""
    if not AVAILABLE:
        return None
    root = root or os.getpid()
    return sum(cpu_seconds(pid) for pid in [root, *descendants(root)])


def self_maxrss_kb() -> int:
    # Linux reports kB, macOS bytes.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


class TreeSampler:
    """Samples a process tree in the background: peak of the Python root, the driver, and the browser sum.

    `label` names what is running now (a benchmark variant); peaks are kept per label. Sampling
    must not disturb what it measures on a 2-core machine: RSS (cheap) every `interval_s`, the
    process list every 4th sample, PSS (smaps_rollup walks page tables: ~20 ms) every 12th.
    """

    def __init__(self, root_pid: int | None = None, interval_s: float = 0.25):
        self.root = root_pid or os.getpid()
        self.interval = interval_s
        self.label = "-"
        self.peaks: dict[str, dict[str, int]] = {}
        self._tree: tuple[list[int], list[int]] = ([], [])  # (driver pids, browser pids)
        self._ticks = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "TreeSampler":
        if AVAILABLE:
            self._thread = threading.Thread(target=self._loop, name="memory-sampler", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.sample(full=True)  # one last look before the caller reaps anything

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._ticks += 1
            self.sample(full=self._ticks % 12 == 1)

    def _find_tree(self) -> None:
        drivers, browser = [], []
        for child in children(self.root):
            if comm(child).startswith("node"):
                drivers.append(child)
                browser += descendants(child)
        self._tree = (drivers, browser)

    def sample(self, full: bool = False) -> None:
        if not AVAILABLE:
            return
        if full or self._ticks % 4 == 1 or not self._tree[0]:
            self._find_tree()
        drivers, browser = self._tree
        now = {"python_kb": status_kb(self.root, "VmHWM"),
               "driver_kb": sum(status_kb(p, "VmRSS") for p in drivers),
               "browser_kb": sum(status_kb(p, "VmRSS") for p in browser),
               "browser_pss_kb": sum(pss_kb(p) for p in browser) if full else 0}
        peak = self.peaks.setdefault(self.label, dict.fromkeys(KEYS, 0))
        for key, value in now.items():
            peak[key] = max(peak[key], value)

    def overall(self) -> dict[str, int]:
        out = dict.fromkeys(KEYS, 0)
        for peak in self.peaks.values():
            for key in out:
                out[key] = max(out[key], peak[key])
        return out
