"""Throughput of profile loading and validation over a few hundred generated profiles, and its cost
against PyYAML's C loader merely loading the same files."""
from __future__ import annotations

import gc
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
    proc = subprocess.run([sys.executable, "-m", "assistant", "profiles", "validate", *map(str, paths), "--lang", "en"],
                          cwd=ROOT, env=child_env(home), capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - started
    if proc.returncode != 0 or f"{len(paths)} valid" not in proc.stderr:
        raise RuntimeError(f"profiles validate exited {proc.returncode}: {proc.stdout[-300:]} {proc.stderr[-300:]}")
    return {"profiles": len(paths), "seconds": seconds}


def c_loader_ratio(paths: list[Path], rounds: int) -> dict:
    """`profiles validate`'s work on N files against yaml.load(CSafeLoader) of the same N files.

    Side by side in this one process: a warm-up of each (file cache, imports, the compiled schema),
    then `rounds` rounds of C load, validate, C load, validate, ...; the best round of each side, in
    wall and CPU time. The ratio is validate / C load: what checking costs over merely reading.
    """
    import yaml
    from assistant.profiles.loader import validate_paths
    if not hasattr(yaml, "CSafeLoader"):
        return {"files": len(paths), "missing": "PyYAML without libyaml (no CSafeLoader)"}

    def c_load():
        for path in paths:
            yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)

    def validate():
        problems = validate_paths(paths)
        if problems:
            raise RuntimeError(f"generated profiles did not validate: {problems[:3]}")

    sides = {"c_load": c_load, "validate": validate}
    best = {name: {"wall_s": float("inf"), "cpu_s": float("inf")} for name in sides}
    for fn in sides.values():
        fn()
    for _ in range(rounds):
        for name, fn in sides.items():
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            best[name]["wall_s"] = min(best[name]["wall_s"], time.perf_counter() - wall)
            best[name]["cpu_s"] = min(best[name]["cpu_s"], time.process_time() - cpu)
    return {"files": len(paths), "rounds": rounds, **{f"{name}_{k}": v for name, b in best.items() for k, v in b.items()},
            "ratio": best["validate"]["wall_s"] / best["c_load"]["wall_s"],
            "ratio_cpu": best["validate"]["cpu_s"] / best["c_load"]["cpu_s"]}
