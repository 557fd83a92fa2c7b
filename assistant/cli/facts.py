"""What a profile says about its site, for a person: `profiles show`, and what `close` says before it starts.

The texts (prerequisites, fees, customer service, notes) are the profile's own words, shown as written.
"""
from __future__ import annotations

from assistant.messages import t


def _words(prefix: str, values, lang: str) -> str:
    return "、".join(t(f"{prefix}.{v}", lang) for v in values) if lang == "zh" else \
        ", ".join(t(f"{prefix}.{v}", lang) for v in values)


def _fees(fees: str, lang: str) -> str:
    return t("facts.fees_none", lang) if fees.strip().lower() in ("none", "无", "免费") else fees


def closure_facts(profile, lang: str) -> list[str]:
    """Before the first step of `close` (and before any browser starts): what to have done, what it costs,
    whom to call. Nothing at all when the profile says none of it."""
    c = profile.closure
    body = []
    if profile.is_practice:
        body.append("  " + t("facts.practice", lang))
    if c.prerequisites:
        body.append("  " + t("facts.prerequisites", lang))
        body += [f"    · {item}" for item in c.prerequisites]
    if c.fees:
        body.append("  " + t("facts.fees", lang, fees=_fees(c.fees, lang)))
    body.append("  " + t("facts.review_days", lang, days=c.review_working_days))
    if c.customer_service:
        body.append("  " + t("facts.customer_service", lang, text=c.customer_service))
    if c.notes:
        body.append("  " + t("facts.notes", lang, text=c.notes))
    return [t("facts.before_close", lang, name=profile.display_name(lang))] + body


def prepare_facts(profile, lang: str) -> list[str]:
    """The prepare flow: the documents `prepare` saves, and the checklist with the ids --checked takes."""
    from assistant.profiles.model import DownloadStep
    if profile.prepare is None:
        return []
    lines = []
    documents = [s for s in profile.prepare.steps if isinstance(s, DownloadStep)]
    if documents:
        names = "、".join if lang == "zh" else ", ".join
        lines.append("  " + t("facts.prepare_documents", lang, documents=names(
            (d.what or {}).get(lang) or (d.what or {}).get("en") or d.save_as for d in documents)))
    if profile.prepare.checklist:
        lines.append("  " + t("facts.checklist", lang))
        for item in profile.prepare.checklist:
            key = "facts.checklist_required" if item.required else "facts.checklist_item"
            lines.append("    · " + t(key, lang, id=item.id, item=item.ask.get(lang) or item.ask.get("en")))
    return lines


def profile_facts(profile, lang: str) -> list[str]:
    """Everything `profiles show` lists: names, website, routes, modes, review days, fees, prerequisites,
    customer service, notes, when and against what it was verified, and whether it is a practice portal."""
    c = profile.closure
    lines = [t("facts.title", lang, name=profile.display_name(lang), id=profile.id)]
    if profile.is_practice:
        lines.append("  " + t("facts.practice", lang))
    lines.append("  " + t("facts.names", lang, zh=profile.names.get("zh", "-"), en=profile.names.get("en", "-")))
    if profile.website:
        lines.append("  " + t("facts.website", lang, url=profile.website))
    lines.append("  " + t("facts.routes", lang, routes=_words("route", c.routes, lang)))
    if c.modes:
        lines.append("  " + t("facts.modes", lang, modes=_words("mode", c.modes, lang)))
    lines.append("  " + t("facts.review_days", lang, days=c.review_working_days))
    lines.append("  " + t("facts.fees", lang, fees=_fees(c.fees, lang) if c.fees else t("facts.unknown", lang)))
    if c.prerequisites:
        lines.append("  " + t("facts.prerequisites", lang))
        lines += [f"    · {item}" for item in c.prerequisites]
    lines += prepare_facts(profile, lang)
    if c.customer_service:
        lines.append("  " + t("facts.customer_service", lang, text=c.customer_service))
    if c.notes:
        lines.append("  " + t("facts.notes", lang, text=c.notes))
    lines.append("  " + t("facts.status_flow" if profile.status else "facts.no_status_flow", lang))
    verified = profile.verified or {}
    if verified.get("date"):
        lines.append("  " + t("facts.verified", lang, date=verified["date"],
                              against=verified.get("against") or t("facts.unknown", lang)))
    else:
        lines.append("  " + t("facts.not_verified", lang))
    if profile.maintainer:
        lines.append("  " + t("facts.maintainer", lang, who=profile.maintainer))
    lines.append("  " + t("facts.file", lang, path=profile.path))
    return lines
