"""Under --lang zh the CLI speaks Chinese exactly when things go wrong, too: every sentence it says comes from
the catalogue in both languages. Each row of CASES is one real CLI invocation on an error path (or a run
whose progress lines once leaked English); the test fails when its output holds English the user did not
type and the tool did not quote (paths, URLs, commands, option names, the profile's own texts).

To cover a new error path, add a row: an id, the arguments ({placeholders} below), what to type on
standard input, the exit status, and the portal it needs (None: no portal).
"""
from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from assistant import messages
from tests.conftest import ROOT
from tests.test_cli import READ_CODE, cli

BAD = ROOT / "tests" / "profiles" / "bad"
GOOD = ROOT / "tests" / "profiles" / "good"


@dataclass
class Case:
    id: str
    args: list[str]              # {base}, {base_port}, {tmp}, {bad}, {good}, {clean}, {unpaid}, {closed_port}, {read_code} are filled in
    status: int
    portal: str | None = None    # a bundled portal the case runs against (its profile's texts are the site's words)
    stdin: str = ""              # {password} is the account's password
    env: dict = field(default_factory=dict)


CLOSE = ["close", "demo-lender", "--base-url", "{base}", "--db", "{tmp}/cases.sqlite3", "--evidence-dir", "{tmp}/ev"]

CASES = [
    # the command line itself
    Case("bad option", ["close", "--bogus"], 2),
    Case("bad option value", ["close", "demo-lender", "--timeout-ms", "soon"], 2),
    Case("unknown command", ["frob"], 2),
    Case("site without account", ["close", "demo-lender"], 2),
    Case("status without site", ["status"], 2),
    Case("bad plan", ["close", "--plan", "{tmp}/plan.yaml"], 2),
    # profiles
    Case("unknown site", ["close", "no-such-lender", "--account", "1"], 5),
    Case("bad profile", ["close", "{bad}/unknown-step.yaml", "--account", "1", "--password-stdin"], 5, stdin="x"),
    Case("every validator sentence", ["profiles", "validate", *sorted(str(p) for p in BAD.glob("*.yaml"))], 5),
    Case("unknown demo site", ["demo", "--site", "no-such-lender"], 2),
    # the run: the site says no, the code is wrong, nobody says yes, something is unsafe or unreachable
    Case("blocked by site", [*CLOSE, "--account", "{unpaid}", "--password-stdin", "--yes", "--code-command", "{read_code}"],
         3, "demo-lender", stdin="{password}"),
    Case("wrong code", [*CLOSE, "--account", "{clean}", "--password-stdin", "--yes", "--code-command", "{read_code}"],
         4, "demo-lender", stdin="{password}", env={"TEST_CODE_OVERRIDE": "111111"}),
    Case("needs you (no yes)", [*CLOSE, "--account", "{clean}", "--password-stdin", "--code-command", "{read_code}"],
         4, "demo-lender", stdin="{password}"),
    Case("needs you (a slider)", ["close", "wallet-lender", "--base-url", "{base}", "--db", "{tmp}/cases.sqlite3",
                                  "--evidence-dir", "{tmp}/ev", "--account", "{clean}", "--password-stdin",
                                  "--code-command", "{read_code}"], 4, "wallet-lender", stdin="{password}"),
    Case("dry run progress", [*CLOSE, "--account", "{clean}", "--password-stdin", "--dry-run",
                              "--code-command", "{read_code}"], 0, "demo-lender", stdin="{password}"),
    Case("unsafe", ["close", "demo-lender", "--account", "1", "--base-url", "http://lender.invalid:9", "--db",
                    "{tmp}/cases.sqlite3", "--evidence-dir", "{tmp}/ev", "--password-stdin", "--yes"], 8, stdin="x"),
    Case("site unreachable", ["close", "demo-lender", "--account", "1", "--base-url", "http://127.0.0.1:{closed_port}",
                              "--db", "{tmp}/cases.sqlite3", "--evidence-dir", "{tmp}/ev", "--password-stdin"], 9,
         stdin="x"),
    Case("no password, no terminal", ["close", "demo-lender", "--account", "13800000001", "--db", "{tmp}/cases.sqlite3",
                                      "--evidence-dir", "{tmp}/ev"], 7),
    Case("no display", ["close", "demo-lender", "--account", "1", "--headed", "--password-stdin", "--db",
                        "{tmp}/cases.sqlite3", "--evidence-dir", "{tmp}/ev"], 4, stdin="x",
         env={"DISPLAY": "", "WAYLAND_DISPLAY": ""}),
    Case("no browser", ["close", "demo-lender", "--account", "1", "--browser-path", "/nonexistent/chrome",
                        "--password-stdin", "--db", "{tmp}/cases.sqlite3", "--evidence-dir", "{tmp}/ev"], 15, stdin="x"),
    Case("doctor without a browser", ["doctor", "--browser-path", "/nonexistent/chrome"], 15),
    # evidence and credentials
    Case("verify a folder that is not evidence", ["evidence", "verify", "{tmp}"], 2),
    Case("verify with a too short fingerprint", ["evidence", "verify", "{tmp}/bundle", "--fingerprint", "54f4c0d1"], 2),
    Case("report of a folder that is not evidence", ["evidence", "report", "{tmp}"], 2),
    # trusted timestamps (issue 14): a settings file that is not YAML; an authority that cannot be reached
    Case("bad settings file", ["demo"], 2, env={"CLOSURE_ASSISTANT_HOME": "{tmp}/home"}),
    Case("timestamp authority unreachable", [*CLOSE, "--account", "{clean}", "--password-stdin", "--dry-run",
                                             "--code-command", "{read_code}", "--tsa", "http://127.0.0.1:{closed_port}/"],
         0, "demo-lender", stdin="{password}"),
    Case("timestamp of a folder that is not evidence", ["evidence", "timestamp", "{tmp}", "--tsa", "http://127.0.0.1:9/"], 2),
    Case("credentials set without a terminal", ["credentials", "set", "demo-lender", "13800000001"], 7),
    Case("credentials delete of nothing stored", ["credentials", "delete", "demo-lender", "13800000009"], 7),
    # witness: closing by hand (issue 16)
    Case("witness of neither an address nor a site", ["witness", "no-such-lender"], 2),
    Case("witness of a plain http address", ["witness", "http://lender.example/login"], 2),
    Case("witness with --base-url and an address", ["witness", "https://lender.example/login", "--base-url",
                                                     "http://127.0.0.1:9"], 2),
    Case("witness with a bad id", ["witness", "https://lender.example/login", "--id", "Not An Id"], 2),
    Case("witness with a draft file not named after its id", ["witness", "https://lender.example/login", "--output",
                                                              "{tmp}/other.yaml"], 2),
    Case("witness without a display", ["witness", "https://lender.example/login", "--db", "{tmp}/cases.sqlite3",
                                       "--evidence-dir", "{tmp}/ev"], 4, env={"DISPLAY": "", "WAYLAND_DISPLAY": ""}),
    Case("witness of a site that is down", ["witness", "http://127.0.0.1:{closed_port}/login", "--headless", "--db",
                                            "{tmp}/cases.sqlite3", "--evidence-dir", "{tmp}/ev"], 9),
    # the local web app: a port another program holds (here the portal's)
    Case("app on a port in use", ["app", "--port", "{base_port}", "--no-browser", "--db", "{tmp}/cases.sqlite3"], 15,
         "demo-lender"),
    # before and after the submit (issue 15): the checklist, prepare, cases, note, letters, customer service
    Case("checklist item unknown", ["prepare", "demo-lender", "--account", "13800000001", "--checked", "nope",
                                    "--db", "{tmp}/cases.sqlite3"], 2),
    Case("required checklist item not ticked", ["close", "{good}/playground-documents.yaml", "--account", "13800000000",
                                                "--base-url", "http://127.0.0.1:9", "--db", "{tmp}/cases.sqlite3",
                                                "--evidence-dir", "{tmp}/ev", "--password-stdin"], 4, stdin="x"),
    Case("no prepare flow", ["prepare", "desktop-lender", "--account", "a@example.com", "--db", "{tmp}/cases.sqlite3"], 4),
    Case("letters of no case", ["letters", "1", "--db", "{tmp}/cases.sqlite3"], 2),
    Case("note on no case", ["note", "7", "called them", "--db", "{tmp}/cases.sqlite3"], 2),
    Case("nothing due", ["cases", "--due", "--db", "{tmp}/cases.sqlite3"], 0),
    Case("calendar unwritable", ["cases", "--ics", "{tmp}/missing/closures.ics", "--db", "{tmp}/cases.sqlite3"], 15),
    Case("customer service, no answers", ["close", "{good}/phone-only-lender.yaml", "--account", "13800000001",
                                          "--db", "{tmp}/cases.sqlite3"], 4),
    Case("customer service, bad date", ["close", "{good}/phone-only-lender.yaml", "--account", "13800000001",
                                        "--contacted-on", "2026-13-01", "--db", "{tmp}/cases.sqlite3"], 2),
]

# --------------------------------------------------------------- what English may stay

# Commands and technical names a sentence quotes; they are the same in every language.
QUOTED = [
    r"closure-assistant(?: [A-Za-z0-9_.:=*…/-]+)*",
    r"(?:sudo )?apt-get install [\w-]+(?: [\w-]+)*", r"(?:python -m )?playwright install chromium", r"xvfb-run",
    r"python -m [\w.]+", r"sha256sum -c [\w.]+", r"net::ERR_\w+", r"Secret Service",
]
# Third-party technical details a sentence labels as such (PyYAML's, a codec's, jsonschema's own words).
LABELLED = [r"YAML 解析器的说明：[^）]*", r"解码器的说明：[^）]*", r"校验器的说明：[^）]*"]
STRIP = [
    *LABELLED,
    r"\w+://[^\s，。；）」”]+",                        # URLs
    r"(?<![\w-])(?:~|\.{1,2})?/[^\s，。；：（）「」“”]+",  # paths
    r"--[a-z][a-z-]*",                                 # option names
    r"\[[^\]\n]*\]", r"\{[^}\n]*\}",                   # usage syntax: [--lang {zh,en}]
    r"\b[A-Z][A-Z0-9_]{1,}\b",                         # METAVARS and ENVIRONMENT_VARIABLES
    r"\b\w+(?:\.\w+)+\b",                              # dotted names (keyrings.alt.file.PlaintextKeyring)
    r"'[^'\n]*'",                                      # values quoted back to the user ('soon', 'frob')
    r"!!?[\w/:.-]+",                                   # YAML tags (!!python/object/apply:os.system)
    r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b",                   # kebab-case identifiers: site ids, option values
    *QUOTED,
]
WORD = r"[A-Za-z][A-Za-z'’]*"
ENGLISH_RUN = re.compile(rf"{WORD}(?:[ ,;:.()/-]+{WORD}){{2,}}")


def profile_texts(name: str) -> list[str]:
    """Every text of a profile: its step names, closure facts, ... are the contributor's words, shown as written."""
    def walk(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)
    data = yaml.safe_load((ROOT / "site_profiles" / f"{name}.yaml").read_text("utf-8"))
    return sorted(set(walk(data)), key=len, reverse=True)


def _keywords() -> set[str]:
    """The profile language's own words (field names, step actions, enum values): code, not prose."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            found.update(k for k in node.get("properties", {}) if isinstance(k, str))
            found.update(v for v in node.get("enum", []) if isinstance(v, str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    from assistant.profiles.loader import schema
    walk(schema())
    return found


KEYWORDS = _keywords()
KEYWORD_LIST = re.compile(r"\b[a-z_]+(?:, [a-z_]+)+\b")  # "goto, click, fill, ..." as a sentence lists them


def english_leaks(text: str, quoted: list[str]) -> list[str]:
    for value in sorted(quoted, key=len, reverse=True):
        if len(value) > 2:  # a whole value, not the inside of a word ("verification" in verification_code)
            text = re.sub(rf"(?<![\w-]){re.escape(value)}(?![\w-])", "□", text)
    for pattern in STRIP:
        text = re.sub(pattern, "□", text)
    text = KEYWORD_LIST.sub(lambda m: "□" if set(m.group(0).split(", ")) <= KEYWORDS else m.group(0), text)
    return [m.group(0) for m in ENGLISH_RUN.finditer(text)]


def test_the_heuristic_finds_english_and_lets_commands_paths_and_options_pass():
    assert english_leaks("需要您本人操作，已停止：this step needs a person", []) == ["this step needs a person"]
    assert english_leaks("[1/22] open the site", []) == ["open the site"]
    assert english_leaks("1 problems found here", []) == ["problems found here"]
    assert english_leaks("请运行 closure-assistant credentials set demo-lender 账号；见 /usr/share/doc/x y z", []) == []
    assert english_leaks("用法：closure-assistant close [-h] [--lang {zh,en}] [--account ACCOUNT] [SITE ...]", []) == []
    assert english_leaks("无效的选择：'frob'（可选：'close', 'status'）", []) == []
    assert english_leaks("[2/22] 注销原因 / how you heard of us", ["注销原因 / how you heard of us"]) == []
    assert english_leaks("步骤动作有：goto, click, fill；常用键：name, optional, timeout_ms", []) == []
    assert english_leaks("可用：goto, click, then, something, else", []) == ["goto, click, then, something, else"]


# --------------------------------------------------------------- running the rows

def base_port(url: str) -> str:
    from urllib.parse import urlsplit
    return str(urlsplit(url).port)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_zh_error_paths_say_everything_in_chinese(case, portals, tmp_path):
    (tmp_path / "plan.yaml").write_text("- site: demo-lender\n  passwd: x\n", "utf-8")
    (tmp_path / "bundle" / "steps").mkdir(parents=True)
    (tmp_path / "home" / "config").mkdir(parents=True)
    (tmp_path / "home" / "config" / "settings.yaml").write_text("timestamp: [unclosed\n", "utf-8")
    portal = portals(case.portal) if case.portal else None
    accounts = portal.info.accounts if portal else {}
    values = {"tmp": str(tmp_path), "bad": str(BAD), "good": str(GOOD), "closed_port": str(closed_port()), "read_code": READ_CODE,
              "base": portal.base_url if portal else "", "clean": accounts.get("clean", ""),
              "unpaid": accounts.get("unpaid", ""),
              "base_port": base_port(portal.base_url) if portal else ""}
    args = [a.format(**values) for a in case.args]
    account = args[args.index("--account") + 1] if "--account" in args else ""
    password = portal.info.passwords.get(account, "") if portal else ""
    stdin = case.stdin.format(password=password) + "\n" if case.stdin else ""
    proc = cli(*args, "--lang", "zh", stdin=stdin, env_extra={k: v.format(**values) for k, v in case.env.items()})
    output = proc.stdout + proc.stderr
    assert proc.returncode == case.status, output

    quoted = [*args, *values.values(), "closure-assistant", "demo-lender", "13800000001"]
    for name in {"demo-lender", case.portal} - {None}:
        quoted += profile_texts(name)
    leaks = english_leaks(output, quoted)
    assert not leaks, f"untranslated English under --lang zh: {leaks}\n---\n{output}"
    for bug in ("Traceback", "这是工具的缺陷"):
        assert bug not in output, output


def test_every_catalogue_entry_speaks_both_languages_with_the_same_parameters():
    fields = re.compile(r"\{(\w+)")
    for key, entry in messages.CATALOGUE.items():
        assert entry.get("zh") and entry.get("en"), key
        assert set(fields.findall(entry["zh"])) == set(fields.findall(entry["en"])), key
        assert "哈希" not in entry["zh"] and "密钥环" not in entry["zh"], key  # plain words for a borrower
        assert not re.search(r"[\u4e00-\u9fff）」”]:(?!//)|[^\w/]:[\u4e00-\u9fff]", entry["zh"]), \
            f"{key}: an ASCII colon inside Chinese text"


def test_argparse_speaks_chinese_and_english_counts_right(tmp_path):
    helped = cli("--lang", "zh", "--help")
    assert helped.returncode == 0
    for heading in ("用法：", "位置参数：", "选项：", "退出状态：", "显示本帮助并退出"):
        assert heading in helped.stdout, heading
    assert "usage:" not in helped.stdout and "options:" not in helped.stdout
    wrong = cli("close", "--lang", "zh", "--bogus")
    assert wrong.returncode == 2 and "无法识别的参数：--bogus" in wrong.stderr and "error:" not in wrong.stderr
    one = cli("profiles", "validate", str(BAD / "two-submits.yaml"), "--lang", "en")
    assert "0 valid, 1 invalid, 1 problem\n" in one.stderr  # not "1 problems"


def test_a_wrong_code_is_reported_once_per_attempt(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean"]
    proc = cli("close", "demo-lender", "--account", account, "--base-url", demo_portal.base_url, "--password-stdin",
               "--yes", "--code-command", READ_CODE, "--db", str(tmp_path / "cases.sqlite3"), "--evidence-dir",
               str(tmp_path), "--lang", "zh", stdin=demo_portal.info.passwords[account] + "\n",
               env_extra={"TEST_CODE_OVERRIDE": "111111"})
    assert proc.returncode == 4, proc.stderr
    said = [line for line in proc.stderr.splitlines() if "验证码错误" in line]
    assert len(said) == 3 and all(line.strip().startswith("重试") for line in said), proc.stderr
