"""Prints the report's HTML to PDF with Chromium, and makes its Chinese text copy and search right.

Chromium (Skia) embeds Noto Sans CJK as Type 3 fonts whose ToUnicode maps send every glyph that
a CJK ideograph shares with a Kangxi radical to the radical (示 comes out as U+2F70 ⽰), so
copying or searching "示例贷" fails. `fix_text_mapping` rewrites those maps to the ordinary
characters in a PDF incremental update: the printed page is untouched, only copy/search changes.
"""
from __future__ import annotations

import re
import unicodedata
import zlib

MARGINS = {"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}
BLOCK = re.compile(rb"\d+\s+begin(bfchar|bfrange)(.*?)end\1", re.S)
CHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")
OBJECT = re.compile(rb"(\d+) 0 obj\s*<<(.*?)>>\s*stream\r?\n", re.S)
PER_BLOCK = 100  # the CMap format allows at most 100 entries per block
# CJK radical supplements and the ideograph each shares a glyph with in Noto Sans CJK (read from
# the font's cmap; they agree with Unicode's EquivalentUnifiedIdeograph). Kangxi radicals need no
# table, NFKC maps them, except the one whose NFKC form is not the SC glyph's: ⼾ is 户 there, not 戶.
RADICAL_PAIRS = (
    "⼾户⺂乛⺃乚⺅亻⺇𠘨⺉刂⺋㔾⺍𭕄⺎兀⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵"
    "⺣灬⺤爫⺦丬⺨犭⺩𤣩⺫罒⺭礻⺮𥫗⺯糹⺰纟⺱罓⺲罒⺳㓁⺹耂⺺肀⺽𦥑⺾艹⺿艹⻂衤⻃覀⻄西⻅见"
    "⻆角⻇𧢲⻈讠⻉贝⻊𧾷⻋车⻌辶⻍辶⻎辶⻐钅⻑長⻒镸⻓长⻔门⻕𨸏⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食"
    "⻞𩙿⻟飠⻠饣⻡𩠐⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟"
)
RADICALS = {RADICAL_PAIRS[i]: RADICAL_PAIRS[i + 1] for i in range(0, len(RADICAL_PAIRS), 2)}


def print_pdf(browser, html: str, footer: str) -> bytes:
    """`browser` must be headless (Chromium prints only then); see `print_pdf_any`."""
    # A fresh context that can reach nothing: no scripts, offline, and every request refused.
    context = browser.new_context(java_script_enabled=False, offline=True)
    try:
        context.route("**/*", lambda route: route.abort())
        page = context.new_page()
        page.set_content(html, wait_until="load")
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True, display_header_footer=True,
                       header_template="<span></span>", footer_template=footer, margin=MARGINS)
    finally:
        context.close()
    return fix_text_mapping(pdf)


def print_pdf_any(browser, html: str, footer: str) -> bytes:
    """Like print_pdf, but a headed browser (--headed runs) gets a headless sibling for the print."""
    try:
        return print_pdf(browser, html, footer)
    except Exception as exc:  # noqa: BLE001 - Playwright says "only supported in headless"
        if "headless" not in str(exc).lower():
            raise
    from types import SimpleNamespace

    from assistant.driving.browser import choose_browser, launch_args
    choice = choose_browser(SimpleNamespace(chromium=browser.browser_type))
    kwargs = {"headless": True, "args": launch_args()}
    if choice.executable:
        kwargs["executable_path"] = choice.executable
    headless = browser.browser_type.launch(**kwargs)
    try:
        return print_pdf(headless, html, footer)
    finally:
        headless.close()


# ------------------------------------------------------------------ ToUnicode repair

def _readable(text: str) -> str:
    # Kangxi radicals, CJK radical supplements, compatibility ideographs and Latin ligatures
    # become the characters a reader typed; everything else stays as it is.
    return "".join(RADICALS[ch] if ch in RADICALS else unicodedata.normalize("NFKC", ch)
                   if "\u2e80" <= ch <= "\u2fdf" or "\uf900" <= ch <= "\ufaff" or "\ufb00" <= ch <= "\ufb06"
                   else ch for ch in text)


def _u16(hex_digits: bytes) -> str:
    return bytes.fromhex(hex_digits.decode("ascii")).decode("utf-16-be", errors="replace")


def fix_cmap(cmap: bytes) -> bytes:
    blocks = list(BLOCK.finditer(cmap))
    if not blocks:
        return cmap
    entries: list[tuple[bytes, str]] = []
    for block in blocks:
        if block.group(1) == b"bfchar":
            entries += [(src, _u16(dst)) for src, dst in CHAR.findall(block.group(2))]
            continue
        for lo, hi, dst in RANGE.findall(block.group(2)):
            first, last = int(lo, 16), int(hi, 16)
            if dst.startswith(b"["):
                targets = [_u16(d) for d in re.findall(rb"<([0-9A-Fa-f]+)>", dst)]
            else:
                base = _u16(dst[1:-1])
                targets = [base[:-1] + chr(ord(base[-1]) + k) for k in range(last - first + 1)] if base else []
            entries += [(b"%0*X" % (len(lo), first + k), text) for k, text in enumerate(targets)]
    fixed = [(src, _readable(text)) for src, text in entries]
    if fixed == entries:
        return cmap
    body = b""
    for start in range(0, len(fixed), PER_BLOCK):
        chunk = fixed[start:start + PER_BLOCK]
        body += b"%d beginbfchar\n" % len(chunk)
        body += b"".join(b"<%s> <%s>\n" % (src, text.encode("utf-16-be").hex().upper().encode("ascii"))
                         for src, text in chunk)
        body += b"endbfchar\n"
    return cmap[:blocks[0].start()] + body + cmap[blocks[-1].end():]


def _xref_offsets(pdf: bytes, at: int) -> dict[int, int]:
    offsets: dict[int, int] = {}
    lines = pdf[at:pdf.index(b"trailer", at)].split(b"\n")[1:]
    i = 0
    while i < len(lines):
        head = lines[i].split()
        i += 1
        if len(head) != 2:
            continue
        first, count = int(head[0]), int(head[1])
        for k in range(count):
            fields = lines[i + k].split()
            if len(fields) == 3 and fields[2] == b"n":
                offsets[first + k] = int(fields[0])
        i += count
    return offsets


def fix_text_mapping(pdf: bytes) -> bytes:
    """Returns `pdf` with an incremental update that replaces the ToUnicode maps needing repair.

    Only the simple classic-xref files Chromium writes are handled; anything else is returned as is.
    """
    tail = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf)
    trailer = re.search(rb"trailer\s*<<(.*?)>>", pdf[pdf.rfind(b"trailer"):], re.S)
    if not tail or not trailer or pdf[int(tail.group(1)):int(tail.group(1)) + 4] != b"xref":
        return pdf
    try:
        offsets = _xref_offsets(pdf, int(tail.group(1)))
    except (ValueError, IndexError):
        return pdf
    replaced: dict[int, bytes] = {}
    for number in sorted({int(n) for n in re.findall(rb"/ToUnicode (\d+) 0 R", pdf)}):
        match = OBJECT.match(pdf, offsets.get(number, -1)) if number in offsets else None
        length = re.search(rb"/Length (\d+)(?!\s+\d+\s+R)", match.group(2)) if match else None
        if not match or int(match.group(1)) != number or not length or b"/FlateDecode" not in match.group(2):
            continue
        stream = pdf[match.end():match.end() + int(length.group(1))]
        try:
            cmap = zlib.decompress(stream)
        except zlib.error:
            continue
        fixed = fix_cmap(cmap)
        if fixed != cmap:
            replaced[number] = zlib.compress(fixed)
    if not replaced:
        return pdf
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    new_offsets = {}
    for number, body in replaced.items():
        new_offsets[number] = len(out)
        out += b"%d 0 obj\n<</Filter /FlateDecode\n/Length %d>>\nstream\n" % (number, len(body))
        out += body + b"\nendstream\nendobj\n"
    xref_at = len(out)
    out += b"xref\n" + b"".join(b"%d 1\n%010d 00000 n \n" % (n, o) for n, o in sorted(new_offsets.items()))
    keep = re.sub(rb"/Prev\s+\d+", b"", trailer.group(1)).strip()
    out += b"trailer\n<<" + keep + b"\n/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (int(tail.group(1)), xref_at)
    return bytes(out)
