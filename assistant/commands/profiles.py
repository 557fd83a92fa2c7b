"""closure-assistant profiles list | validate"""
from __future__ import annotations

import sys
from pathlib import Path

from assistant.commands import add_command, common_options


def add_parser(sub):
    p = add_command(sub, "profiles", "list and validate site profiles", lambda a, l: _no_action(p), 
                    "Site profiles describe each platform's closure path. See docs/writing-profiles.md.")
    psub = p.add_subparsers(dest="profiles_command", metavar="ACTION")
    plist = psub.add_parser("list", help="the sites this tool knows")
    plist.set_defaults(handler=run_list)
    common_options(plist)
    pval = psub.add_parser("validate", help="check profiles; prints file:line:column and a sentence per problem")
    pval.add_argument("paths", nargs="*", type=Path, help="files (default: every known profile)")
    pval.set_defaults(handler=run_validate)
    common_options(pval)


def _no_action(parser) -> int:
    parser.print_help()
    return 2


def run_list(args, lang: str) -> int:
    from assistant.errors import AssistantError
    from assistant.profile_loader import load_profile
    from assistant.profile_registry import profile_paths
    for site, path in profile_paths().items():
        try:
            p = load_profile(path)
            routes = ",".join(p.closure.routes)
            print(f"{site}\t{p.names['zh']} / {p.names['en']}\t{routes}\t{path}")
        except AssistantError:
            print(f"{site}\t(invalid: run profiles validate {path})\t-\t{path}")
    return 0


def run_validate(args, lang: str) -> int:
    from assistant.profile_loader import validate_paths
    from assistant.profile_registry import profile_paths
    paths = list(args.paths) or list(profile_paths().values())
    problems = validate_paths(paths)
    for fname, line, col, message in problems:
        print(f"{fname}:{line}:{col}: {message}")
    bad = {p[0] for p in problems}
    print(f"{len(paths) - len(bad)} valid, {len(bad)} invalid, {len(problems)} problems", file=sys.stderr)
    return 5 if problems else 0
