"""A bundle is a closed world: what `evidence verify`, `report` and `list` may read of an evidence folder.

Only regular files inside the folder are read, each through a name the manifest or the folder gives:
no absolute path, no `..`, no symbolic link at any level (a link is reported, never followed), no
device or pipe. Sizes are checked on the open file before anything is read, so a crafted bundle can
neither copy `~/.ssh/id_rsa` into a report nor make the tool read /dev/zero or a 6 GB manifest.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path

from assistant.errors import AssistantError, ExitStatus

MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 32 * 1024 * 1024   # a 23-step closure writes 36 KB; thousands of retries stay far below
MAX_TEXT_BYTES = 2 * 1024 * 1024        # a text the report quotes (agreements, the site's messages)
MAX_IMAGE_BYTES = 32 * 1024 * 1024      # one full-page screenshot the report inlines
MAX_NAME_CHARS = 512
_DRIVE = re.compile(r"^[A-Za-z]:")
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class NotInBundle(Exception):
    """`why` is a catalogue key (why.<why>): absolute, parent, bad_name, symlink, not_regular, missing, too_large."""

    def __init__(self, name, why: str):
        super().__init__(f"{name}: {why}")
        self.name = name
        self.why = why


class ManifestDamaged(AssistantError):
    """manifest.json is there but is not a manifest this tool wrote (bad JSON, wrong types, nested junk)."""

    exit_status = ExitStatus.EVIDENCE_ALTERED
    message_key = "error.manifest_damaged"


def member(bundle: Path, name) -> Path:
    """The path of file `name` (as written in a manifest: a/b.png) inside `bundle`, or NotInBundle."""
    if not isinstance(name, str) or not name or len(name) > MAX_NAME_CHARS or "\x00" in name or "\\" in name:
        raise NotInBundle(name, "bad_name")
    if name.startswith("/") or _DRIVE.match(name):
        raise NotInBundle(name, "absolute")
    parts = name.split("/")
    if ".." in parts:
        raise NotInBundle(name, "parent")
    if any(part in ("", ".") for part in parts):
        raise NotInBundle(name, "bad_name")
    path = Path(bundle)
    for i, part in enumerate(parts):
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            raise NotInBundle(name, "missing") from None
        except OSError:
            raise NotInBundle(name, "not_regular") from None
        if stat.S_ISLNK(mode):
            raise NotInBundle(name, "symlink")
        last = i == len(parts) - 1
        if (last and not stat.S_ISREG(mode)) or (not last and not stat.S_ISDIR(mode)):
            raise NotInBundle(name, "not_regular" if last else "missing")
    return path


def open_member(bundle: Path, name, cap: int | None = None):
    """An open binary file for member `name`, checked again on the open descriptor (regular, <= cap)."""
    path = member(bundle, name)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        raise NotInBundle(name, "symlink" if os.path.islink(path) else "not_regular") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotInBundle(name, "not_regular")
    if cap is not None and info.st_size > cap:
        os.close(fd)
        raise NotInBundle(name, "too_large")
    return os.fdopen(fd, "rb")


def read_member(bundle: Path, name, cap: int) -> bytes:
    with open_member(bundle, name, cap) as fh:
        data = fh.read(cap + 1)  # the file may have grown since fstat
    if len(data) > cap:
        raise NotInBundle(name, "too_large")
    return data


def sha256_member(bundle: Path, name) -> str:
    h = hashlib.sha256()
    with open_member(bundle, name) as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def walk(bundle: Path):
    """Every name under `bundle` as (relative name, kind): kind is file, symlink or other (device, pipe,
    socket). Links are reported and not followed, into files or folders alike."""
    stack = [(Path(bundle), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            name = prefix + entry.name
            if entry.is_symlink():
                yield name, "symlink"
            elif entry.is_dir(follow_symlinks=False):
                stack.append((Path(entry.path), name + "/"))
            elif entry.is_file(follow_symlinks=False):
                yield name, "file"
            else:
                yield name, "other"


# ---------------------------------------------------------------- the manifest

_TIME_KEYS = ("time_utc", "time_local")


def _problem(manifest) -> str:
    """What makes `manifest` something this tool did not write ("" when its shape is right)."""
    if not isinstance(manifest, dict):
        return "the top level is not an object"
    entries = manifest.get("entries")
    if not isinstance(entries, list):
        return "'entries' is not a list"
    for key, kind in (("site", dict), ("started_at", dict), ("finished_at", dict), ("result", dict),
                      ("device", dict), ("profile", dict), ("tool", dict), ("browser", dict)):
        if manifest.get(key) is not None and not isinstance(manifest[key], kind):
            return f"'{key}' has the wrong type"
    for key in ("account", "run_id", "flow", "final_hash", "format"):
        if manifest.get(key) is not None and not isinstance(manifest[key], str):
            return f"'{key}' is not text"
    if manifest.get("complete") is not None and not isinstance(manifest["complete"], bool):
        return "'complete' is not true or false"
    days = manifest.get("review_working_days")
    if days is not None and (not isinstance(days, int) or isinstance(days, bool)):
        return "'review_working_days' is not a number"
    site = manifest.get("site") or {}
    if not isinstance(site.get("names", {}), dict) or not all(isinstance(v, str) for v in site.get("names", {}).values()):
        return "'site.names' has the wrong type"
    for key in ("started_at", "finished_at"):
        stamp = manifest.get(key) or {}
        if any(not isinstance(stamp.get(k, ""), str) for k in _TIME_KEYS):
            return f"'{key}' has the wrong type"
    result = manifest.get("result") or {}
    for key in ("captures", "submitted_at", "submit_request", "error"):
        if result.get(key) is not None and not isinstance(result[key], dict):
            return f"'result.{key}' has the wrong type"
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            return f"entry {position} is not an object"
        seq = entry.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool):
            return f"entry {position} has no number (seq)"
        for key in ("kind", "hash", "prev", "file", "sha256", "step", "url", "note", *_TIME_KEYS):
            if key in entry and not isinstance(entry[key], str):
                return f"entry {position}: '{key}' is not text"
    return ""


def read_manifest(bundle: Path) -> dict:
    """The bundle's manifest, read as a member (a link or a device is NotInBundle), size-capped, and
    checked for the shape this tool writes; anything else is ManifestDamaged."""
    raw = read_member(bundle, MANIFEST, MAX_MANIFEST_BYTES)
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ManifestDamaged("manifest.json is not UTF-8 text") from None
    except RecursionError:
        raise ManifestDamaged("manifest.json is nested too deeply to be a manifest") from None
    except ValueError as exc:
        raise ManifestDamaged(f"manifest.json is not valid JSON ({exc})") from None
    problem = _problem(manifest)
    if problem:
        raise ManifestDamaged(f"manifest.json: {problem}")
    return manifest
