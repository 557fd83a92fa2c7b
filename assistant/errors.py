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
    CREDENTIAL_MISSING = 7   # no password in the keyring and no way to ask, or the site refused it
    UNSAFE = 8               # refused for safety (origin not declared, already submitted)
    SITE_ERROR = 9           # the site kept failing (server errors, timeouts) before submit
    EVIDENCE_ALTERED = 10    # evidence verify: a file was changed
    EVIDENCE_MISSING = 11    # evidence verify: a file was removed
    EVIDENCE_ADDED = 12      # evidence verify: an unlisted file was added
    EVIDENCE_REORDERED = 13  # evidence verify: entries reordered / chain broken
    EVIDENCE_PARTIAL = 14    # evidence verify: intact but the run did not finish
    ENVIRONMENT = 15         # this computer: no browser, evidence folder unwritable or full, case store unusable,
                             # browser crashed
    SUBMIT_UNCONFIRMED = 16  # the closure request was sent but its outcome is not confirmed
    DUE = 20                 # cases --due: something needs action today (for cron or a systemd timer)
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


# ---------------------------------------------------------------- the failure taxonomy (issue 13)
# One class per cause, so that the message, the exit status and the `cases` advice all follow the cause.

class WrongPassword(AssistantError):
    """The site refused the password (login.failed showed)."""

    exit_status = ExitStatus.CREDENTIAL_MISSING
    message_key = "error.wrong_password"


class CodeExpired(WrongCode):
    """The last code the user gave had expired and no attempt was left."""

    message_key = "error.code_expired"


class CodeLocked(BlockedBySite):
    """Too many wrong codes: the site locks the code check for a while (its message names until when)."""

    message_key = "error.code_locked"


class SessionExpired(SiteError):
    """The site logged us out again after the one re-login a run allows."""

    message_key = "error.session_expired"


class SubmitEndpointReached(UnsafeAction):
    """A step other than the submit (after the yes) tried to send the closure request; it was stopped."""

    message_key = "error.submit_endpoint"


class SubmitRejected(BlockedBySite):
    """The closure request reached the site, which said no (its words in `detail`): nothing is pending."""

    message_key = "error.submit_rejected"


class SubmitNotTaken(SiteError):
    """The request was sent, the site answered with an error, and its status shows no request."""

    message_key = "error.submit_not_taken"


class SubmitUnconfirmed(AssistantError):
    """The request was sent, and neither the result page nor the status page says what became of it."""

    exit_status = ExitStatus.SUBMIT_UNCONFIRMED
    message_key = "error.submit_unconfirmed"
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


class EnvironmentProblem(AssistantError):
    """This computer, not the site or the profile: a folder that cannot be written, a full disk, an
    unusable case store, a browser or Playwright driver that died. Fixing the machine fixes the run."""

    exit_status = ExitStatus.ENVIRONMENT
    message_key = "error.environment"


class EvidenceUnwritable(EnvironmentProblem):
    """The evidence folder cannot be made, written, or has no room for the rest of the run."""

    message_key = "error.evidence_unwritable"


class BrowserCrashed(EnvironmentProblem):
    """Chromium (or the Playwright driver that talks to it) died under the run."""

    message_key = "error.browser_crashed"


class BadSettings(AssistantError):
    """The user's settings.yaml cannot be read as settings (issue 14: the time-stamping authorities live there)."""

    exit_status = ExitStatus.USAGE
    message_key = "error.settings"
