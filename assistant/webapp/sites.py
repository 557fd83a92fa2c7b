"""The sites the tool knows, as the app lists and searches them: by Chinese name, its pinyin (full or
initials, with or without spaces: 示例贷 = shilidai = sld) and English name.

The pinyin comes from `pypinyin` (a small, well-kept dictionary package) rather than from the profiles,
so a contributor's profile needs nothing more than its two names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional


@dataclass
class Site:
    id: str
    names: dict
    practice: bool
    status: bool = False    # the profile can read the site's closure status
    pinyin: str = ""        # shi li dai
    initials: str = ""      # sld
    problem: Optional[str] = None   # the profile does not load: why (in English; the page says it is invalid)

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en") or self.id

    def matches(self, query: str) -> bool:
        q = _fold(query)
        if not q:
            return True
        haystack = [self.id, self.names.get("zh", ""), self.names.get("en", ""), self.pinyin, self.initials]
        return any(q in _fold(text) for text in haystack)


def _fold(text: str) -> str:
    """Lower case, no spaces or dashes: "Shi Li-Dai" and "shilidai" meet."""
    return re.sub(r"[\s\-_·]+", "", (text or "").lower())


def pinyin_of(chinese: str) -> tuple[str, str]:
    """(full pinyin with spaces, initials) of a Chinese name; other characters are kept as they are."""
    from pypinyin import Style, lazy_pinyin
    syllables = [s for s in lazy_pinyin(chinese or "", style=Style.NORMAL, errors="default") if s.strip()]
    return " ".join(syllables), "".join(s[0] for s in syllables if s)


def known_sites() -> list[Site]:
    """Every profile the tool can find (bundled, then the user's), each loaded once; a broken one is listed
    with its problem so that the person knows it exists but cannot be used."""
    from assistant.errors import AssistantError
    from assistant.profiles.loader import load_profile
    from assistant.profiles.registry import profile_paths
    sites = []
    for site_id, path in profile_paths().items():
        try:
            profile = load_profile(path)
        except AssistantError as exc:
            sites.append(Site(site_id, {"zh": site_id, "en": site_id}, False, problem=str(exc).splitlines()[0][:200]))
            continue
        full, initials = pinyin_of(profile.names.get("zh", ""))
        sites.append(Site(site_id, dict(profile.names), profile.is_practice, profile.status is not None,
                          full, initials))
    return sites


def search(sites: list[Site], query: str) -> list[Site]:
    return [s for s in sites if s.matches(query)]
