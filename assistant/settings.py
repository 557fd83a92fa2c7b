"""Built-in defaults and where the user's data lives. Precedence: defaults < environment < command line."""
from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "closure-assistant"


def _base(env_var: str, windows_var: str, mac: str, xdg: str, xdg_default: str) -> Path:
    if os.environ.get(env_var):
        return Path(os.environ[env_var])
    if sys.platform == "win32":
        return Path(os.environ.get(windows_var, Path.home())) / APP
    if sys.platform == "darwin":
        return Path.home() / "Library" / mac / APP
    return Path(os.environ.get(xdg) or Path.home() / xdg_default) / APP


def user_data_dir() -> Path:
    """Evidence and the case database. CLOSURE_ASSISTANT_HOME overrides."""
    if os.environ.get("CLOSURE_ASSISTANT_HOME"):
        return Path(os.environ["CLOSURE_ASSISTANT_HOME"])
    return _base("CLOSURE_ASSISTANT_DATA_DIR", "LOCALAPPDATA", "Application Support", "XDG_DATA_HOME",
                 ".local/share")


def user_config_dir() -> Path:
    if os.environ.get("CLOSURE_ASSISTANT_HOME"):
        return Path(os.environ["CLOSURE_ASSISTANT_HOME"]) / "config"
    return _base("CLOSURE_ASSISTANT_CONFIG_DIR", "APPDATA", "Application Support", "XDG_CONFIG_HOME", ".config")


def evidence_root() -> Path:
    return user_data_dir() / "evidence"


DEFAULT_REVIEW_WORKING_DAYS = 15
DEFAULT_STEP_TIMEOUT_MS = 15_000
