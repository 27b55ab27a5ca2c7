"""What ctz keeps in its cache folder to start fast: built road networks, resolved catalogs."""
