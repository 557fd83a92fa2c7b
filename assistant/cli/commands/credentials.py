"""closure-assistant credentials set | list | delete"""
from __future__ import annotations

import sys

from assistant.cli.commands import add_command, common_options
from assistant.errors import AssistantError, CredentialMissing, ExitStatus

DESCRIPTION = """Keep a site's password in your system keyring (macOS Keychain, Windows Credential
Locker, Secret Service on Linux), so `close` and `status` need not ask for it. The password is
typed at a hidden prompt (or read from standard input with --password-stdin); it is never an
argument, never printed and never written anywhere else.

Only a keyring that keeps passwords encrypted is used. A keyring that keeps them in a plain or
merely encoded file (keyrings.alt's PlaintextKeyring) is refused (exit status 7), and so is none
at all: then install and unlock a Secret Service (GNOME Keyring, KeePassXC), or use an encrypted
file (keyrings.cryptfile, with a master password), or save nothing and type the password when
`close` asks. `closure-assistant doctor` names your keyring and says whether it is safe.

examples:
  closure-assistant credentials set demo-lender 13800000001
  printf '%s\\n' "$PW" | closure-assistant credentials set demo-lender 13800000001 --password-stdin
  closure-assistant credentials list
  closure-assistant credentials delete demo-lender 13800000001
"""


class PasswordNotGiven(CredentialMissing):
    message_key = "error.password_prompt"


class PasswordNotConfirmed(AssistantError):
    exit_status = ExitStatus.USAGE
    message_key = "error.password_prompt"


def add_parser(sub):
    p = add_command(sub, "credentials", "save, list or delete site passwords in the system keyring",
                    lambda a, lang: _no_action(p), DESCRIPTION)
    csub = p.add_subparsers(dest="credentials_command", metavar="ACTION")
    pset = csub.add_parser("set", help="save the password for SITE / ACCOUNT (asked at a hidden prompt)")
    pset.add_argument("site", metavar="SITE", help="profile id (see profiles list)")
    pset.add_argument("account", metavar="ACCOUNT", help="your login on the site")
    pset.add_argument("--password-stdin", action="store_true", help="read the password from standard input (scripts)")
    pset.set_defaults(handler=run_set)
    plist = csub.add_parser("list", help="the sites and accounts with a stored password (never the passwords)")
    plist.set_defaults(handler=run_list)
    pdel = csub.add_parser("delete", help="remove the stored password for SITE / ACCOUNT")
    pdel.add_argument("site", metavar="SITE")
    pdel.add_argument("account", metavar="ACCOUNT")
    pdel.set_defaults(handler=run_delete)
    for child in (pset, plist, pdel):
        common_options(child)


def _no_action(parser) -> int:
    parser.print_help()
    return int(ExitStatus.USAGE)


def _read_password(args, lang: str) -> str:
    import getpass

    from assistant.messages import t
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        if sys.stdin is None or not sys.stdin.isatty():
            raise PasswordNotGiven(t("cred.no_terminal", lang))
        password = getpass.getpass(t("prompt.new_password", lang, site=args.site, account=args.account))
        if password and getpass.getpass(t("prompt.repeat_password", lang)) != password:
            raise PasswordNotConfirmed(t("cred.mismatch", lang))
    if not password:
        raise PasswordNotConfirmed(t("cred.empty_password", lang))
    return password


def _site_id(site: str) -> str:
    """The id `close` looks the password up by; a typo would store a password nobody ever reads."""
    from assistant.profiles.registry import find_profile_path, load_site
    path = find_profile_path(site)
    return load_site(str(path)).id if path.stem != site else site


def _account(site: str, account: str) -> str:
    """The one spelling `close` looks the password up by (assistant/accounts.py), when the site is known."""
    from assistant.errors import ProfileNotFound
    from assistant.profiles.registry import load_site
    try:
        return load_site(site).account(account)
    except ProfileNotFound:
        return account.strip()


def run_set(args, lang: str) -> int:
    from assistant import credentials
    from assistant.messages import t
    site = _site_id(args.site)
    account = _account(site, args.account)
    backend = credentials.require_safe_keyring()  # before asking for a password that could not be kept safely
    password = _read_password(args, lang)
    credentials.set_password(site, account, password)
    print(t("cred.saved", lang, site=site, account=account, backend=backend))
    return 0


def run_list(args, lang: str) -> int:
    from assistant import credentials
    from assistant.messages import t
    from assistant.cli.tables import render
    keyring = credentials.require_usable_keyring()
    if not keyring.safe:  # it may still hold passwords saved before this tool refused it
        print(t(f"doctor.keyring_{keyring.storage}", lang, backend=keyring.name, why=keyring.detail), file=sys.stderr)
    pairs = credentials.list_accounts()
    if not pairs:
        print(t("cred.empty", lang))
        return 0
    stored = t("cred.yes", lang) if keyring.safe else t("cred.in_clear", lang)
    rows = [[site, account, stored if credentials.is_stored(site, account) else t("cred.missing", lang)]
            for site, account in pairs]
    for line in render([t("col.site", lang), t("col.account", lang), t("col.stored", lang)], rows):
        print(line)
    return 0


def run_delete(args, lang: str) -> int:
    from assistant import credentials
    from assistant.messages import t
    account = _account(args.site, args.account)
    if account != args.account and (args.site, args.account) in credentials.list_accounts():
        account = args.account  # saved under this very spelling before accounts had one
    credentials.delete_password(args.site, account)
    print(t("cred.deleted", lang, site=args.site, account=account))
    return 0
