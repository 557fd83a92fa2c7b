"""What a borrower is told and asked before anything happens: what the profile says about the site (before
any browser starts), which sites are practice sites, and the password, asked up front so a run never stops
half way for want of it."""
from __future__ import annotations

import re

from assistant.errors import ExitStatus
from tests.test_cli import READ_CODE, cli


def test_close_says_what_to_do_first_before_the_first_step(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean"]
    proc = cli("close", "demo-lender", "--account", account, "--base-url", demo_portal.base_url, "--dry-run",
               "--password-stdin", "--code-command", READ_CODE, "--db", str(tmp_path / "cases.sqlite3"),
               "--evidence-dir", str(tmp_path), "--lang", "zh", stdin=demo_portal.info.passwords[account] + "\n")
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    facts = err.index("开始之前，关于 示例贷：")
    assert facts < err.index("[1/")
    for said in ("注销前请先：", "结清全部借款并保存结清证明", "费用：不收费", "平台审核期限：提交后 15 个工作日",
                 "客服：在线客服", "练习站点"):
        assert said in err[facts:err.index("[1/")], said
    assert re.search(r"\[1/\d+\] 打开网站", err) and "跳过：演练：不可撤销的最终提交没有执行" in err


def test_profiles_show_lists_what_the_profile_says_about_the_site():
    proc = cli("profiles", "show", "wallet-lender", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for said in ("Suixinhua (wallet-lender)", "Practice site", "Names: 随心花 / Suixinhua", "Website: http://127.0.0.1/",
                 "How closure is requested: online, through customer service", "Closure modes: close now",
                 "The platform has 7 working days", "Fees: none", "Do these first:", "解除自动扣款授权",
                 "Customer service: 客服热线", "closure-assistant status",
                 "Profile last verified: 2026-11-29 (against: bundled demo portal",
                 "closure-assistant prepare saves: repayment records",  # the prepare flow, with the ids to tick
                 "coupons_used: red packets, coupons and balance are used up or given up"):
        assert said in out, said
    missing = cli("profiles", "show", "no-such-lender", "--lang", "en")
    assert missing.returncode == ExitStatus.BAD_PROFILE and "No such site profile" in missing.stderr


def test_profiles_list_marks_the_practice_sites_and_a_real_one_is_not(tmp_path):
    real = tmp_path / "acme-loan.yaml"
    made = cli("profiles", "new", "--id", "acme-loan", "--name-zh", "某某贷", "--name-en", "Acme Loan",
               "--url", "https://m.acme.example/login", "--output", str(real))
    assert made.returncode == 0, made.stderr
    proc = cli("profiles", "list", "--lang", "zh", env_extra={"CLOSURE_ASSISTANT_PROFILES": str(tmp_path)})
    rows = {line.split("\t")[0]: line.split("\t")[1] for line in proc.stdout.splitlines()}
    assert rows["demo-lender"] == "示例贷 / Demo Lender（练习站点，仅在本机运行）"
    assert all("练习站点" in rows[site] for site in ("desktop-lender", "wallet-lender"))
    assert rows["acme-loan"] == "某某贷 / Acme Loan"


def test_without_a_password_or_a_terminal_nothing_starts(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean"]
    proc = cli("close", "demo-lender", "--account", account, "--base-url", demo_portal.base_url, "--yes",
               "--db", str(tmp_path / "cases.sqlite3"), "--evidence-dir", str(tmp_path / "evidence"), "--lang", "en")
    assert proc.returncode == ExitStatus.CREDENTIAL_MISSING, proc.stderr
    assert "stopped before doing anything" in proc.stderr and "credentials set demo-lender" in proc.stderr
    assert "[1/" not in proc.stderr and not (tmp_path / "evidence").exists()  # no browser, no phone number typed


def test_a_wrong_stored_password_says_to_save_it_again(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean2"]
    home = {"KEYRING_PROPERTY_FILE_PATH": str(tmp_path / "keyring.cfg")}  # this test's own keyring file
    saved = cli("credentials", "set", "demo-lender", account, "--password-stdin", stdin="not-the-password\n",
                env_extra=home)
    assert saved.returncode == 0, saved.stderr
    proc = cli("close", "demo-lender", "--account", account, "--base-url", demo_portal.base_url, "--yes",
               "--code-command", READ_CODE, "--db", str(tmp_path / "cases.sqlite3"), "--evidence-dir",
               str(tmp_path / "evidence"), "--lang", "en", env_extra=home)
    assert proc.returncode == ExitStatus.CREDENTIAL_MISSING, proc.stderr  # the site refused the password
    assert "The site refused the password" in proc.stderr and "手机号或密码错误" in proc.stderr
    assert f"closure-assistant credentials set demo-lender {account}" in proc.stderr
    assert demo_portal.client.state(account)["submissions"] == 0
    assert "not-the-password" not in proc.stdout + proc.stderr
