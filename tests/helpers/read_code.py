"""--code-command for tests: reads the code the portal just sent, through its test hook."""
import json
import os
import urllib.parse
import urllib.request

base = os.environ["CLOSURE_ASSISTANT_BASE_URL"]
account = os.environ["CLOSURE_ASSISTANT_ACCOUNT"]
override = os.environ.get("TEST_CODE_OVERRIDE")
if override:
    print(override)
else:
    with urllib.request.urlopen(f"{base}/__test__/code?account={urllib.parse.quote(account)}") as resp:
        code = json.load(resp)["code"]
    if os.environ.get("TEST_CODE_LOG"):  # the reliability suite looks for every code given in the output
        with open(os.environ["TEST_CODE_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{code}\n")
    print(code)
