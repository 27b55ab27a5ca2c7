"""Read, validate and query the plan catalog kept as YAML in ``seeds/``."""

from ctz.catalog.load import default_seeds_dir, load_catalog
from ctz.catalog.model import Anchor, Catalog, Core, Document, Goal, Item

__all__ = [
    "Anchor",
    "Catalog",
    "Core",
    "Document",
    "Goal",
    "Item",
    "default_seeds_dir",
    "load_catalog",
]
