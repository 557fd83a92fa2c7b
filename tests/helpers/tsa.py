"""A throwaway RFC 3161 time-stamping authority for tests: OpenSSL's own `openssl ts -reply` behind a
tiny Flask app on 127.0.0.1, with a CA and a TSA key generated for the test (never the internet).

    with LocalTSA(tmp_path) as tsa:
        tsa.url          # http://127.0.0.1:PORT/
        tsa.ca_pem       # the throwaway root, for `openssl ts -verify -CAfile`
        tsa.answer = "500" | "garbage" | "wrong_imprint" | None   # how it misbehaves
"""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from flask import Flask, Response, request
from werkzeug.serving import WSGIRequestHandler, make_server

TSA_NAME = "Test Time Stamping Authority"
OPENSSL_CONFIG = """
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
clock_precision_digits = 3
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "closure-assistant tests")])


def make_ca(common_name: str = "Test Root CA", days: int = 30):
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(_name(common_name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def issue(ca_key, ca_cert, common_name: str, *, san=None, eku=None, days: int = 30):
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(ca_cert.subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=days)))
    if san is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    return key, builder.sign(ca_key, hashes.SHA256())


def pem(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args) -> None:
        pass


class LocalTSA:
    def __init__(self, folder: Path | None = None):
        if shutil.which("openssl") is None:
            raise RuntimeError("openssl is needed for the local time-stamping authority")
        self.dir = Path(folder or tempfile.mkdtemp(prefix="tsa-")) / "tsa"
        self.dir.mkdir(parents=True, exist_ok=True)
        ca_key, ca = make_ca("Test TSA Root")
        tsa_key, tsa = issue(ca_key, ca, TSA_NAME, eku=[ExtendedKeyUsageOID.TIME_STAMPING])
        (self.dir / "ca.pem").write_bytes(pem(ca))
        (self.dir / "tsa.pem").write_bytes(pem(tsa))
        (self.dir / "tsa.key").write_bytes(key_pem(tsa_key))
        (self.dir / "serial").write_text("01\n")
        (self.dir / "openssl.cnf").write_text(OPENSSL_CONFIG.format(dir=self.dir))
        self.ca_pem = self.dir / "ca.pem"
        self.answer: str | None = None     # None: a proper token; "500", "garbage", "wrong_imprint"
        self.requests = 0
        self._lock = threading.Lock()
        app = Flask("local-tsa")
        app.add_url_rule("/", "stamp", self._stamp, methods=["POST"])
        self._server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/"

    def _reply(self, query: bytes) -> bytes:
        with self._lock, tempfile.TemporaryDirectory() as work:
            self.requests += 1
            query_file, reply_file = Path(work) / "q.tsq", Path(work) / "r.tsr"
            query_file.write_bytes(query)
            subprocess.run(["openssl", "ts", "-reply", "-config", str(self.dir / "openssl.cnf"), "-queryfile",
                            str(query_file), "-out", str(reply_file)], check=True, capture_output=True)
            return reply_file.read_bytes()

    def _stamp(self):
        if self.answer == "500":
            return Response("busy", status=500)
        if self.answer == "garbage":
            return Response(b"not a timestamp", content_type="application/timestamp-reply")
        query = request.get_data()
        if self.answer == "wrong_imprint":  # a token for other data than was asked
            query = _other_query()
        return Response(self._reply(query), content_type="application/timestamp-reply")

    def start(self) -> "LocalTSA":
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "LocalTSA":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _other_query() -> bytes:
    from rfc3161_client import HashAlgorithm, TimestampRequestBuilder
    return (TimestampRequestBuilder().data(b"something else").hash_algorithm(HashAlgorithm.SHA256)
            .build().as_bytes())
