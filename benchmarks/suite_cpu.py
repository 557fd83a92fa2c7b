"""Where the test suite's CPU goes: a pytest plugin that charges every test with the CPU it cost.

    .venv/bin/python -m pytest -q -p benchmarks.suite_cpu --suite-cpu=/tmp/suite-cpu

The suite is CPU-bound on a 2-CPU machine (all workers together keep both CPUs busy), so wall-clock
durations (`--durations`) mostly say how many other tests ran beside a test, not what it costs. This
plugin measures, for each test (setup, call and teardown together), the CPU time of the pytest process
and of everything below it: Playwright's driver, Chromium and its helpers, commands the test started.
Chromium's helper processes outlive their parent when a browser closes (they would be adopted by init,
and their CPU lost), so each pytest process makes itself their child subreaper (Linux; on other systems
the plugin only warns): processes that end during the run stay as zombies under it until it exits, and
their CPU stays counted.

Each process writes its rows (one JSON line per test: id, cpu seconds, wall seconds) under the folder
given; the process that started the run prints the figures by file and the costliest tests at the end,
with the whole machine's busy share over the run (a share near 100 % means CPU, not waiting, sets the
suite's time).
"""
from __future__ import annotations

import collections
import ctypes
import json
import os
import sys
import time
from pathlib import Path

import pytest

from benchmarks.process_tree import AVAILABLE, tree_cpu_seconds

PR_SET_CHILD_SUBREAPER = 36
TOP_TESTS = 25


def pytest_addoption(parser):
    parser.addoption("--suite-cpu", metavar="DIR", help="folder for the per-test CPU rows (benchmarks/suite_cpu.py)")


def _folder(config) -> Path | None:
    value = config.getoption("--suite-cpu")
    return Path(value) if value else None


def _machine_busy() -> tuple[int, int]:
    """(busy, total) clock ticks of the whole machine since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def pytest_configure(config):
    folder = _folder(config)
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    if AVAILABLE:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    else:
        print("suite_cpu: /proc is Linux-only; no figures on this system", file=sys.stderr)
    if not hasattr(config, "workerinput"):  # the process that started the run, before any test or worker
        for old in folder.glob("*.jsonl"):  # rows of an earlier run in the same folder
            old.unlink()
        config._suite_cpu_start = (_machine_busy(), time.monotonic())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    folder = _folder(item.config)
    if folder is None or not AVAILABLE:
        yield
        return
    cpu0, wall0 = tree_cpu_seconds(), time.monotonic()
    yield
    cpu1, wall1 = tree_cpu_seconds(), time.monotonic()
    worker = getattr(item.config, "workerinput", {}).get("workerid", "main")  # not the environment: a nested run inherits it
    with open(folder / f"{worker}.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps({"id": item.nodeid, "cpu": round(cpu1 - cpu0, 2), "wall": round(wall1 - wall0, 2)}) + "\n")


def pytest_terminal_summary(terminalreporter, config):
    folder = _folder(config)
    start = getattr(config, "_suite_cpu_start", None)
    if folder is None or start is None or not AVAILABLE:
        return
    (busy0, total0), wall0 = start
    busy1, total1 = _machine_busy()
    rows = [json.loads(line) for path in sorted(folder.glob("*.jsonl")) for line in path.read_text("utf-8").splitlines()]
    write = terminalreporter.write_line
    tick = os.sysconf("SC_CLK_TCK")
    write("")
    write(f"suite CPU: {sum(r['cpu'] for r in rows):.0f} CPU-s charged to {len(rows)} tests; the machine was "
          f"{100 * (busy1 - busy0) / max(1, total1 - total0):.0f} % busy ({(busy1 - busy0) / tick:.0f} CPU-s) "
          f"over {time.monotonic() - wall0:.0f} s on {os.cpu_count()} CPUs")
    by_file: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0, 0])
    for row in rows:
        entry = by_file[row["id"].split("::")[0]]
        entry[0] += row["cpu"]
        entry[1] += row["wall"]
        entry[2] += 1
    write(f"{'CPU-s':>8} {'wall-s':>8} {'tests':>5}  file")
    for name, (cpu, wall, count) in sorted(by_file.items(), key=lambda kv: -kv[1][0]):
        write(f"{cpu:8.1f} {wall:8.1f} {count:5d}  {name}")
    write(f"the {TOP_TESTS} costliest tests:")
    for row in sorted(rows, key=lambda r: -r["cpu"])[:TOP_TESTS]:
        write(f"{row['cpu']:8.1f} {row['wall']:8.1f}         {row['id']}")
