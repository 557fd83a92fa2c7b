"""Northwind Credit (desktop-lender): an English desktop lender site that
signs in with an e-mailed one-time code and hides closure in a collapsed
"Danger zone" behind custom modal dialogs."""

from .app import ACCOUNTS_BY_ROLE, LENDER, PASSWORDS, SUBMIT_PATH

__all__ = ["ACCOUNTS_BY_ROLE", "LENDER", "PASSWORDS", "SUBMIT_PATH"]
