"""Packages are found here rather than in pyproject.toml because the repository's ``rules/``
folder ships as ``blogtools_rules`` (a name no other package uses), next to every
``blogtools.*`` subpackage. Everything else lives in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["blogtools", "blogtools.*"]) + ["blogtools_rules"],
    package_dir={"blogtools_rules": "rules"},
    package_data={"blogtools_rules": ["data/*"], "blogtools": ["data/*.json"]},
)
