"""Built-in defaults, where the user's data lives, and the settings file. Precedence: defaults < settings.yaml < environment < command line."""
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


# ---------------------------------------------------------------- the user's settings file
# settings.yaml in the config folder. Precedence for each value: defaults < settings.yaml < environment
# < command line. Only what is listed here is read; anything else in the file is ignored.
SETTINGS_FILE = "settings.yaml"
TSA_ENV = "CLOSURE_ASSISTANT_TSA"          # one or more time-stamping authorities (URLs, spaces or commas between)
TSA_CA_ENV = "CLOSURE_ASSISTANT_TSA_CA"    # certificate files (PEM) of authorities this computer does not know
REPORT_PDF_ENV = "CLOSURE_ASSISTANT_REPORT_PDF"  # 0/no/off: a run writes report.html only (no PDF print)
MAX_SETTINGS_BYTES = 256 * 1024


def settings_path() -> Path:
    return user_config_dir() / SETTINGS_FILE


def user_settings() -> dict:
    """settings.yaml as a mapping ({} when there is none). A file that is not YAML, or not a mapping,
    is BadSettings: a run must not silently ignore the authorities the user asked for."""
    from assistant.errors import BadSettings
    from assistant.messages import say
    path = settings_path()
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_SETTINGS_BYTES + 1)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise BadSettings(say("settings.unreadable", detail=exc.strerror or str(exc)), path=str(path)) from None
    if len(raw) > MAX_SETTINGS_BYTES:
        raise BadSettings(say("settings.too_large", limit=MAX_SETTINGS_BYTES), path=str(path))
    import yaml
    try:
        data = yaml.safe_load(raw.decode("utf-8")) or {}
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BadSettings(say("settings.bad_yaml", detail=str(exc).splitlines()[0]), path=str(path)) from None
    if not isinstance(data, dict):
        raise BadSettings(say("settings.not_mapping"), path=str(path))
    return data


def _listed(value, what: str) -> list[str]:
    from assistant.errors import BadSettings
    from assistant.messages import say
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BadSettings(say("settings.not_list", what=what), path=str(settings_path()))
    return [v.strip() for v in value]


def _split_env(name: str) -> list[str]:
    return [part for part in os.environ.get(name, "").replace(",", " ").split() if part]


def timestamp_authorities(given: list[str] | None = None) -> list[str]:
    """The RFC 3161 time-stamping authorities to ask, in order: --tsa, else CLOSURE_ASSISTANT_TSA, else
    settings.yaml's `timestamp: {authorities: [...]}`. Empty: no trusted timestamp (off)."""
    if given:
        return list(dict.fromkeys(given))
    if _split_env(TSA_ENV):
        return list(dict.fromkeys(_split_env(TSA_ENV)))
    section = user_settings().get("timestamp") or {}
    return list(dict.fromkeys(_listed(section.get("authorities") if isinstance(section, dict) else None,
                                      "timestamp.authorities")))


def timestamp_ca_files(given: list[str] | None = None) -> list[Path]:
    """Certificates (PEM) that may anchor an authority's signature besides this computer's own trusted
    roots: --tsa-ca, CLOSURE_ASSISTANT_TSA_CA and settings.yaml's `timestamp: {ca_files: [...]}`, all of them."""
    section = user_settings().get("timestamp") or {}
    listed = _listed(section.get("ca_files") if isinstance(section, dict) else None, "timestamp.ca_files")
    return [Path(p).expanduser() for p in dict.fromkeys([*(given or []), *_split_env(TSA_CA_ENV), *listed])]


def report_pdf_wanted() -> bool:
    """Whether a run prints report.pdf beside report.html (about a second per run): yes, unless
    CLOSURE_ASSISTANT_REPORT_PDF says 0/no/off/false, or settings.yaml says `report: {pdf: false}`.
    `closure-assistant evidence report DIR` always prints it."""
    value = os.environ.get(REPORT_PDF_ENV, "").strip().lower()
    if value:
        return value not in ("0", "no", "off", "false")
    section = user_settings().get("report") or {}
    return not (isinstance(section, dict) and section.get("pdf") is False)
