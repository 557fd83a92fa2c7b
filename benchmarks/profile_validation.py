"""Throughput of profile loading and validation over a few hundred generated profiles."""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from startup import ROOT, child_env

BUNDLED = ROOT / "site_profiles"


def generate(count: int, folder: Path) -> list[Path]:
    """Variants of the bundled profiles, each with its own id and matching file name."""
    sources = sorted(BUNDLED.glob("*.yaml"))
    paths = []
    for i in range(count):
        source = sources[i % len(sources)]
        new_id = f"{source.stem}-bench-{i:04d}"
        text = source.read_text("utf-8")
        text, n = re.subn(rf"(?m)^id:\s*{re.escape(source.stem)}\s*$", f"id: {new_id}", text)
        if n != 1:
            raise RuntimeError(f"{source}: could not rename its id")
        path = folder / f"{new_id}.yaml"
        path.write_text(text, "utf-8")
        paths.append(path)
    return paths


def in_process(paths: list[Path]) -> dict:
    from assistant.profiles.loader import load_profile
    started = time.perf_counter()
    load_profile(paths[0])  # the first load also reads the schema
    first = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        load_profile(path)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"profiles": len(paths), "first_s": first, "seconds": seconds, "cpu_s": cpu, "per_profile_ms": 1000 * seconds / len(paths),
            "per_second": len(paths) / seconds}


def through_cli(paths: list[Path], home: Path) -> dict:
    import subprocess
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "assistant", "profiles", "validate", *map(str, paths)],
                          cwd=ROOT, env=child_env(home), capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - started
    if proc.returncode != 0 or f"{len(paths)} valid" not in proc.stderr:
        raise RuntimeError(f"profiles validate exited {proc.returncode}: {proc.stdout[-300:]} {proc.stderr[-300:]}")
    return {"profiles": len(paths), "seconds": seconds}
