"""The walk as a profile draft, for the next person with an account on this site.

The recorder's draft (assistant/recording/draft.py) with what a walk finished by hand knows: which click
was the final submit and the request it sent, the words of the page it led to, the application number's
shape. What the person typed is never written: secrets are named (`secret: password`), other text is a
TODO. The draft is validated before it is written; every line that still needs a contributor's edit is
marked `# TODO`, and the count is said.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from assistant.errors import ProfileError
from assistant.profiles.origins import origin_of
from assistant.profiles.scaffold import modeline, output_path, write_profile
from assistant.recording.draft import (DraftSpec, StepChoiceError, build_draft, draft_body, personal_words,
                                       todo_count)


@dataclass
class DraftWritten:
    path: Optional[Path] = None     # the validated draft, or the .rejected file it was kept as
    id: str = ""
    todos: int = 0
    valid: bool = False
    problem: str = ""               # why it did not validate (file:line:column ...)
    notes: list = field(default_factory=list)   # (message key, params) from the recorder's draft


def header(profile_id: str, dest: Path, origin: str, todos: int) -> str:
    today = dt.date.today().isoformat()
    return "\n".join([
        modeline(dest),
        f"# Draft written on {today} by `closure-assistant witness` from a closure done by hand on {origin}.",
        "# A person did every step; the tool noted where they clicked. Nothing they typed is in this file:",
        "# passwords, codes and the account are named (secret: password, secret: account) and asked for at",
        f"# run time; other typed text is a TODO. Lines marked \"# TODO\" need your edit ({todos} here).",
        "# Add a precondition for the site's 'unpaid loan' message, then walk it without submitting and",
        "# share it (CONTRIBUTING.md, \"Adding a site\"):",
        f"#   closure-assistant profiles check {profile_id} --account YOUR_ACCOUNT",
    ])


def _device(device) -> dict:
    """The walk's browser as a profile's `device`: a known profile's own, else the layout chosen for the address."""
    fields = {"viewport": dict(device.viewport) if device.viewport else None, "mobile": device.mobile or None,
              "locale": device.locale, "timezone": device.timezone, "user_agent": device.user_agent}
    return {key: value for key, value in fields.items() if value is not None}


def draft_id(site, chosen: Optional[str]) -> str:
    """The draft's id: the one given (--id), else the site's for an address, else SITE-witnessed for a known
    site (its profile stays as it is)."""
    return chosen or (site.id if site.profile is None else f"{site.id}-witnessed")


def draft_id_and_path(profile_id: str, output: Optional[Path], run_id: str, force: bool) -> tuple[str, Path]:
    """Where the draft goes: ID.yaml in the profile folder (or --output). Beside an existing file, or when
    the id is a known profile's, under a new id: a draft full of TODOs in the profile folder would take
    the place of the working profile of the same id (never, unless --force)."""
    from assistant.profiles.registry import profile_paths
    dest = output_path(profile_id, output)
    explicit_file = output is not None and output.suffix in (".yaml", ".yml")
    known = output is None and profile_id in profile_paths()
    if not force and not explicit_file and (dest.exists() or known):
        profile_id = f"{profile_id}-{run_id}"
        dest = dest.with_name(f"{profile_id}.yaml")
    return profile_id, dest


def write_draft(session, site, verdict, *, profile_id: str, dest: Path, force: bool,
                account: Optional[str] = None) -> DraftWritten:
    actions = list(session.recorder.actions)
    submit = session.submit_action
    watch = session.watch
    result_text = session.marked_result_text or session.after_submit_text
    submit_at = next((i for i, a in enumerate(actions) if a is submit), None)
    spec = DraftSpec(
        id=profile_id, names=dict(site.names), start_url=site.start_url, mobile=site.device.mobile,
        submit_step=submit_at + 1 if submit_at is not None else None,
        request_url=watch.record.url if watch.record.sent else None,
        result_text=result_text if submit is not None else None, result_heading=session.after_submit_heading,
        outcome_state="closed" if verdict.outcome == "closed" else "pending",
        application_number=verdict.application_number, typed_values=False,
        personal=tuple(personal_words(account) + personal_words(session.typed_account)),
        device=_device(site.device))
    written = DraftWritten(id=profile_id)
    if not actions:
        return written
    try:
        draft = build_draft(actions, session.recorder.overlays, spec)
    except StepChoiceError as problem:
        written.problem = problem.key
        return written
    body = draft_body(draft)
    todos = todo_count(body)
    text = header(profile_id, dest, origin_of(site.start_url), todos) + "\n" + body  # where the walk really was
    written.notes, written.todos = draft.notes, todos
    try:
        written.path = write_profile(text, dest, force=force)
        written.valid = True
    except (ProfileError, FileExistsError) as exc:
        rejected = dest.with_name(dest.name + ".rejected")
        rejected.parent.mkdir(parents=True, exist_ok=True)
        rejected.write_text(text, "utf-8")
        written.path, written.problem = rejected, getattr(exc, "detail", "") or str(exc)
    return written
