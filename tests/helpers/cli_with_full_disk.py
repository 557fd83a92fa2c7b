"""The real CLI with a disk that fills up, for machines where a test cannot mount a small tmpfs.

    python tests/helpers/cli_with_full_disk.py WHEN close demo-lender --account ...

WHEN = before_submit: the disk reports 1 MB free (the preflight before the submit must refuse);
WHEN = after_submit: every evidence write after the submit was recorded fails with ENOSPC, the report's
too. The product has no such hook: this stands in for `mount -t tmpfs -o size=...`.
"""
from __future__ import annotations

import errno
import sys
from collections import namedtuple
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from assistant.evidence import report, writer  # noqa: E402


def main(argv: list[str]) -> int:
    when, *cli_args = argv
    if when == "before_submit":
        usage = namedtuple("usage", "total used free")
        full_disk = type("FullDisk", (), {"disk_usage": staticmethod(lambda path: usage(2**30, 2**30, 2**20))})
        writer.shutil = full_disk  # only the writer's view of the disk: 1 MB free
    else:
        real_write, real_report = writer.atomic_write, report._write_all
        full = {"now": False}

        def no_space(*_args, **_kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        def atomic_write(path, data):
            if full["now"]:
                no_space()
            real_write(path, data)
        original = writer.EvidenceWriter._on_SubmitStarting

        def submit_starting(self, event):
            original(self, event)
            full["now"] = True  # the submit is on disk; from here on the disk is full
        writer.atomic_write = atomic_write
        writer.EvidenceWriter._on_SubmitStarting = submit_starting
        report._write_all = lambda *a, **k: no_space() if full["now"] else real_report(*a, **k)
    from assistant.cli.main import main as cli_main
    return cli_main(cli_args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
