"""Only what pyproject.toml cannot say: the site profiles travel inside the package.

Contributors keep editing the top-level `site_profiles/`; a built wheel (pip, pipx, a package index)
carries the same files as the package data `assistant/site_profiles/*.yaml`, mapped here without a
copy. An editable install and a source checkout read `site_profiles/` itself (see
assistant/profiles/registry.py), so edits there show at once.
"""
from setuptools import find_packages, setup

setup(packages=find_packages(include=["assistant", "assistant.*"]) + ["assistant.site_profiles"],
      package_dir={"assistant.site_profiles": "site_profiles"})
