"""closure-assistant evidence verify DIR | report DIR | list"""
from __future__ import annotations

import os
import json
import re
import sys
from pathlib import Path

from assistant.cli.commands import add_command, common_options, timestamp_authorities, tsa_options
from assistant.errors import EnvironmentProblem

DESCRIPTION = """Check, print and find the evidence folders the tool keeps for every run.

  verify DIR   is the folder intact? Names every file that was altered, removed, added or
               reordered; the exit status says which (0 intact, 10 altered, 11 missing,
               12 added, 13 reordered or chain broken, 14 intact but the run did not finish)
  report DIR   (re)build report.html and report.pdf in the folder
  timestamp DIR  ask a time-stamping authority (RFC 3161) for a trusted timestamp over the folder's
               evidence fingerprint, when the run could not get one (exit 9: no authority answered)
  list         the runs on this computer, newest first

A trusted timestamp is checked by `verify`: the authority's signature (against this computer's
trusted roots, or the certificate given with --tsa-ca), and that it certifies the fingerprint of the
manifest as it is now; it prints the authority's name and time.

Only the regular files inside DIR are read: a manifest entry naming a file outside the folder
(an absolute path, ../), a symbolic link or a device is reported as "not part of the evidence"
and never opened.

examples:
  closure-assistant evidence list
  closure-assistant evidence verify ~/.local/share/closure-assistant/evidence/20261129T044449Z-demo-lender-0001-d7f2988b
  closure-assistant evidence verify DIR --fingerprint 54f4c0d1e2b3a49f   (the value printed at the end of the run: all of it, or its first 16+ characters)
  closure-assistant evidence report DIR
  closure-assistant evidence timestamp DIR --tsa http://timestamp.example.com/
"""


def add_parser(sub):
    p = add_command(sub, "evidence", "verify, report on and list evidence folders",
                    lambda a, lang: _no_action(p), DESCRIPTION)
    esub = p.add_subparsers(dest="evidence_command", metavar="ACTION")
    pver = esub.add_parser("verify", help="check a folder's hash chain and files")
    pver.add_argument("directory", type=Path, metavar="DIR")
    pver.add_argument("--fingerprint", "--final-hash", dest="fingerprint", metavar="VALUE",
                      help="the evidence fingerprint shown at the end of the run (all 64 characters, or at least "
                           "its first 16); catches entries cut off the end")
    ca_option(pver)
    pver.set_defaults(handler=run_verify)
    common_options(pver)
    pts = esub.add_parser("timestamp", help="add a trusted timestamp (RFC 3161) to a folder that has none")
    pts.add_argument("directory", type=Path, metavar="DIR")
    tsa_options(pts)
    ca_option(pts)
    pts.add_argument("--browser-path", metavar="PATH", help="Chromium/Chrome executable used to print the PDF")
    pts.set_defaults(handler=run_timestamp)
    common_options(pts)
    prep = esub.add_parser("report", help="(re)build report.html and report.pdf for a folder")
    prep.add_argument("directory", type=Path, metavar="DIR")
    prep.add_argument("--browser-path", metavar="PATH", help="Chromium/Chrome executable used to print the PDF")
    prep.set_defaults(handler=run_report)
    common_options(prep)
    plist = esub.add_parser("list", help="the runs on this computer, newest first")
    plist.add_argument("--evidence-dir", metavar="DIR", type=Path, action="append", default=[],
                       help="also look here (repeatable); the default folder is always searched")
    plist.set_defaults(handler=run_list)
    common_options(plist)


def ca_option(p) -> None:
    p.add_argument("--tsa-ca", metavar="FILE", action="append",
                   help="a time-stamping authority's root certificate (PEM) to trust besides this computer's own "
                        "(repeatable; also env CLOSURE_ASSISTANT_TSA_CA and the settings file)")


def _ca_files(args, lang: str):
    """The authority certificates named for this check, each readable; None after saying which is not."""
    from cryptography import x509

    from assistant.messages import t
    from assistant.settings import timestamp_ca_files
    files = timestamp_ca_files(getattr(args, "tsa_ca", None))
    for path in files:
        try:
            x509.load_pem_x509_certificates(path.read_bytes())
        except (OSError, ValueError) as exc:
            print(t("tsa.bad_ca", lang, path=path, detail=getattr(exc, "strerror", None) or str(exc)),
                  file=sys.stderr)
            return None
    return files


class ReportUnwritable(EnvironmentProblem):
    message_key = "error.report_unwritable"


def _no_action(parser) -> int:
    parser.print_help()
    return 2


def _bundle_or_none(directory: Path, lang: str) -> Path | None:
    from assistant.evidence.writer import MANIFEST
    from assistant.messages import t
    if not os.path.lexists(directory / MANIFEST):  # a link in its place is for `report` to refuse, not follow
        print(t("evidence.not_a_bundle", lang, path=directory), file=sys.stderr)
        return None
    return directory


FINGERPRINT = re.compile(r"^[0-9a-f]{16,64}$")


def run_verify(args, lang: str) -> int:
    from assistant.errors import ExitStatus
    from assistant.evidence.verify import looks_like_bundle, verify_bundle
    from assistant.messages import t
    if not args.directory.is_dir() or not looks_like_bundle(args.directory):
        print(t("evidence.not_a_bundle", lang, path=args.directory), file=sys.stderr)
        return int(ExitStatus.USAGE)
    given = (args.fingerprint or "").strip().lower()
    if args.fingerprint is not None and not FINGERPRINT.match(given):
        print(t("evidence.fingerprint_too_short", lang, value=args.fingerprint), file=sys.stderr)
        return int(ExitStatus.USAGE)
    ca_files = _ca_files(args, lang)
    if ca_files is None:
        return int(ExitStatus.USAGE)
    v = verify_bundle(args.directory, given or None, ca_files=ca_files)
    if v.findings:
        print(t("evidence.tampered", lang, count=len(v.findings)))
        for f in v.findings:
            where = t("verify.where", lang, seq=f.seq) if f.seq is not None and f.path != "manifest.json" else ""
            why = t(f"why.{f.why}", lang) if f.why else ""
            print("  " + t(f"verify.{f.reason}", lang, path=f.path, seq=f.seq, other=f.other, where=where, why=why))
    else:
        key = "evidence.intact" if v.complete else "evidence.partial"
        print(t(key, lang, entries=v.entries, files=v.files, hash=v.final_hash))
        for name in v.leftovers:
            key = "evidence.leftover_report" if v.complete else "evidence.leftover"
            print(t(key, lang, path=name))
        if v.report_checked:
            print(t("evidence.report_ok", lang))
        if not given:
            print(t("evidence.compare_hash", lang))
        elif len(given) < len(v.final_hash):
            print(t("evidence.fingerprint_prefix", lang, n=len(given)))
        else:
            print(t("evidence.fingerprint_matches", lang))
    for line in stamp_lines(v.timestamp, args.directory, lang):
        print(line)
    return int(v.status)


def stamp_lines(check, directory, lang: str) -> list[str]:
    """What verify found of the trusted timestamp, in words (problems are among the findings already)."""
    from assistant.cli.summary import attempts_words, clock_words, utc_words
    from assistant.messages import t
    if check.state == "none":
        return [t("verify.timestamp.none", lang, path=directory)]
    if check.state == "failed":
        return [t("verify.timestamp.failed", lang, reasons=attempts_words(check.attempts, lang), path=directory)]
    if check.state in ("verified", "untrusted"):
        return [t(f"verify.timestamp.{check.state}", lang, authority=check.authority, time=utc_words(check.time_utc),
                  clock=clock_words(check.clock_offset_s, lang), detail=check.detail)]
    return []


def run_timestamp(args, lang: str) -> int:
    from assistant.cli.summary import timestamp_lines, utc_words
    from assistant.errors import ExitStatus
    from assistant.evidence.timestamp import NotStampable, stamp_bundle
    from assistant.evidence.verify import looks_like_bundle, verify_bundle
    from assistant.messages import t
    from assistant.settings import settings_path
    if not args.directory.is_dir() or not looks_like_bundle(args.directory):
        print(t("evidence.not_a_bundle", lang, path=args.directory), file=sys.stderr)
        return int(ExitStatus.USAGE)
    authorities = timestamp_authorities(args)
    if not authorities:
        print(t("tsa.none_set", lang, path=settings_path()), file=sys.stderr)
        return int(ExitStatus.USAGE)
    ca_files = _ca_files(args, lang)
    if ca_files is None:
        return int(ExitStatus.USAGE)
    v = verify_bundle(args.directory, ca_files=ca_files)
    if v.timestamp.state in ("verified", "untrusted"):
        print(t("tsa.already", lang, authority=v.timestamp.authority, time=utc_words(v.timestamp.time_utc)))
        return 0
    if v.findings:  # a stamp now would vouch for the changed content
        print(t("evidence.timestamp_tampered", lang, count=len(v.findings)), file=sys.stderr)
        return int(v.status)
    print(t("tsa.asking", lang, urls=", ".join(authorities)), file=sys.stderr, flush=True)
    try:
        stamp = stamp_bundle(args.directory, authorities)
    except NotStampable as exc:
        print(t("tsa.error", lang, detail=t(f"tsa.not.{exc.why}", lang)), file=sys.stderr)
        return int(ExitStatus.EVIDENCE_ALTERED)
    except OSError as exc:
        from assistant.evidence.writer import describe_os_error
        from assistant.messages import reason
        raise ReportUnwritable(str(args.directory), path=str(args.directory),
                               why=reason(describe_os_error(exc), lang)) from None
    record = _StampRecord(stamp, args.directory)
    for line in timestamp_lines(record, lang):
        print(line)
    if not stamp.ok:
        return int(ExitStatus.SITE_ERROR)
    print(t("evidence.timestamp_added", lang, path=args.directory))
    _rebuild_report(args, lang)  # the report shows the timestamp: make it again
    return 0


class _StampRecord:
    """The few fields timestamp_lines reads of a run's record, for a stamp added later."""

    def __init__(self, stamp, directory):
        self.timestamp, self.timestamp_error, self.evidence_dir = stamp, "", directory


def _rebuild_report(args, lang: str) -> None:
    from assistant.evidence.report import write_report
    from assistant.evidence.writer import describe_os_error
    from assistant.messages import reason, t
    try:
        files = write_report(args.directory, browser_path=args.browser_path, lang=getattr(args, "lang", None))
    except Exception as exc:  # noqa: BLE001 - the token is kept; the report can be rebuilt later
        detail = reason(describe_os_error(exc), lang) if isinstance(exc, OSError) else str(exc).splitlines()[0]
        print(t("evidence.report_failed", lang, detail=detail, path=args.directory), file=sys.stderr)
        return
    print(t("evidence.report_written", lang, html=files.html, pdf=files.pdf))


def run_report(args, lang: str) -> int:
    from assistant.errors import ExitStatus
    from assistant.messages import t
    from assistant.evidence.report import write_report
    from assistant.evidence.writer import describe_os_error
    if _bundle_or_none(args.directory, lang) is None:
        return int(ExitStatus.USAGE)
    try:
        files = write_report(args.directory, browser_path=args.browser_path, lang=getattr(args, "lang", None))
    except OSError as exc:  # a full disk or a read-only folder: nothing was changed (no temporary file left)
        raise ReportUnwritable(str(args.directory), path=str(args.directory), why=describe_os_error(exc)) from None
    print(t("evidence.report_written", lang, html=files.html, pdf=files.pdf))
    return 0


def _runs(roots: list[Path]) -> tuple[list[tuple[str, dict, Path]], list[tuple[Path, str]]]:
    """(runs newest first, folders that hold a manifest.json that cannot be read and why)."""
    from assistant.evidence.bundle import ManifestDamaged, NotInBundle, read_manifest
    from assistant.evidence.report import display_time
    from assistant.evidence.writer import MANIFEST
    runs, bad, seen = [], [], set()
    for root in roots:
        if not root.is_dir():
            continue
        for manifest_path in root.glob(f"*/{MANIFEST}"):
            folder = manifest_path.parent.resolve()
            if folder in seen:
                continue
            seen.add(folder)
            try:
                manifest = read_manifest(folder)
                when = display_time(manifest.get("started_at"))
                if when is None:
                    raise ManifestDamaged("manifest.json: 'started_at' is not a time")
            except NotInBundle as exc:
                bad.append((folder, f"why.{exc.why}"))  # a catalogue key: a link, too large, ...
                continue
            except ManifestDamaged as exc:
                bad.append((folder, exc.detail))
                continue
            except OSError as exc:
                bad.append((folder, exc.strerror or type(exc).__name__))
                continue
            runs.append((when["utc"], manifest, folder))
    return sorted(runs, key=lambda run: run[0], reverse=True), sorted(bad)


def run_list(args, lang: str) -> int:
    from assistant.messages import CATALOGUE, reason, t
    from assistant.evidence.report import display_time
    from assistant.settings import evidence_root
    roots = [evidence_root(), *args.evidence_dir]
    runs, bad = _runs(roots)
    if not runs and not bad:
        print(t("evidence.list_empty", lang, paths=", ".join(str(r) for r in roots)), file=sys.stderr)
        return 0
    print(t("evidence.list_header", lang))
    for _started, manifest, folder in runs:
        result = manifest.get("result") or {}
        outcome = result.get("outcome") if manifest.get("complete") is True else "partial"
        key = f"outcome.{outcome}"
        names = (manifest.get("site") or {}).get("names") or {}
        when = display_time(manifest.get("started_at"))
        print("\t".join([when["local"] if when else "-", names.get(lang) or names.get("en", ""),
                         str(manifest.get("account", "")), t(key, lang) if key in CATALOGUE else str(outcome),
                         str(folder)]))
    for folder, why in bad:  # listed last, never silently left out: `evidence verify` says more
        detail = f"manifest.json: {reason(why, lang)}"
        print("\t".join(["-", "-", "-", t("evidence.list_damaged", lang, detail=detail), str(folder)]))
    return 0
