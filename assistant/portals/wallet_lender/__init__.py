"""随心花 (wallet-lender): a Chinese consumer-credit web site whose closure
service sits in the help centre (a new tab), inside an iframe, behind a
slider captcha and native alert()/confirm() dialogs."""

from .app import ACCOUNTS_BY_ROLE, LENDER, PASSWORDS, SUBMIT_PATH

__all__ = ["ACCOUNTS_BY_ROLE", "LENDER", "PASSWORDS", "SUBMIT_PATH"]
