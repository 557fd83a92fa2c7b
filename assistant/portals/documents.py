"""The documents a practice lender offers for download (a settlement certificate, repayment records),
and how a fault knob can make that download misbehave (too large, from another origin).

A real lender's certificate is a PDF; this one is a small valid PDF written by hand (one page, plain
ASCII text in a standard font, so no font files are needed), with the account and the loan named.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, Response, redirect, request

from .base import fail, portal

MB = 1024 * 1024
# Documents handed out through another origin (download_origin=redirect): that origin has no login
# session, so the file waits under a one-time token, as a storage service's signed link would.
shared = Blueprint("documents", __name__)


def simple_pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing `lines` (ASCII) in Helvetica: a valid file any PDF reader opens."""
    def text(line: str) -> str:
        return line.encode("ascii", "replace").decode("ascii").replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = "BT /F1 14 Tf 56 780 Td 20 TL " + " ".join(f"({text(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return bytes(out)


def document_link(path: str) -> str:
    """Where a page links a document: the site's own path, or (knob download_origin=other) the same file on
    another origin (localhost instead of 127.0.0.1: the same server, a different origin to a browser)."""
    if portal.faults.download_origin == "other":
        return f"http://localhost:{request.host.rpartition(':')[2]}{path}"
    return path


def send_document(data: bytes, filename: str, mimetype: str):
    """The document as a download. Knobs: download_origin=redirect sends it through a redirect to
    another origin; download_size_mb pads it to that size (streamed, with its Content-Length)."""
    if portal.faults.download_origin == "redirect" and request.host.startswith("127.0.0.1"):
        token = secrets.token_hex(8)
        with portal.state.lock:
            portal.handed_out[token] = (data, filename, mimetype)
        return redirect(f"http://localhost:{request.host.rpartition(':')[2]}/documents/{token}")
    headers = {"Content-Disposition": f"attachment; filename={filename}"}
    size_mb = portal.faults.download_size_mb
    if not size_mb:
        return Response(data, mimetype=mimetype, headers=headers)
    total = max(len(data), size_mb * MB)

    def chunks():
        yield data
        left = total - len(data)
        while left > 0 and not portal.stopping.is_set():
            piece = min(left, MB)
            yield b"\n" * piece  # after %%EOF: readers ignore it, the size is what the knob is about
            left -= piece
    return Response(chunks(), mimetype=mimetype, headers={**headers, "Content-Length": str(total)})


@shared.get("/documents/<token>")
def handed_out(token: str):
    with portal.state.lock:
        document = portal.handed_out.pop(token, None)
    if document is None:
        return fail("not found", 404)
    data, filename, mimetype = document
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"})
