"""--code-command for tests: kills the CLI's browser (KILL=browser) or its Playwright driver (KILL=driver),
then answers with the code the portal sent. The run then meets a dead browser at a known step."""
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.helpers.processes import descendants, command_line  # noqa: E402

what = os.environ["KILL"]
cli = os.getppid()
for pid in descendants(cli):
    line = command_line(pid)
    if what == "driver" and "run-driver" in line:
        os.kill(pid, signal.SIGKILL)
    elif what == "browser" and "chrom" in line.split(" ")[0] and "--type=" not in line:
        os.kill(pid, signal.SIGKILL)  # the browser process itself; its renderers follow it
print("123456")
