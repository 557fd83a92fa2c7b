"""`profiles new`: a contributor starts a profile for a new site and gets a commented skeleton that
validates, with every site-specific value an obvious "TODO" that can never click anything real.
"""
from __future__ import annotations

import pytest

from assistant.cli.main import build_parser, main
from assistant.cli.commands.profiles import run_new
from assistant.errors import ExitStatus
from assistant.driving.interaction import ScriptedInputs
from assistant.engine.check import check_profile
from assistant.profiles.loader import load_profile

FLAGS = ["--id", "acme-loan", "--name-zh", "某某贷", "--name-en", "Acme Loan",
         "--url", "https://m.acme.example/login", "--route", "online", "--lang", "en"]


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home of its own: new profiles must not join the session's profile folder."""
    monkeypatch.setenv("CLOSURE_ASSISTANT_HOME", str(tmp_path))
    return tmp_path


def test_new_with_flags_writes_a_skeleton_that_validates(home, capsys):
    assert main(["profiles", "new", *FLAGS]) == 0
    path = home / "config" / "site_profiles" / "acme-loan.yaml"
    assert str(path) in capsys.readouterr().out
    text = path.read_text("utf-8")
    assert text.splitlines()[0].startswith("# yaml-language-server: $schema=")
    assert text.splitlines()[0].endswith("profile.schema.json")
    profile = load_profile(path)
    assert profile.id == "acme-loan" and profile.names == {"zh": "某某贷", "en": "Acme Loan"}
    assert profile.origins == ["https://m.acme.example"] and profile.closure.routes == ["online"]
    submit = next(s for s in profile.close_steps if s.action == "submit")
    assert "TODO" in submit.target.describe()  # an unedited skeleton can never press a real button
    assert text.count("TODO") >= 10
    assert main(["profiles", "validate", str(path)]) == 0
    assert main(["profiles", "list"]) == 0
    assert "acme-loan\t某某贷 / Acme Loan" in capsys.readouterr().out


def test_an_existing_profile_is_replaced_only_with_force(home, capsys):
    assert main(["profiles", "new", *FLAGS]) == 0
    path = home / "config" / "site_profiles" / "acme-loan.yaml"
    path.write_text(path.read_text("utf-8") + "# my edits\n", "utf-8")
    assert main(["profiles", "new", *FLAGS]) == 2
    assert "already exists" in capsys.readouterr().err
    assert "# my edits" in path.read_text("utf-8")
    assert main(["profiles", "new", *FLAGS, "--force"]) == 0
    assert "# my edits" not in path.read_text("utf-8")


def test_output_may_name_the_file_and_then_gives_the_id(tmp_path, home):
    out = tmp_path / "elsewhere" / "my-lender.yaml"
    flags = [f for f in FLAGS if f not in ("--id", "acme-loan")]
    assert main(["profiles", "new", *flags, "--output", str(out)]) == 0
    assert load_profile(out).id == "my-lender"


@pytest.mark.parametrize("url, words", [("http://m.acme.example/login", "plain http"),
                                        ("ftp://acme.example", "https://")])
def test_unsafe_addresses_are_refused(home, capsys, url, words):
    args = [a if a != "https://m.acme.example/login" else url for a in FLAGS]
    assert main(["profiles", "new", *args]) == 2
    assert words in capsys.readouterr().err
    assert not (home / "config" / "site_profiles" / "acme-loan.yaml").exists()


def test_without_a_terminal_missing_answers_are_named(home, capsys):
    assert main(["profiles", "new", "--name-zh", "某某贷", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "--name-en" in err and "--url" in err


def test_prompts_ask_for_what_is_missing_and_ask_again_after_a_bad_answer(home, capsys):
    answers = iter(["某某贷", "", "http://acme.example", "https://acme.example/login", "", "in_app"])
    asked = []

    def ask(prompt):
        asked.append(prompt)
        return next(answers)
    args = build_parser().parse_args(["profiles", "new"])
    assert run_new(args, "en", ask=ask) == 0
    assert len(asked) == 6 and "Enter: acme" in asked[4]  # the id offered from the address
    profile = load_profile(home / "config" / "site_profiles" / "acme.yaml")
    assert profile.names == {"zh": "某某贷", "en": "某某贷"} and profile.closure.routes == ["in_app"]
    assert "plain http" in capsys.readouterr().err


def test_an_unedited_skeleton_stops_at_its_first_step_and_submits_nothing(home, demo_portal, browser, tmp_path):
    out = tmp_path / "local-lender.yaml"
    assert main(["profiles", "new", "--name-zh", "本地贷", "--name-en", "Local", "--url",
                 demo_portal.base_url + "/login", "--output", str(out), "--lang", "en"]) == 0
    account = demo_portal.info.accounts["clean"]
    inputs = ScriptedInputs(secrets={"password": demo_portal.info.passwords[account]})
    report = check_profile(load_profile(out), account, inputs, base_url=demo_portal.base_url,
                           evidence_root=tmp_path / "evidence", timeout_ms=1_000, browser=browser)
    assert report.exit_status == ExitStatus.SITE_CHANGED
    assert report.broken.index == 2 and "TODO 手机号" in report.broken.locator
    assert demo_portal.client.state(account)["submissions"] == 0
