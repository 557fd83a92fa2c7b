"""Checks an evidence bundle: intact, partial (the run did not finish), or exactly what was changed.

The manifest's hash chain covers every file of the run, the header (first entry's
`header_sha256`) and the result block (the "finished" entry's `summary_sha256`). The report
(`report.html`, `report.pdf`) is made after the run, so it sits outside the chain: its hashes are
in the sidecar `report.sha256` (sha256sum format), which is checked here too. The chain cannot
show that trailing entries were cut off together with the files; comparing with the final hash
printed at the end of the run (`--final-hash`) can.

Only regular files inside the folder are read (assistant/evidence/bundle.py): a manifest entry that
names an absolute path, a `..` path or a link, and any link or device in the folder, is reported as
"not part of the evidence" and never followed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from assistant.errors import ExitStatus
from assistant.evidence.bundle import (ManifestDamaged, NotInBundle, member, read_manifest, read_member,
                                       sha256_member, walk)
from assistant.evidence.timestamp import TIMESTAMP_FILES, TOKEN_FILE, StampCheck, check_stamp
from assistant.evidence.writer import GENESIS, MANIFEST, entry_hash, header_hash, summary_hash

REPORT_FILES = ("report.html", "report.pdf")
REPORT_SIDECAR = "report.sha256"
SIDECAR_LINE = re.compile(r"^([0-9a-f]{64}) [ *](\S+)$")
MAX_SIDECAR_BYTES = 4096
# Left by a report that was killed while it wrote (the report is made after the run, outside the chain).
REPORT_TEMPS = tuple(name + ".tmp" for name in (*REPORT_FILES, REPORT_SIDECAR, *TIMESTAMP_FILES))
# What a problem with the trusted timestamp means (assistant/evidence/timestamp.py): (kind, reason).
STAMP_FINDINGS = {"token_changed": ("altered", "file_changed"), "token_missing": ("missing", "file_missing"),
                  "token_unreadable": ("altered", "timestamp_unreadable"),
                  "record_damaged": ("altered", "timestamp_unreadable"),
                  "not_evidence": ("altered", "not_evidence"),
                  "manifest_changed": ("altered", "timestamp_manifest_changed"),
                  "fingerprint_differs": ("altered", "timestamp_fingerprint")}

# What each kind of finding means for the exit status. When several kinds are found the first in
# this order decides: an entry taken out of the chain also leaves its file unlisted, and the broken
# chain is the finding that matters.
STATUS = {"altered": ExitStatus.EVIDENCE_ALTERED, "reordered": ExitStatus.EVIDENCE_REORDERED,
          "missing": ExitStatus.EVIDENCE_MISSING, "added": ExitStatus.EVIDENCE_ADDED}


@dataclass
class Finding:
    kind: str                 # altered | missing | added | reordered
    reason: str               # file_changed, entry_edited, chain_broken, ... (messages: verify.reason.<reason>)
    path: str
    seq: Optional[int] = None
    other: str = ""           # the other file of a swap, or the expected value
    why: str = ""             # not part of the evidence: symlink, absolute, parent, ... (messages: why.<why>)


@dataclass
class Verification:
    directory: Path
    findings: list[Finding] = field(default_factory=list)
    complete: bool = False
    entries: int = 0
    files: int = 0
    final_hash: str = ""
    leftovers: list[str] = field(default_factory=list)  # partial runs only: files the killed run was writing
    report_checked: bool = False
    timestamp: StampCheck = field(default_factory=lambda: StampCheck("none"))

    @property
    def status(self) -> ExitStatus:
        if self.findings:
            kinds = {f.kind for f in self.findings}
            return next(status for kind, status in STATUS.items() if kind in kinds)
        return ExitStatus.OK if self.complete else ExitStatus.EVIDENCE_PARTIAL

    def add(self, kind: str, reason: str, path: str, seq: Optional[int] = None, other: str = "", why: str = "") -> None:
        self.findings.append(Finding(kind, reason, path, seq, other, why))


def verify_bundle(directory: Path, expected_final_hash: Optional[str] = None,
                  ca_files: Optional[list] = None) -> Verification:
    """`ca_files`: certificates (PEM) of time-stamping authorities to trust besides this computer's roots."""
    directory = Path(directory)
    v = Verification(directory)
    try:
        manifest = read_manifest(directory)
    except NotInBundle as exc:
        if exc.why == "missing":
            v.add("missing", "manifest_missing", MANIFEST)
        else:
            v.add("altered", "not_evidence", MANIFEST, why=exc.why)
        return v
    except ManifestDamaged as exc:
        v.add("altered", "manifest_damaged", MANIFEST, other=exc.detail)
        return v
    entries = manifest["entries"]
    v.complete = manifest.get("complete") is True
    v.entries = len(entries)
    v.final_hash = entries[-1].get("hash", "") if entries else ""
    try:
        _check_chain(v, manifest, entries)
        listed = _check_files(v, directory, entries)
        _check_summary(v, manifest, entries)
    except RecursionError:  # nested junk inside an entry: json.loads took it, hashing it cannot
        v.findings.clear()
        v.add("altered", "manifest_damaged", MANIFEST, other="an entry is nested too deeply")
        return v
    _check_unlisted(v, directory, listed)
    _check_report(v, directory)
    _check_timestamp(v, directory, manifest, ca_files)
    # The value people copy from the end of a run is often shortened: a prefix (the CLI asks for 16+ digits) is compared.
    given = (expected_final_hash or "").strip().lower()
    if given and not (v.final_hash and v.final_hash.startswith(given)):
        v.add("reordered", "final_hash_differs", MANIFEST, other=expected_final_hash.strip())
    return v


def looks_like_bundle(directory: Path) -> bool:
    """A folder a run wrote: its manifest or, when that was removed, the other files a run leaves. Anything
    else is simply not an evidence folder, which is not the same as evidence with its manifest taken away."""
    directory = Path(directory)
    return any((directory / name).exists() for name in (MANIFEST, "profile.yaml", "steps", REPORT_SIDECAR,
                                                         *REPORT_FILES))


def _check_chain(v: Verification, manifest: dict, entries: list[dict]) -> None:
    seqs = []
    for position, entry in enumerate(entries, start=1):
        seq = entry.get("seq")
        if entry_hash(entry) != entry.get("hash"):
            v.add("altered", "entry_edited", MANIFEST, seq if isinstance(seq, int) else position)
        seqs.append(seq if isinstance(seq, int) and not isinstance(seq, bool) else 0)
    order_problem = False
    if seqs != sorted(seqs):  # entries moved: name each one that is not where it belongs
        for position, (seq, belongs) in enumerate(zip(seqs, sorted(seqs)), start=1):
            if seq != belongs:
                v.add("reordered", "entry_out_of_place", MANIFEST, seq, other=str(position))
                order_problem = True
    else:
        expected = 1
        for seq in seqs:
            if seq > expected:  # a gap: entries were taken out of the manifest
                v.add("reordered", "entries_removed", MANIFEST, expected, other=str(seq - 1))
                order_problem = True
            expected = seq + 1
    prev = GENESIS
    for position, entry in enumerate(entries, start=1):
        if not order_problem and entry.get("prev") != prev:
            v.add("reordered", "chain_broken", MANIFEST, position)
        prev = entry.get("hash", "")
    if manifest.get("final_hash") != (prev if entries else GENESIS):
        v.add("reordered", "final_hash_field", MANIFEST)
    first = entries[0] if entries else {}
    if first.get("kind") != "profile" or first.get("header_sha256") != header_hash(manifest):
        v.add("altered", "header_edited", MANIFEST, 1)


def _check_files(v: Verification, directory: Path, entries: list[dict]) -> set[str]:
    listed: dict[str, dict] = {}
    for entry in entries:
        if "file" in entry:
            listed.setdefault(entry["file"], entry)
    v.files = len(listed)
    by_hash = {e.get("sha256"): name for name, e in listed.items()}
    for name, entry in listed.items():
        try:
            actual = sha256_member(directory, name)
        except NotInBundle as exc:
            if exc.why == "missing":
                v.add("missing", "file_missing", name, entry.get("seq"))
            else:  # the manifest names something outside the folder, a link or a device: never read it
                v.add("altered", "not_evidence", name, entry.get("seq"), why=exc.why)
            continue
        if actual == entry.get("sha256"):
            continue
        swapped_with = by_hash.get(actual)
        if swapped_with and swapped_with != name:
            v.add("reordered", "files_swapped", name, entry.get("seq"), other=swapped_with)
        else:
            v.add("altered", "file_changed", name, entry.get("seq"))
    return set(listed)


def _check_summary(v: Verification, manifest: dict, entries: list[dict]) -> None:
    finished = [e for e in entries if e.get("kind") == "finished"]
    if v.complete:
        last = entries[-1] if entries else {}
        if last.get("kind") != "finished" or last.get("summary_sha256") != summary_hash(manifest):
            v.add("altered", "result_edited", MANIFEST, last.get("seq"))
    elif finished or manifest.get("result") is not None or manifest.get("finished_at") is not None:
        # A finished run claiming to be partial (or the other way round): its summary was edited.
        v.add("altered", "result_edited", MANIFEST, finished[-1].get("seq") if finished else None)


def _check_unlisted(v: Verification, directory: Path, listed: set[str]) -> None:
    ignore = {MANIFEST, REPORT_SIDECAR, *REPORT_FILES, *TIMESTAMP_FILES}
    manifest_mtime = (directory / MANIFEST).lstat().st_mtime
    for name, kind in walk(directory):
        if kind != "file":  # a link (to a file or a folder) or a device: reported, never followed
            if name not in listed:
                v.add("added", "not_evidence", name, why="symlink" if kind == "symlink" else "not_regular")
            continue
        if name in listed or name in ignore:
            continue
        if name in REPORT_TEMPS:
            v.leftovers.append(name)
            continue
        # A killed run may have been writing one file after the manifest's last save.
        if not v.complete and (name.endswith(".tmp") or (directory / name).lstat().st_mtime >= manifest_mtime):
            v.leftovers.append(name)
            continue
        v.add("added", "file_added", name)


def _check_report(v: Verification, directory: Path) -> None:
    recorded: dict[str, str] = {}
    try:
        sidecar = read_member(directory, REPORT_SIDECAR, MAX_SIDECAR_BYTES)
    except NotInBundle as exc:
        if exc.why not in ("missing", "symlink", "not_regular"):  # links and devices: flagged by _check_unlisted
            v.add("altered", "sidecar_changed", REPORT_SIDECAR)
        sidecar = None
    if sidecar is not None:
        v.report_checked = True
        for line in sidecar.decode("utf-8", errors="replace").splitlines():
            match = SIDECAR_LINE.match(line.strip())
            if not match or match.group(2) not in REPORT_FILES:
                v.add("altered", "sidecar_changed", REPORT_SIDECAR)
                continue
            recorded[match.group(2)] = match.group(1)
    for name, digest in recorded.items():
        try:
            actual = sha256_member(directory, name)
        except NotInBundle as exc:
            if exc.why == "missing":
                v.add("missing", "file_missing", name)
            continue  # a link or a device in the report's place is flagged by _check_unlisted
        if actual != digest:
            v.add("altered", "file_changed", name)
    for name in REPORT_FILES:
        if name not in recorded and _is_member(directory, name):
            v.add("added", "report_unlisted", name)


def _check_timestamp(v: Verification, directory: Path, manifest: dict, ca_files: Optional[list]) -> None:
    """The trusted timestamp, if the bundle has one: it must certify the fingerprint of the manifest as it is."""
    v.timestamp = check_stamp(directory, manifest, ca_files)
    for problem, path in v.timestamp.problems:
        kind, reason = STAMP_FINDINGS.get(problem, ("altered", "timestamp_unreadable"))
        v.add(kind, reason, path, why=v.timestamp.detail if reason == "not_evidence" else "")
    if v.timestamp.state == "none" and _is_member(directory, TOKEN_FILE):
        v.add("added", "file_added", TOKEN_FILE)  # a token without the record of what it was asked for


def _is_member(directory: Path, name: str) -> bool:
    try:
        member(directory, name)
        return True
    except NotInBundle:
        return False
