"""Shared fixtures: the plan texts and reference data that sit beside the repo in ../shared."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from ctz.catalog import Catalog, load_catalog

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def pytest_configure(config: pytest.Config) -> None:
    """Keep what the code caches during tests out of the user's cache folder."""
    os.environ["CTZ_CACHE"] = tempfile.mkdtemp(prefix="ctz-test-cache-")


@pytest.fixture(scope="session")
def plan_texts() -> dict[str, str]:
    """The five plan documents by number, or skip when ../shared/seeds is absent."""
    folder = SHARED / "seeds"
    if not folder.is_dir():
        pytest.skip(f"plan texts not found at {folder}")
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(folder.glob("0*.txt"))}


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The OSM-derived reference data folder, or skip when ../shared/reference is absent."""
    folder = SHARED / "reference"
    if not folder.is_dir():
        pytest.skip(f"reference data not found at {folder}")
    return folder


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The shipped catalog."""
    return load_catalog()
