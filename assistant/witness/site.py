"""The site being witnessed: a known profile (its start page and device), or just a web address.

The evidence writer wants a profile to copy into the bundle and to describe the site in the manifest.
For a site without one, the bundle's `profile.yaml` says instead what the walk started from (the
address, the device, the names given) and that no profile guided it: a person did every step.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

import yaml

from assistant.deadlines import site_zone
from assistant.profiles.model import ClosureInfo, Device, Profile
from assistant.settings import DEFAULT_REVIEW_WORKING_DAYS

DESKTOP_VIEWPORT = {"width": 1280, "height": 860}
PHONE_VIEWPORT = {"width": 390, "height": 844}  # a phone: context_options gives it a phone's user agent too


@dataclass
class WitnessSite:
    id: str                      # the case's site and the draft profile's id
    names: dict
    start_url: str
    device: Device
    website: str = ""
    profile: Optional[Profile] = None
    closure: ClosureInfo = field(default_factory=lambda: ClosureInfo(routes=["online"]))
    path: Optional[Path] = None  # what the bundle keeps as profile.yaml
    sha256: str = ""

    @property
    def jurisdiction(self) -> Optional[str]:
        """Which law the report may cite: the known profile's; an unknown site's is not guessed."""
        return self.profile.jurisdiction if self.profile is not None else None

    @property
    def timezone(self) -> Optional[str]:
        """The zone whose calendar counts the deadline: the profile's, else Asia/Shanghai for a zh site."""
        return site_zone(self.device.timezone, self.device.locale)

    def display_name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en") or self.id

    def account(self, raw: str) -> str:
        """The account's one spelling: by the profile's rules when there is one, else by its shape."""
        if self.profile is not None:
            return self.profile.account(raw)
        from assistant.accounts import shape_key
        return shape_key(raw)

    def describe(self, folder: Path) -> Path:
        """For a site without a profile: the file the bundle keeps in the profile's place."""
        text = "\n".join([
            "# closure-assistant witness: no site profile guided this walk. A person did every step by hand",
            "# in a visible browser; the tool only watched and recorded. This is what the walk started from.",
            yaml.safe_dump({"flow": "witness", "performed_by": "person", "site": {"id": self.id, "names": self.names},
                            "start_url": self.start_url,
                            "device": {"viewport": self.device.viewport, "mobile": self.device.mobile,
                                       "locale": self.device.locale, "timezone": self.device.timezone},
                            "review_working_days": self.closure.review_working_days},
                           allow_unicode=True, sort_keys=False),
        ])
        path = Path(folder) / "witness-site.yaml"
        path.write_text(text, "utf-8")
        self.path, self.sha256 = path, hashlib.sha256(text.encode("utf-8")).hexdigest()
        return path


def host_id(url: str) -> str:
    """A profile id from a web address: m.acme-loan.com -> acme-loan; 127.0.0.1 -> local-site."""
    host = (urlsplit(url).hostname or "").lower()
    if not host or re.fullmatch(r"[\d.]+|localhost|\[?::1\]?", host):
        return "local-site"
    parts = [p for p in host.split(".") if p not in ("www", "m", "h5", "wap", "app", "passport", "login")]
    core = parts[-2] if len(parts) >= 2 else (parts[0] if parts else host)
    slug = re.sub(r"[^a-z0-9]+", "-", core).strip("-")
    return slug if re.match(r"^[a-z0-9][a-z0-9-]*$", slug or "") else "site"


def from_url(url: str, *, site_id: Optional[str], name: Optional[str], mobile: bool) -> WitnessSite:
    parts = urlsplit(url)
    device = Device(viewport=dict(PHONE_VIEWPORT if mobile else DESKTOP_VIEWPORT), mobile=mobile,
                    locale="zh-CN", timezone="Asia/Shanghai")
    chosen = site_id or host_id(url)
    names = {"zh": name or chosen, "en": name or chosen}
    return WitnessSite(id=chosen, names=names, start_url=url, device=device,
                       website=f"{parts.scheme}://{parts.netloc}/",
                       closure=ClosureInfo(routes=["online"], review_working_days=DEFAULT_REVIEW_WORKING_DAYS))


def from_profile(profile: Profile, start_url: str, *, name: Optional[str] = None) -> WitnessSite:
    names = dict(profile.names)
    if name:
        names = {"zh": name, "en": name}
    return WitnessSite(id=profile.id, names=names, start_url=start_url, device=profile.device,
                       website=profile.website, profile=profile, closure=profile.closure,
                       path=profile.path, sha256=profile.sha256)
