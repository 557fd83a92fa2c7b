"""Typed errors and the exit statuses they map to.

Only the CLI turns these into messages and exit codes. `expected` errors are the user's or the
site's doing and are shown as one plain sentence; unexpected ones ask for a bug report.
"""
from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    OK = 0                   # closed, or closure request submitted / status read
    ERROR = 1                # unexpected failure (a bug): please report it
    USAGE = 2                # bad command line
    BLOCKED_BY_SITE = 3      # the site refuses closure now (unpaid loan, balance, locked)
    NEEDS_USER = 4           # a person must act: no code given, manual check, declined confirm
    BAD_PROFILE = 5          # the site profile is invalid
    SITE_CHANGED = 6         # the site did not match the profile (element missing, wrong page)
    CREDENTIAL_MISSING = 7   # no password in the keyring and no way to ask
    UNSAFE = 8               # refused for safety (origin not declared, already submitted)
    SITE_ERROR = 9           # the site kept failing (server errors, timeouts) before submit
    EVIDENCE_ALTERED = 10    # evidence verify: a file was changed
    EVIDENCE_MISSING = 11    # evidence verify: a file was removed
    EVIDENCE_ADDED = 12      # evidence verify: an unlisted file was added
    EVIDENCE_REORDERED = 13  # evidence verify: entries reordered / chain broken
    EVIDENCE_PARTIAL = 14    # evidence verify: intact but the run did not finish
    ENVIRONMENT = 15         # this computer lacks what a run needs (no browser, ...): nothing was tried
    INTERRUPTED = 130        # Ctrl-C


class AssistantError(Exception):
    """Base of every error the tool raises on purpose."""

    exit_status = ExitStatus.ERROR
    expected = True
    message_key = "error.generic"

    def __init__(self, detail: str = "", **params):
        super().__init__(detail)
        self.detail = detail
        self.params = params


class ProfileError(AssistantError):
    """A profile failed to load or validate; `problems` are (file, line, column, message)."""

    exit_status = ExitStatus.BAD_PROFILE
    message_key = "error.profile"

    def __init__(self, problems: list[tuple[str, int, int, str]]):
        self.problems = problems
        super().__init__("\n".join(f"{f}:{ln}:{col}: {m}" for f, ln, col, m in problems))


class ProfileNotFound(AssistantError):
    exit_status = ExitStatus.BAD_PROFILE
    message_key = "error.profile_not_found"


class SiteChanged(AssistantError):
    """The page did not match what the profile expects (element missing, ambiguous, wrong URL)."""

    exit_status = ExitStatus.SITE_CHANGED
    message_key = "error.site_changed"


class BlockedBySite(AssistantError):
    """The site refuses closure now; `detail` carries the site's own message."""

    exit_status = ExitStatus.BLOCKED_BY_SITE
    message_key = "error.blocked"


class NeedsUser(AssistantError):
    exit_status = ExitStatus.NEEDS_USER
    message_key = "error.needs_user"


class WrongCode(NeedsUser):
    message_key = "error.wrong_code"


class CredentialMissing(AssistantError):
    exit_status = ExitStatus.CREDENTIAL_MISSING
    message_key = "error.credential_missing"


class UnsafeAction(AssistantError):
    """Refused for safety: other origin, forbidden URL scheme, second submission."""

    exit_status = ExitStatus.UNSAFE
    message_key = "error.unsafe"


class SiteError(AssistantError):
    """The site kept failing (HTTP 5xx, timeouts) after bounded retries."""

    exit_status = ExitStatus.SITE_ERROR
    message_key = "error.site_error"


class TransientSiteError(SiteError):
    """Server errors or failed requests were seen while waiting: worth a bounded retry before submit."""

    message_key = "error.site_error"


class SiteUnreachable(SiteError):
    """The browser could not reach the site at all (connection refused, DNS, TLS): the network or the
    site is down, which says nothing about the profile."""

    message_key = "error.unreachable"


class NoDisplay(NeedsUser):
    """A visible browser was asked for, and this session has no display to show it on."""

    message_key = "error.no_display"


class BrowserMissing(AssistantError):
    exit_status = ExitStatus.ENVIRONMENT
    message_key = "error.browser_missing"
