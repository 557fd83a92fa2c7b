"""The site's identity and the capture environment in the manifest (issue 14): who the browser was talking
to (the server's address, the TLS certificate it accepted), the browser and proxy in effect, and whether the
run reached only the profile's origins. Against a real local HTTPS portal with a throwaway certificate."""
from __future__ import annotations

import json
import ssl
from ipaddress import ip_address

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from assistant.errors import SiteUnreachable
from assistant.evidence.verify import verify_bundle
from tests.conftest import ROOT
from tests.helpers.tsa import issue, key_pem, make_ca, pem
from tests.playground.fixtures import playground, playground_site, run_playground  # noqa: F401


@pytest.fixture(scope="module")
def https_portal(tmp_path_factory):
    """demo-lender served over https with a certificate for 127.0.0.1 from a CA made for this test."""
    from assistant.portals import PORTALS, PortalClient, start_portal
    folder = tmp_path_factory.mktemp("tls")
    ca_key, ca = make_ca("Throwaway Site CA")
    key, cert = issue(ca_key, ca, "127.0.0.1", san=[x509.IPAddress(ip_address("127.0.0.1"))])
    (folder / "chain.pem").write_bytes(pem(cert) + pem(ca))
    (folder / "key.pem").write_bytes(key_pem(key))
    (folder / "ca.pem").write_bytes(pem(ca))
    served = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    served.load_cert_chain(folder / "chain.pem", folder / "key.pem")
    server = start_portal("demo-lender", test_mode=True, ssl_context=served)
    trusted = ssl.create_default_context(cafile=str(folder / "ca.pem"))
    portal = type("HttpsPortal", (), {})()
    portal.name, portal.info, portal.base_url = "demo-lender", PORTALS["demo-lender"], server.base_url
    portal.client, portal.certificate, portal.ca = PortalClient(server.base_url, ssl_context=trusted), cert, ca
    yield portal
    server.stop()


def https_profile(portal, tmp_path):
    """The demo lender's profile for its https address (https origins name their port)."""
    data = yaml.safe_load((ROOT / "site_profiles" / "demo-lender.yaml").read_text("utf-8"))
    data["origins"] = [portal.base_url]
    data["start_url"] = portal.base_url + "/login"
    path = tmp_path / "demo-lender.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    from assistant.profiles.loader import load_profile
    return load_profile(path)


def run_https(portal, browser, tmp_path, *, ignore_certificate_errors: bool, dry_run: bool = True):
    from assistant.driving.executor import RunOptions
    from assistant.driving.interaction import ScriptedInputs
    from assistant.engine.runner import run_profile
    account = portal.info.accounts["clean"]
    portal.client.reset()
    inputs = ScriptedInputs(secrets={"password": portal.info.passwords[account]},
                            codes=lambda d, c, a: portal.client.latest_code(account), yes=True)
    options = RunOptions(base_url=portal.base_url, timeout_ms=10_000, dry_run=dry_run,
                         ignore_certificate_errors=ignore_certificate_errors)
    return run_profile(https_profile(portal, tmp_path), account, inputs, options,
                       evidence_root=tmp_path / "evidence", browser=browser)


def test_the_manifest_names_the_server_and_the_certificate_the_browser_accepted(https_portal, browser, tmp_path,
                                                                                monkeypatch):
    monkeypatch.setenv("ALL_PROXY", "http://someone:pr0xy-Secret@proxy.invalid:3128")  # recorded, never its password
    record = run_https(https_portal, browser, tmp_path, ignore_certificate_errors=True)
    assert record.result.outcome == "dry_run_ok", record.result.error
    manifest = json.loads((record.evidence_dir / "manifest.json").read_text("utf-8"))
    port = int(https_portal.base_url.rsplit(":", 1)[1])

    identities = [e for e in manifest["entries"] if e["kind"] == "site_identity"]
    assert len(identities) == 1, identities  # one origin, recorded once, inside the hash chain
    site = identities[0]
    assert site["origin"] == https_portal.base_url and site["server_ip"] == "127.0.0.1" and site["server_port"] == port
    tls = site["tls"]
    certificate = https_portal.certificate
    assert tls["sha256"] == certificate.fingerprint(hashes.SHA256()).hex()
    assert tls["chain_sha256"][1] == https_portal.ca.fingerprint(hashes.SHA256()).hex()
    assert "CN=127.0.0.1" in tls["subject"] and "CN=Throwaway Site CA" in tls["issuer"]
    assert tls["not_before"] == certificate.not_valid_before_utc.isoformat().replace("+00:00", "Z")
    assert tls["not_after"] == certificate.not_valid_after_utc.isoformat().replace("+00:00", "Z")
    assert tls["protocol"].startswith("TLS") and tls["names"] == ["127.0.0.1"]
    # The browser was told to accept this throwaway certificate (a test only): the manifest says so, twice.
    assert tls["certificate_error"] == "net::ERR_CERT_AUTHORITY_INVALID"
    environment = manifest["environment"]
    assert environment["certificate_errors_ignored"] is True

    # the capture environment: browser and its mode, proxy settings (password masked), this computer
    assert environment["browser"]["version"] == manifest["browser"]["version"] and environment["browser"]["headless"]
    assert environment["proxy"]["environment"]["ALL_PROXY"] == "http://someone:●●●@proxy.invalid:3128"
    assert environment["proxy"]["browser_launch"] is None
    for path in record.evidence_dir.rglob("*"):
        if path.is_file():
            assert b"pr0xy-Secret" not in path.read_bytes(), path

    network = manifest["result"]["network"]
    assert network == {"origins_reached": [https_portal.base_url], "outside_profile": [],
                       "only_profile_origins": True, "blocked_requests": []}
    assert verify_bundle(record.evidence_dir).status == 0

    html = (record.evidence_dir / "report.html").read_text("utf-8")
    assert tls["sha256"] in html and "127.0.0.1:%d" % port in html
    assert "ERR_CERT_AUTHORITY_INVALID" in html


def test_a_user_run_never_accepts_an_untrusted_certificate(https_portal, browser, tmp_path):
    record = run_https(https_portal, browser, tmp_path, ignore_certificate_errors=False)
    assert isinstance(record.result.error, SiteUnreachable), record.result.error
    assert "CERT" in record.result.error.detail
    assert https_portal.client.state(https_portal.info.accounts["clean"])["status"] == "active"
    manifest = json.loads((record.evidence_dir / "manifest.json").read_text("utf-8"))
    assert manifest["environment"]["certificate_errors_ignored"] is False


def test_requests_the_tool_blocked_are_listed(run_playground, playground):
    run = run_playground("bad/runtime/foreign-frame-password", "clean")
    manifest = json.loads((run.record.evidence_dir / "manifest.json").read_text("utf-8"))
    network = manifest["result"]["network"]
    blocked = network["blocked_requests"]
    assert [b["url"] for b in blocked] == [playground.foreign_url + "/phish"], blocked
    assert blocked[0]["method"] == "GET" and blocked[0]["count"] == 1
    assert network["only_profile_origins"] is False
    assert playground.state.foreign_log == []  # blocked, so never reached
