"""Where site profiles are found: CLOSURE_ASSISTANT_PROFILES, the user's folder, then the bundled ones."""
from __future__ import annotations

import os
from pathlib import Path

from assistant.errors import ProfileNotFound
from assistant.profiles.loader import load_profile
from assistant.settings import user_config_dir

_PACKAGE = Path(__file__).resolve().parents[1]
PROFILE_SUFFIXES = (".yaml", ".yml")


def bundled_dir() -> Path:
    """The profiles that ship with the tool: package data in an installed wheel (setup.py maps them there),
    else the top-level `site_profiles/` of a source checkout or editable install, where contributors edit."""
    packaged = _PACKAGE / "site_profiles"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "site_profiles"


BUNDLED_DIR = bundled_dir()


def search_dirs() -> list[Path]:
    dirs = [Path(p) for p in os.environ.get("CLOSURE_ASSISTANT_PROFILES", "").split(os.pathsep) if p]
    dirs.append(user_config_dir() / "site_profiles")
    dirs.append(BUNDLED_DIR)
    return dirs


def profile_paths() -> dict[str, Path]:
    """id → file, the first directory winning (user profiles override bundled ones)."""
    found: dict[str, Path] = {}
    for d in search_dirs():
        if d.is_dir():
            for path in sorted(d.glob("*.yaml")):
                found.setdefault(path.stem, path)
    return found


def find_profile_path(site: str) -> Path:
    if site.endswith((".yaml", ".yml")) or os.sep in site or "/" in site:
        path = Path(site)
        if not path.exists():
            raise ProfileNotFound(site)
        return path
    paths = profile_paths()
    if site not in paths:
        raise ProfileNotFound(site, known=", ".join(sorted(paths)))
    return paths[site]


def load_site(site: str):
    return load_profile(find_profile_path(site))


def profile_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(files, empty folders): each file as given, each folder as every *.yaml / *.yml under it.

    Folders are walked recursively in name order; hidden ones (.git, .venv) and symlinked folders
    are skipped. A file named twice is checked once.
    """
    files: list[Path] = []
    empty: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        found = []
        for folder, subfolders, names in os.walk(path):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            found += [Path(folder) / n for n in sorted(names) if n.endswith(PROFILE_SUFFIXES)]
        files += found
        if not found:
            empty.append(path)
    return list(dict.fromkeys(files)), empty
