"""Extracts fetched by ``ctz data get``: download, clip to the study area, and the store of them."""
