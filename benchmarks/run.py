#!/usr/bin/env python3
"""What the driver and the evidence cost: closure-assistant against a hand-written Playwright script.

    python benchmarks/run.py            # full: 7 runs per variant, 0 and 100 ms latency, 300 (500) profiles
    python benchmarks/run.py --quick    # short: 1 run each, 0 ms only, 50 (100) profiles
    python benchmarks/run.py --json results.json

Measures, on the bundled portals started on 127.0.0.1 with a fixed seed: the wall time of a full
closure (tool with and without evidence versus the hand-written script with and without
screenshots), what each part of the evidence costs, command start-up and its imports, profile
validation throughput and its cost against PyYAML's C loader merely loading the same files (the
"validation ratio", on the larger count in brackets above), and peak memory of Python, Playwright's
driver and Chromium. Prints
Markdown tables (progress goes to stderr) and optionally writes everything as JSON.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

TARGETS = {"tool_vs_script": 1.10, "evidence_vs_script_shots": 1.50, "help_s": 0.30, "validate_vs_c_load": 1.50}
QUICK = {"runs": 1, "latencies": [0], "profiles": 50, "ratio_profiles": 100, "ratio_rounds": 5, "startup_runs": 3,
         "process_runs": 0}
FULL = {"runs": 7, "latencies": [0, 100], "profiles": 300, "ratio_profiles": 500, "ratio_rounds": 7, "startup_runs": 10,
        "process_runs": 3}
EVIDENCE_PARTS = [  # (key, label) in the order a reader follows a run
    ("screenshots", "screenshots (full page, masked)"),
    ("html_snapshots", "HTML snapshots"),
    ("masked_scan", "reading masked values (for scrubbing)"),
    ("manifest", "manifest: hash each file, rewrite manifest.json"),
    ("fsync", "fsync of every file written (evidence, manifest rewrites, report)"),
    ("texts_dialogs", "texts and dialogs"),
    ("screen_texts", "full texts of labelled screens (agreement, notice, retention, result)"),
    ("site_identity", "the site's identity (server address, certificate)"),
    ("report_html", "report: HTML"),
    ("report_pdf", "report: PDF (Chromium print)"),
    ("report_pdf_text", "report: PDF copy/search text fix"),
    ("report_files", "report: write files, sidecar hashes"),
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- numbers and tables

def median(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def secs(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f} s"


def ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 1000:.0f} ms"


def mib(kb: int | None) -> str:
    return "n/a" if not kb else f"{kb / 1024:.0f} MiB"


def load(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(widths[i]) for i, c in enumerate(cells)) + " |"
    return [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *[line(r) for r in rows]]


def verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "n/a"
    return "ok" if value <= limit else "over"


# ---------------------------------------------------------------- the machine

def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info() -> dict:
    from importlib.metadata import version
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(), "cpu": cpu_model(), "os": platform.platform(),
        "python": platform.python_version(), "playwright": version("playwright"),
        "load_at_start": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


# ---------------------------------------------------------------- the measurements

def run_closures(names: list[str], settings: dict, info: dict) -> dict:
    from playwright.sync_api import sync_playwright

    import closure_timing as ct
    import process_closures
    from assistant.driving.browser import launch
    from process_tree import TreeSampler, self_maxrss_kb
    out: dict = {"sites": {}}
    with TreeSampler() as sampler, sync_playwright() as pw:
        browser, choice = launch(pw)
        info["chromium"] = browser.version
        info["browser_executable"] = choice.executable or "Playwright's bundled Chromium"
        out["round_trip_ms"] = ct.round_trip_ms(browser)
        try:
            for name in names:
                # The hand-written yardstick exists for demo-lender; elsewhere: the tool without and with evidence.
                variants = list(ct.VARIANTS)[:5] if name in ct.HANDWRITTEN else ["tool", "tool_evidence"]
                latencies = settings["latencies"] if name in ct.HANDWRITTEN else settings["latencies"][:1]
                warmup = variants if settings["runs"] > 1 else variants[:1]
                for latency in latencies:
                    site = None
                    try:
                        site = ct.site_for(name, latency).start()
                        log(f"closures: {name}, +{latency} ms latency")
                        measured = ct.measure_site(browser, site, settings["runs"], variants, warmup=warmup,
                                                   sampler=sampler, progress=log)
                    except Exception as exc:  # noqa: BLE001 - one portal failing must not lose the others' figures
                        # Reported with everything else (its rows read n/a), then the script exits non-zero.
                        out.setdefault("failures", []).append(f"{name} +{latency} ms: {type(exc).__name__}: {exc}"
                                                              .splitlines()[0][:300])
                        log(f"FAILED: {name} +{latency} ms: {exc}")
                        break
                    finally:
                        if site is not None:
                            site.stop()
                    out["sites"].setdefault(name, {})[str(latency)] = measured
        finally:
            browser.close()
    out["memory_in_process"] = {"python_maxrss_kb": self_maxrss_kb(), "peaks": sampler.peaks}
    if settings["process_runs"]:
        for name in names:
            if name not in ct.HANDWRITTEN:
                continue
            site = None
            try:
                site = ct.site_for(name, 0).start()
                log(f"processes: {name} (fresh interpreter + Chromium launch per run)")
                out.setdefault("processes", {})[name] = process_closures.measure(site, settings["process_runs"], log)
            except Exception as exc:  # noqa: BLE001 - same: keep the rest of the run
                out.setdefault("failures", []).append(f"{name} as a process: {exc}")
                log(f"FAILED: {exc}")
            finally:
                if site is not None:
                    site.stop()
    return out


def run_startup(settings: dict, scratch: Path) -> dict:
    import startup
    log("start-up: commands")
    times = startup.command_times(settings["startup_runs"], scratch / "home-startup")
    log("start-up: import time")
    imports = {"--help": startup.import_profile(["-m", "assistant", "--help"], scratch / "home-startup"),
               "profiles list": startup.import_profile(["-m", "assistant", "profiles", "list"], scratch / "home-startup")}
    return {"times": times, "imports": imports}


def run_profiles(settings: dict, scratch: Path) -> dict:
    import profile_validation as pv
    folder = scratch / "profiles"
    folder.mkdir()
    paths = pv.generate(max(settings["profiles"], settings["ratio_profiles"]), folder)
    throughput = paths[:settings["profiles"]]
    log(f"profiles: loading {len(throughput)} generated profiles in process, then `profiles validate` once")
    results = {"in_process": pv.in_process(throughput), "cli": pv.through_cli(throughput, scratch / "home-profiles")}
    ratio = paths[:settings["ratio_profiles"]]
    log(f"profiles: validating {len(ratio)} against PyYAML's C loader, {settings['ratio_rounds']} rounds side by side")
    results["c_loader_ratio"] = pv.c_loader_ratio(ratio, settings["ratio_rounds"])
    return results


# ---------------------------------------------------------------- the report

def closure_rows(site: dict, latencies: list[str]) -> list[list[str]]:
    import closure_timing as ct
    rows = []
    for variant, label in ct.VARIANTS.items():
        if variant not in site[latencies[0]]["samples"]:
            continue
        cells = [label]
        for lat in latencies:
            samples = site[lat]["samples"].get(variant, [])
            values = [s.seconds for s in samples]
            cells.append(f"{secs(median(values))} (min {min(values):.2f})" if values else "n/a")
        first = site[latencies[0]]["samples"][variant]
        if variant in ("tool_evidence_no_report", "tool_evidence_outcome"):
            cells += ["", "", "", "", ""]
        else:
            calls = median([s.driver_calls for s in first])
            routed = median([s.routed for s in first])
            cells += [str(first[0].screenshots), "n/a" if calls is None else f"{calls:.0f}",
                      "n/a" if routed is None else f"{routed:.0f}", secs(median([s.cpu_s for s in first])),
                      secs(median([s.tree_cpu_s for s in first]))]
        rows.append(cells)
    return rows


def ratios(site: dict, lat: str, measure: str = "seconds") -> dict:
    def med(variant):
        return median([getattr(s, measure) for s in site[lat]["samples"].get(variant, [])])

    def ratio(a, b):
        return None if med(a) is None or med(b) is None else med(a) / med(b)
    return {"tool_vs_script": ratio("tool", "script"),
            "evidence_vs_script_shots": ratio("tool_evidence", "script_shots"),
            "evidence_no_report_vs_script_shots": ratio("tool_evidence_no_report", "script_shots"),
            "evidence_outcome_vs_script_shots": ratio("tool_evidence_outcome", "script_shots"),
            "shots_vs_script_shots": ratio("tool_shots", "script_shots"),
            "evidence_vs_script": ratio("tool_evidence", "script"),
            "evidence_vs_tool": ratio("tool_evidence", "tool")}


def report_lines(results: dict) -> list[str]:
    info, settings = results["machine"], results["settings"]
    lines = [f"## closure-assistant benchmark, {info['date']}", "",
             f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['os']}, Python {info['python']}, "
             f"Playwright {info['playwright']}, Chromium {info.get('chromium', 'n/a')} "
             f"({info.get('browser_executable', 'n/a')}); load average {load(info['load_at_start'])} at start, "
             f"{load(info['load_at_end'])} at end (other work on the machine inflates wall times).",
             f"Mode: {'quick' if settings['quick'] else 'full'}: {settings['runs']} timed run(s) per variant "
             f"(median, min in brackets), latency {', '.join(map(str, settings['latencies']))} ms, portal seed "
             f"{settings['seed']}, one Chromium, a fresh context per run, portal reset before each run. Portals without "
             "a hand-written script: the tool without and with evidence, +0 ms only.", ""]
    closures = results["closures"]
    for name, site in closures["sites"].items():
        lats = list(site)
        lines += [f"### 1. Full closure on {name}: wall time", ""]
        lines += table(["variant", *[f"+{lat} ms latency" for lat in lats], "screenshots",
                        f"driver calls (+{lats[0]} ms)", "routed requests", "Python CPU", "CPU, all processes"],
                       closure_rows(site, lats))
        rows = []
        for key, label, target in (
                ("tool_vs_script", "tool / script, no evidence", TARGETS["tool_vs_script"]),
                ("evidence_vs_script_shots", "tool + full evidence / script + screenshots",
                 TARGETS["evidence_vs_script_shots"]),
                ("evidence_no_report_vs_script_shots", "same, report excluded", None),
                ("evidence_outcome_vs_script_shots", "same, until the outcome is shown (report after it)", None),
                ("shots_vs_script_shots", "tool + screenshots / script + screenshots", None),
                ("evidence_vs_script", "tool + full evidence / script, no evidence", None),
                ("evidence_vs_tool", "tool + full evidence / tool, no evidence", None)):
            values = [ratios(site, lat)[key] for lat in lats]
            if all(v is None for v in values):
                continue
            cells = [label, *["n/a" if v is None else f"{v:.2f}x" for v in values]]
            cells.append(f"<= {target:.2f}x: " + ", ".join(verdict(v, target) for v in values) if target else "")
            rows.append(cells)
        cpu = ratios(site, lats[0], "tree_cpu_s")
        for key, label in (("tool_vs_script", "CPU, all processes: tool / script"),
                           ("evidence_vs_script_shots", "CPU, all processes: tool + evidence / script + screenshots")):
            if cpu[key] is not None:
                rows.append([label, f"{cpu[key]:.2f}x", *([""] * (len(lats) - 1)), "(less sensitive to other load)"])
        if rows:
            lines += ["", *table(["ratio of medians", *[f"+{lat} ms" for lat in lats], "target"], rows)]
        lines.append("")
    if closures.get("round_trip_ms"):
        lines += [f"One driver round trip on an idle page (median of 100 `locator.count()`): "
                  f"{closures['round_trip_ms']:.1f} ms.", ""]
    for name, procs in closures.get("processes", {}).items():
        lines += [f"### 1b. The same closure as a fresh process (interpreter, imports, Chromium launch), {name}, "
                  "+0 ms", ""]
        labels = {"process_script": "python handwritten_demo_lender.py",
                  "process_script_shots": "python handwritten_demo_lender.py --screenshots",
                  "process_cli": "closure-assistant close --yes (full evidence, report, case store)"}
        rows = [[labels[k], f"{secs(median(v['seconds']))} (min {min(v['seconds']):.2f})",
                 mib(v["memory"].get("python_kb")), mib(v["memory"].get("driver_kb")),
                 mib(v["memory"].get("browser_kb")), mib(v["memory"].get("browser_pss_kb"))]
                for k, v in procs.items()]
        lines += table(["process", "wall time", "Python peak (VmHWM)", "driver peak RSS", "Chromium peak, sum RSS",
                        "Chromium peak, sum PSS"], rows)
        lines.append("")
    for failure in closures.get("failures", []):
        lines += [f"### 1. FAILED (no figures): {failure}", ""]
    lines += evidence_lines(closures)
    lines += startup_lines(results["startup"])
    lines += profile_lines(results["profiles"])
    lines += memory_lines(closures)
    return lines


def evidence_lines(closures: dict) -> list[str]:
    site_name = next((n for n, s in closures["sites"].items() if "tool_evidence" in next(iter(s.values()))["samples"]),
                     None)
    if site_name is None:
        return []
    site = closures["sites"][site_name]
    lats = list(site)
    lines = [f"### 2. Cost of evidence per closure ({site_name}, medians)", ""]
    rows = []
    first = site[lats[0]]
    missing = set(first["missing_parts"])
    for key, label in EVIDENCE_PARTS:
        cells = [label]
        for lat in lats:
            runs = site[lat]["samples"]["tool_evidence"]
            cells.append("n/a" if key in missing else ms(median([s.parts.get(key, 0.0) for s in runs])))
        rows.append(cells)
    total = ["sum of the parts above"]
    measured = ["measured: (tool + evidence) - (tool)"]
    shots = ["measured: (tool + plain screenshots) - (tool)"]
    for lat in lats:
        runs = site[lat]["samples"]
        total.append(ms(median([sum(s.parts.values()) for s in runs["tool_evidence"]])))
        for row, variant in ((measured, "tool_evidence"), (shots, "tool_shots")):
            a = median([s.seconds for s in runs.get(variant, [])])
            b = median([s.seconds for s in runs.get("tool", [])])
            row.append(ms(a - b) if a is not None and b is not None else "n/a")
    rows += [total, measured, shots]
    lines += table(["part", *[f"+{lat} ms" for lat in lats]], rows)
    bundle = first["samples"]["tool_evidence"][-1].bundle
    if bundle:
        lines += ["", f"Bundle: {bundle['files']} files, {bundle['bytes'] / 1e6:.2f} MB: "
                      f"{bundle['png_files']} PNG {bundle['png_bytes'] / 1e6:.2f} MB, "
                      f"{bundle['html_files']} HTML snapshots {bundle['html_bytes'] / 1e6:.2f} MB, "
                      f"report.pdf {bundle['report_pdf_bytes'] / 1e6:.2f} MB, "
                      f"report.html {bundle['report_html_bytes'] / 1e6:.2f} MB, "
                      f"manifest.json {bundle['manifest_bytes'] / 1e3:.0f} kB."
                      + (f" Report failed: {bundle['report_error']}" if bundle.get("report_error") else "")]
    return lines + [""]


def startup_lines(startup: dict) -> list[str]:
    lines = ["### 3. Start-up (subprocess `python -m assistant ...`)", ""]
    rows = []
    for name, values in startup["times"].items():
        target = f"<= {TARGETS['help_s']:.2f} s: {verdict(median(values), TARGETS['help_s'])}" if "--help" in name else ""
        rows.append([name, secs(median(values), 3), f"{min(values):.3f} s", str(len(values)), target])
    lines += table(["command", "median", "min", "runs", "target"], rows)
    lines.append("")
    for name, prof in startup["imports"].items():
        top = ", ".join(f"{pkg} {t:.0f} ms" for pkg, t in prof["top"])
        lines.append(f"- `-X importtime {name}`: {prof['total_ms']:.0f} ms of imports; outermost, cumulative: {top}.")
    return lines + [""]


def profile_lines(profiles: dict) -> list[str]:
    inp, cli = profiles["in_process"], profiles["cli"]
    lines = ["### 4. Profile validation throughput", "",
             *table(["how", "profiles", "total", "per profile", "profiles/s", "CPU per profile"], [
                 ["load_profile in process (after a first load)", str(inp["profiles"]), secs(inp["seconds"]),
                  f"{inp['per_profile_ms']:.1f} ms", f"{inp['per_second']:.0f}",
                  f"{1000 * inp['cpu_s'] / inp['profiles']:.1f} ms"],
                 ["closure-assistant profiles validate (CLI, once)", str(cli["profiles"]), secs(cli["seconds"]),
                  f"{1000 * cli['seconds'] / cli['profiles']:.1f} ms", f"{cli['profiles'] / cli['seconds']:.0f}", ""]]),
             "", f"First load in a process (reads and parses the schema): {ms(inp['first_s'])}.", ""]
    ratio = profiles.get("c_loader_ratio")
    if not ratio:
        return lines
    if "missing" in ratio:
        return lines + [f"Validation ratio: n/a ({ratio['missing']}).", ""]
    target = TARGETS["validate_vs_c_load"]
    lines += [f"Validation ratio, {ratio['files']} files side by side in one process (best of {ratio['rounds']} "
              "interleaved rounds):", "",
              *table(["what", "wall time", "CPU time"], [
                  ["PyYAML C loader: yaml.load(CSafeLoader) of each file", secs(ratio["c_load_wall_s"], 3),
                   secs(ratio["c_load_cpu_s"], 3)],
                  ["validate each file (profiles validate's work: parse, schema, meaning, typed profile)",
                   secs(ratio["validate_wall_s"], 3), secs(ratio["validate_cpu_s"], 3)],
                  [f"validation ratio (target <= {target:.2f}x)",
                   f"{ratio['ratio']:.2f}x: {verdict(ratio['ratio'], target)}", f"{ratio['ratio_cpu']:.2f}x"]]), ""]
    return lines


def memory_lines(closures: dict) -> list[str]:
    from process_tree import AVAILABLE
    mem = closures["memory_in_process"]
    lines = ["### 5. Peak memory", ""]
    if not AVAILABLE:
        return lines + ["n/a (needs Linux /proc)", ""]
    rows = [["benchmark process (Python, getrusage maxrss; all in-process runs and the portal)",
             mib(mem["python_maxrss_kb"]), ""]]
    peaks = {label: peak for label, peak in mem["peaks"].items() if ":" in label}  # "site:variant"
    for label, peak in peaks.items():
        site, variant = label.split(":", 1)
        rows.append([f"Chromium tree, {site}, during '{variant}'", mib(peak["browser_kb"]),
                     mib(peak["browser_pss_kb"])])
    if peaks:
        rows.append(["Playwright driver (node)", mib(max(p["driver_kb"] for p in peaks.values())), ""])
    lines += table(["what", "peak of summed RSS", "peak of summed PSS"], rows)
    lines += ["", "Fresh-process peaks (CLI versus script) are in table 1b when the full mode ran it.", ""]
    return lines


# ---------------------------------------------------------------- main

def to_json(value):
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    raise TypeError(type(value).__name__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 run each, latency 0 only, 50 profiles (100 for the validation ratio)")
    parser.add_argument("--json", metavar="FILE", type=Path, help="also write every number as JSON")
    parser.add_argument("--runs", type=int, help=f"timed runs per variant (default {FULL['runs']}; quick 1)")
    parser.add_argument("--process-runs", type=int, help="closures as fresh processes, CLI and script "
                                                         f"(default {FULL['process_runs']}; quick 0)")
    parser.add_argument("--profiles", type=int, help="generated profiles to validate (default 300; quick 50)")
    parser.add_argument("--ratio-profiles", type=int, metavar="N",
                        help="files for the validation ratio against PyYAML's C loader (default 500; quick 100)")
    parser.add_argument("--latency", type=int, action="append", metavar="MS",
                        help="added latency to measure at (repeatable; default full 0 and 100, quick 0)")
    parser.add_argument("--portal", action="append", help="portal to benchmark (default: quick demo-lender, "
                                                          "full every bundled portal with a profile)")
    args = parser.parse_args(argv)
    settings = dict(QUICK if args.quick else FULL)
    for key in ("runs", "process_runs", "profiles", "ratio_profiles"):
        if getattr(args, key) is not None:
            settings[key] = getattr(args, key)
    if args.latency:
        settings["latencies"] = args.latency

    started = time.perf_counter()
    info = machine_info()
    results: dict = {"machine": info, "settings": settings}
    with tempfile.TemporaryDirectory(prefix="closure-bench-") as tmp:
        scratch = Path(tmp)
        os.environ["CLOSURE_ASSISTANT_HOME"] = str(scratch / "home")  # the user's data and profiles stay out of it
        import closure_timing as ct
        from assistant.portals import PORTALS
        from assistant.profiles.registry import profile_paths
        names = args.portal or (["demo-lender"] if args.quick else [n for n in PORTALS if n in profile_paths()])
        settings.update(quick=args.quick, seed=ct.SEED, portals=names)
        results["startup"] = run_startup(settings, scratch)
        results["profiles"] = run_profiles(settings, scratch)
        results["closures"] = run_closures(names, settings, info)
    info["load_at_end"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    info["benchmark_seconds"] = round(time.perf_counter() - started, 1)
    results["ratios"] = {name: {lat: ratios(site, lat) for lat in site}
                         for name, site in results["closures"]["sites"].items()}
    lines = report_lines(results)
    lines.append(f"(benchmark took {info['benchmark_seconds']:.0f} s)")
    failures = results["closures"].get("failures", [])  # shown in place of their figures (section 1)
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(results, default=to_json, ensure_ascii=False, indent=2), "utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
