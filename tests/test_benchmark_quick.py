"""`benchmarks/run.py --quick` runs end to end and prints every table.

No timing is asserted: performance claims come from the script's own output (README, Benchmark).
What is asserted is that every variant really closed the account (the script exits non-zero when a
timed run did not) and that the comparison is like for like.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEADINGS = ("### 1. Full closure on demo-lender", "### 2. Cost of evidence", "### 3. Start-up",
            "### 4. Profile validation throughput", "### 5. Peak memory")
VARIANTS = ("script", "script_shots", "tool", "tool_shots", "tool_evidence")


@pytest.mark.slow
def test_quick_benchmark_prints_the_tables_and_compares_like_for_like(tmp_path):
    results = tmp_path / "benchmark.json"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", str(results)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for heading in HEADINGS:
        assert heading in proc.stdout, heading
    for row in ("hand-written Playwright script", "tool / script, no evidence",
                "tool + full evidence / script + screenshots", "closure-assistant --help",
                "closure-assistant profiles validate", "validation ratio (target <= 1.50x)"):
        assert row in proc.stdout, row
    assert "Chromium" in proc.stdout and "CPUs" in proc.stdout  # the machine line

    data = json.loads(results.read_text("utf-8"))
    samples = data["closures"]["sites"]["demo-lender"]["0"]["samples"]
    for variant in VARIANTS:
        assert len(samples[variant]) == 1 and samples[variant][0]["seconds"] > 0, variant
    # Same evidence on both sides: one full-page screenshot per step, as many for the tool as for the script.
    shots = samples["script_shots"][0]["screenshots"]
    assert shots > 15
    assert samples["tool_shots"][0]["screenshots"] == shots
    assert samples["tool_evidence"][0]["bundle"]["png_files"] == shots
    assert samples["script"][0]["screenshots"] == samples["tool"][0]["screenshots"] == 0
    assert data["profiles"]["in_process"]["profiles"] == 50
    # Validating against PyYAML's C loader merely loading the same 100 files, measured side by side.
    ratio = data["profiles"]["c_loader_ratio"]
    assert ratio["files"] == 100 and ratio["c_load_wall_s"] > 0 and ratio["validate_wall_s"] > 0
    assert ratio["ratio"] == ratio["validate_wall_s"] / ratio["c_load_wall_s"]
    assert len(data["startup"]["times"]["closure-assistant --help"]) == 3
