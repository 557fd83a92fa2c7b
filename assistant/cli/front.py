"""The engine's closing logic at a terminal (`close`, `status`): the CLI's FrontEnd."""
from __future__ import annotations

import sys
from pathlib import Path

from assistant.engine.closing import CloseSettings, FrontEnd, saved_password
from assistant.engine.sentences import in_lang


def _password(profile, account: str, args, lang: str) -> tuple[dict, str]:
    """The password and where it came from (stdin, keyring, or asked for now); before any browser starts."""
    from assistant.cli.terminal import ask_secrets_up_front
    source = "stdin" if args.password_stdin else "keyring"
    known: dict = {}
    if args.password_stdin:
        line = sys.stdin.readline()
        known = {"password": line.rstrip("\r\n")} if line else {}
    else:
        stored = saved_password(profile, account)
        known = {"password": stored} if stored is not None else {}
    if "password" not in known:
        source = "prompt"
    return ask_secrets_up_front(profile, account, known, lang), source


class TerminalFrontEnd(FrontEnd):
    """The engine's closing logic at a terminal: hidden prompts (or --password-stdin, --code-command, --yes),
    progress on standard error, results on standard output, in the user's language."""

    def __init__(self, args, lang: str):
        self.args, self.lang = args, lang

    def secrets(self, profile, account):
        return _password(profile, account, self.args, self.lang)

    def inputs(self, session):
        from assistant.cli.terminal import TerminalInputs
        args = self.args
        inbox = _demo_inbox(session.practice_code) if session.practice_code else None
        return TerminalInputs(self.lang, session.profile.display_name(self.lang), session.account,
                              code_command=args.code_command, yes=getattr(args, "yes", False),
                              secrets=session.secrets, base_url=session.base_url, sms_inbox=inbox)

    def listeners(self, session):
        from assistant.cli.progress import ProgressPrinter
        return (ProgressPrinter(self.lang, session.redactor),)

    def say(self, sentence, *, err=False):
        print(in_lang(sentence, self.lang), file=sys.stderr if err else sys.stdout, flush=True)

    def ask_checklist(self, items):
        from assistant.cli.checklist import ask_items, can_ask
        return ask_items(items, self.lang) if can_ask(self.args) else None

    def closure_facts(self, profile):
        from assistant.cli.facts import closure_facts
        for line in closure_facts(profile, self.lang):
            print(line, file=sys.stderr, flush=True)


def settings_from(args) -> CloseSettings:
    """The run settings from the command line; the authorities are read here, before any browser starts
    (a bad settings file stops the command up front)."""
    from assistant.cli.commands import timestamp_authorities
    return CloseSettings(dry_run=getattr(args, "dry_run", False), headed=args.headed,
                         browser_path=args.browser_path, evidence_dir=args.evidence_dir, base_url=args.base_url,
                         timeout_ms=args.timeout_ms, db=getattr(args, "db", None),
                         timestamp_authorities=tuple(timestamp_authorities(args)),
                         report_lang=getattr(args, "lang", None),
                         checked=getattr(args, "checked", None))


def _demo_inbox(code):
    """The bundled portal cannot send a real SMS; its 'phone' is a file the user can open."""
    import tempfile

    def inbox() -> Path:
        path = Path(tempfile.gettempdir()) / "closure-assistant-demo-sms.txt"
        path.write_text(f"【示例贷】您的验证码是 {code()}，5分钟内有效。\n", "utf-8")
        return path
    return inbox


