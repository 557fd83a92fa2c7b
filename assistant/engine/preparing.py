"""Before the closure: the profile's checklist (what only the person can do and the tool cannot see) and
its prepare flow (the documents to save while the account still exists). The same for every front end.

The checklist is asked once: the answers are kept in the case (and an event), given to every later run
for its evidence (the report shows them at its top), and asked again only for items the profile added
since. `--checked ID` answers from a script. An item marked `required` stops `close` before any
browser starts while it is not ticked; the others only warn.

`close` runs the prepare steps before its own unless the case already had them done (a `prepared`
event); `closure-assistant prepare` runs them on their own, any time.
"""
from __future__ import annotations

from typing import Callable, Optional

from assistant.cases import store as c
from assistant.errors import AssistantError, ExitStatus, NeedsUser
from assistant.messages import say
from assistant.profiles.model import ChecklistItem, Profile


class UnknownChecklistItem(AssistantError):
    exit_status = ExitStatus.USAGE
    message_key = "error.unknown_checklist_item"


class ChecklistNotDone(NeedsUser):
    """A required checklist item is not ticked: nothing is started."""

    message_key = "error.checklist_required"


class NoPrepareFlow(NeedsUser):
    message_key = "error.no_prepare_flow"


def checklist(profile: Profile) -> list[ChecklistItem]:
    return list(profile.prepare.checklist) if profile.prepare else []


def prepare_steps(profile: Profile) -> list:
    return list(profile.prepare.steps) if profile.prepare else []


def checked_ids(profile: Profile, checked: Optional[list[str]]) -> set[str]:
    """The ids given with --checked, each one an item of the profile's checklist."""
    known = {item.id for item in checklist(profile)}
    given = set(checked or [])
    unknown = sorted(given - known)
    if unknown:
        raise UnknownChecklistItem(say("usage.unknown_checklist_item", items=", ".join(unknown),
                                       known=", ".join(sorted(known)) or "-", site=profile.id))
    return given


def stored_answers(profile: Profile, case: Optional[c.Case]) -> dict[str, bool]:
    """What the case already knows, for the items the profile still has."""
    answers = ((case.checklist or {}).get("answers") or {}) if case is not None else {}
    return {item.id: bool(answers[item.id]) for item in checklist(profile) if item.id in answers}


def unanswered_from(profile: Profile, answers: Optional[dict[str, bool]]) -> list[ChecklistItem]:
    return [item for item in checklist(profile) if item.id not in (answers or {})]


def settle_answers(store: c.CaseStore, profile: Profile, account: str, *, checked: Optional[list[str]],
                   ask: Optional[Callable[[list[ChecklistItem]], dict[str, bool]]]) -> Optional[dict[str, bool]]:
    """The checklist's answers for this case, asked once and kept.

    `checked` (from --checked): these items are ticked now (a script answers all at once: the others are
    recorded as not ticked). Else `ask(items)` asks the person the items not answered yet (`ask` None, or
    its answer None: no one to ask). Returns the answers now known (None: the profile has no checklist)."""
    items = checklist(profile)
    if not items:
        return None
    ticked = checked_ids(profile, checked)
    case = store.case(profile.id, account)
    answers = stored_answers(profile, case)
    if checked:
        answers = {item.id: item.id in ticked or answers.get(item.id, False) for item in items}
    else:
        missing = [item for item in items if item.id not in answers]
        given = ask(missing) if missing and ask is not None else None  # None: no one to ask
        answers.update(given or {})
        if not missing or not answers:
            return answers or None
    if case is None:
        case = store.ensure_case(profile.id, account, review_working_days=profile.closure.review_working_days,
                                 site_timezone=_zone(profile), source="user")
    if answers != stored_answers(profile, case) or case.checklist is None:
        store.record_checklist(case.id, [item.as_dict() for item in items], answers)
    return answers


def evidence_items(profile: Profile, answers: Optional[dict[str, bool]]) -> Optional[list[dict]]:
    """The answers as the run's evidence keeps them (RunOptions.checklist); None when nothing was answered."""
    if not answers:
        return None
    return [{**item.as_dict(), "checked": bool(answers.get(item.id))} for item in checklist(profile)]


def not_done(profile: Profile, answers: Optional[dict[str, bool]], *, required_only: bool = False) -> list[ChecklistItem]:
    answers = answers or {}
    return [item for item in checklist(profile) if not answers.get(item.id) and (item.required or not required_only)]


def _asked(item: ChecklistItem):
    """The item's question in the reader's language (the profile's own words)."""
    from assistant.engine.sentences import Sentence
    return Sentence(lambda lang: item.ask.get(lang) or item.ask["en"])


def refuse_if_required_missing(profile: Profile, answers: Optional[dict[str, bool]]) -> None:
    missing = not_done(profile, answers, required_only=True)
    if missing:
        from assistant.engine.sentences import Sentence
        items = Sentence(lambda lang: "; ".join(_asked(item).in_lang(lang) for item in missing))
        raise ChecklistNotDone(say("checklist.required_missing", items=items,
                                   ids=" ".join(item.id for item in missing)))


def settle(store: c.CaseStore, profile: Profile, account: str, *, checked: Optional[list[str]],
           ask: Optional[Callable[[list[ChecklistItem]], dict[str, bool]]],
           tell: Callable[[object], None]) -> Optional[dict[str, bool]]:
    """The checklist's answers, asked once (or from --checked) and kept in the case; stops (ChecklistNotDone)
    before any browser starts while a required item is not ticked, and `tell`s a reminder for each other
    item not done and which items nobody could answer."""
    answers = settle_answers(store, profile, account, checked=checked, ask=ask)
    items = checklist(profile)
    if not items:
        return None
    refuse_if_required_missing(profile, answers)
    if answers is None or len(answers) < len(items):
        ids = " ".join(item.id for item in unanswered_from(profile, answers))
        tell(say("checklist.unanswered", ids=ids, site=profile.id))
    for item in not_done(profile, answers):
        if answers and item.id in answers:
            tell(say("checklist.not_done", item=_asked(item)))
    return answers


def before_closing(session) -> dict:
    """The RunOptions `close` adds (an engine SiteSession): the checklist's answers for the evidence, and
    whether to run the prepare steps before the close steps."""
    answers = settle(session.store, session.profile, session.account, checked=session.settings.checked,
                     ask=session.front.ask_checklist, tell=lambda sentence: session.say(sentence, err=True))
    return {"checklist": evidence_items(session.profile, answers),
            "prepare": prepare_needed(session.store, session.profile, session.account)}


def prepare_one(session):
    """`prepare` for one site/account (an engine SiteSession): the checklist, then the prepare steps alone."""
    answers = settle(session.store, session.profile, session.account, checked=session.settings.checked,
                     ask=session.front.ask_checklist, tell=lambda sentence: session.say(sentence, err=True))
    record, _case = session.run("prepare", checklist=evidence_items(session.profile, answers))
    return session.outcome(record, session.finished(record))


def prepare_needed(store: c.CaseStore, profile: Profile, account: str) -> bool:
    """`close` runs the prepare steps first unless this case already had them done."""
    if not prepare_steps(profile):
        return False
    case = store.case(profile.id, account)
    return case is None or not any(event.kind == "prepared" for event in store.events(case.id))


def _zone(profile: Profile) -> Optional[str]:
    from assistant.deadlines import site_zone
    return site_zone(profile.device.timezone, profile.device.locale)
