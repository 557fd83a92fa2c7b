"""What the case store gives the dashboard, in one place: the app reads cases only through this module,
so a change to the cases layer (states, the next action) is met here and nowhere else in the app."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Optional


@dataclass
class CaseRow:
    id: int
    site: str
    site_name: str
    account_masked: str
    state: str               # the case's state key (case.<state> in the catalogue)
    state_label: str
    overdue: bool
    application_number: str
    submitted: str
    deadline: str
    next_action: str
    evidence_folder: Optional[str]   # the run folder's name inside the evidence root, when it is there
    can_check: bool          # the profile reads the site's status


def rows(db: Optional[Path], lang: str, evidence_root: Path, sites: dict) -> tuple[list[CaseRow], str, str]:
    """Every case, the store's path and today's date (at the platform, as `cases` counts it)."""
    from assistant.cases.lifecycle import overview, state_label
    from assistant.cases.store import CaseStore, today
    from assistant.redaction import mask_account
    result = []
    with CaseStore(db) as store:
        for view in overview(store):  # as `cases` shows them: a passed deadline makes the case overdue here
            case = view.case
            overdue = case.overdue(case.today())
            folder = _folder_in(evidence_root, view.evidence or "-")
            site = sites.get(case.site)  # assistant.webapp.sites.Site, or None for a profile no longer found
            result.append(CaseRow(
                id=case.id, site=case.site, site_name=site.name(lang) if site else case.site,
                account_masked=mask_account(case.account), state=case.state,
                state_label=state_label(case, lang), overdue=overdue,
                application_number=case.application_number or "-",
                submitted=case.deadline_info.submitted_on.isoformat() if case.deadline_info else _date(case.submitted_at),
                deadline=case.deadline.isoformat() if case.deadline else "-",
                next_action=view.action.text(lang), evidence_folder=folder,
                can_check=bool(site and site.status)))
        path = str(store.path)
    return result, path, today().isoformat()


def case_account(db: Optional[Path], case_id: int) -> Optional[tuple[str, str]]:
    """(site, account) of a case, for a status check started from the dashboard."""
    from assistant.cases.store import CaseStore
    with CaseStore(db) as store:
        for case in store.all_cases():
            if case.id == case_id:
                return case.site, case.account
    return None


def _date(at: Optional[dt.datetime]) -> str:
    return at.astimezone().strftime("%Y-%m-%d") if at else "-"


def _folder_in(root: Path, evidence_dir: str) -> Optional[str]:
    """The run folder's name when it lies directly in the evidence root the app serves; else None."""
    if not evidence_dir or evidence_dir == "-":
        return None
    path = Path(evidence_dir)
    try:
        return path.name if path.parent.resolve() == Path(root).resolve() and path.is_dir() else None
    except OSError:
        return None
