"""benchmarks/suite_cpu.py charges a test with the CPU of processes it started, even of one that outlived its
parent (as Chromium's helpers outlive a closed browser): without its subreaper that CPU would be lost."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks.process_tree import AVAILABLE
from tests.conftest import ROOT

BURN_S = 1.0
INNER_TEST = f'''
import subprocess, sys, time
from pathlib import Path


def test_burn(tmp_path):
    done = tmp_path / "done"
    burn = ("import time, pathlib\\nt = time.process_time()\\n"
            "while time.process_time() - t < {BURN_S}: pass\\n"
            f"pathlib.Path({{str(done)!r}}).write_text('1')\\n")
    # A child starts the burner and exits at once: the burner is an orphan from then on.
    subprocess.run([sys.executable, "-c", "import subprocess, sys; subprocess.Popen([sys.executable, '-c', "
                    + repr(burn) + "])"], check=True)
    deadline = time.monotonic() + 60
    while not done.exists() and time.monotonic() < deadline:  # the burner says when it has finished
        time.sleep(0.05)
    assert done.exists()
'''


@pytest.mark.skipif(not AVAILABLE, reason="reads /proc")
def test_an_orphaned_process_is_charged_to_the_test_that_started_it(tmp_path):
    (tmp_path / "test_burn.py").write_text(INNER_TEST, "utf-8")
    rows = tmp_path / "rows"
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider",
                           "-p", "benchmarks.suite_cpu", f"--suite-cpu={rows}", str(tmp_path / "test_burn.py")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    [row] = [json.loads(line) for line in (rows / "main.jsonl").read_text("utf-8").splitlines()]
    assert row["id"].endswith("test_burn.py::test_burn")
    assert row["cpu"] >= BURN_S * 0.9, row  # the orphan's second is in it
    assert "suite CPU:" in proc.stdout and "test_burn.py" in proc.stdout  # the summary by file
