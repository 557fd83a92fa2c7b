"""Which local portals exist. Adding a portal = one module + one entry here."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import demo_lender, desktop_lender, wallet_lender
from .base import Lender


@dataclass(frozen=True)
class PortalInfo:
    name: str  # also the id of the matching site profile
    title_zh: str
    title_en: str
    description: str
    demo_account: str
    accounts: dict[str, str]  # role -> account, e.g. "clean", "unpaid"
    passwords: dict[str, str]  # account -> password; demo accounts only
    # Its pages and rules, served by the shared portal base.
    lender: Lender = field(repr=False, compare=False)


PORTALS: dict[str, PortalInfo] = {
    "demo-lender": PortalInfo(
        name="demo-lender",
        title_zh="示例贷",
        title_en="Demo Lender (Chinese mobile H5)",
        description="Simplified-Chinese mobile micro-loan site with a buried, multi-step 注销 flow.",
        demo_account=demo_lender.ACCOUNTS_BY_ROLE["clean"],
        accounts=dict(demo_lender.ACCOUNTS_BY_ROLE),
        passwords=dict(demo_lender.PASSWORDS),
        lender=demo_lender.LENDER,
    ),
    "desktop-lender": PortalInfo(
        name="desktop-lender",
        title_zh="北风信贷",
        title_en="Northwind Credit (English desktop)",
        description="English desktop lender: e-mailed sign-in code, account menu, collapsed Danger zone, "
        "typed CLOSE and a password re-entry modal.",
        demo_account=desktop_lender.ACCOUNTS_BY_ROLE["clean"],
        accounts=dict(desktop_lender.ACCOUNTS_BY_ROLE),
        passwords=dict(desktop_lender.PASSWORDS),
        lender=desktop_lender.LENDER,
    ),
    "wallet-lender": PortalInfo(
        name="wallet-lender",
        title_zh="随心花",
        title_en="Suixinhua wallet credit (Chinese web)",
        description="Chinese consumer-credit site: help centre in a new tab, closure service in an iframe, "
        "slider captcha, native alert() and confirm().",
        demo_account=wallet_lender.ACCOUNTS_BY_ROLE["clean"],
        accounts=dict(wallet_lender.ACCOUNTS_BY_ROLE),
        passwords=dict(wallet_lender.PASSWORDS),
        lender=wallet_lender.LENDER,
    ),
}


def portal_info(name: str) -> PortalInfo:
    try:
        return PORTALS[name]
    except KeyError:
        known = ", ".join(sorted(PORTALS))
        raise KeyError(f"unknown portal {name!r} (known: {known})") from None
