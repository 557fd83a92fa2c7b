"""Inputs from a person at a terminal, or from --code-command / --yes for automation."""
from __future__ import annotations

import getpass
import os
import shlex
import subprocess
import sys

from assistant.errors import NeedsUser
from assistant.driving.interaction import Inputs, clean_code
from assistant.engine.closing import secrets_needed  # noqa: F401 - the credentials a run types (engine)
from assistant.messages import t, terminal_safe

CODE_COMMAND_TIMEOUT_S = 300
DESTINATION_CHARS = 100  # where the code went (138****0001, a•••n@example.com): never more


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def ask_secrets_up_front(profile, account: str, known: dict, lang: str) -> dict:
    """Every credential the run will type, asked before any browser starts: a run must not stop half
    way, after the phone number was typed, because a password cannot be had."""
    from assistant.errors import CredentialMissing
    from assistant.redaction import mask_account
    secrets = dict(known)
    for name in secrets_needed(profile):
        if name in secrets:
            continue
        label = profile.credentials.get(name, {}).get("label") or {"zh": name, "en": name}
        label_text = label.get(lang) or label.get("en", name)
        if not _interactive():
            raise CredentialMissing(name, reason="no_terminal", site=profile.display_name(lang), id=profile.id,
                                    account=mask_account(account), label=label_text)
        secrets[name] = getpass.getpass(t("prompt.password", lang, site=profile.display_name(lang), label=label_text))
    return secrets


class TerminalInputs(Inputs):
    def __init__(self, lang: str, site_name: str, account: str, *, code_command: str | None = None,
                 yes: bool = False, secrets: dict | None = None, base_url: str | None = None,
                 sms_inbox=None):
        self.lang = lang
        self.site_name = site_name
        self.account = account
        self.code_command = code_command
        self.yes = yes
        self.secrets = dict(secrets or {})
        self.base_url = base_url
        self.sms_inbox = sms_inbox  # callable() -> path of the demo portal's simulated SMS, or None

    def secret(self, name, label):
        if name in self.secrets:
            return self.secrets[name]
        if not _interactive():
            raise NeedsUser(f"'{name}' is needed and there is no terminal to ask", reason="no_terminal")
        value = getpass.getpass(t("prompt.password", self.lang, site=self.site_name,
                                  label=label.get(self.lang) or label.get("en", name)))
        self.secrets[name] = value
        return value

    def code(self, destination, channel, attempt):
        destination = terminal_safe(destination or "", DESTINATION_CHARS)  # read off the site's page
        if self.code_command:
            env = dict(os.environ, CLOSURE_ASSISTANT_SITE=self.site_name, CLOSURE_ASSISTANT_ACCOUNT=self.account,
                       CLOSURE_ASSISTANT_DESTINATION=destination, CLOSURE_ASSISTANT_ATTEMPT=str(attempt),
                       CLOSURE_ASSISTANT_BASE_URL=self.base_url or "")
            try:
                proc = subprocess.run(shlex.split(self.code_command), env=env, capture_output=True, text=True,
                                      timeout=CODE_COMMAND_TIMEOUT_S, stdin=subprocess.DEVNULL)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise NeedsUser(type(exc).__name__, reason="code_command") from None  # said by error.needs_user.code_command
            lines = proc.stdout.strip().splitlines()
            return lines[0] if proc.returncode == 0 and lines else None
        if not _interactive():
            return None
        if self.sms_inbox:
            print(t("demo.sms", self.lang, path=self.sms_inbox()), file=sys.stderr)
        key = "prompt.code" if attempt == 1 else "prompt.code_retry"
        if attempt == 1 and channel == "authenticator":
            key = "prompt.code_authenticator"  # nothing was sent: no destination to name
        elif attempt == 1 and not destination:
            key = "prompt.code_no_destination"
        while True:
            raw = getpass.getpass(t(key, self.lang, site=self.site_name, destination=destination or "?",
                                    attempt=attempt))
            if not raw.strip():
                return None
            if clean_code(raw):
                return raw

    def confirm_submit(self, summary):
        if self.yes:
            return True
        if not _interactive():
            return False
        answer = input(t("prompt.confirm", self.lang, site=self.site_name, account=summary["account"]))
        return answer.strip().lower() in ("yes", "y", "是", "确认")

    def manual(self, instructions, headed):
        if headed:
            print(t("prompt.manual", self.lang, text=instructions.get(self.lang) or instructions["en"]),
                  file=sys.stderr, flush=True)
        return False
