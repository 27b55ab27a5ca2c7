"""Opening a geometry source by name; above the sources themselves (``osm``, ``pbf``)."""
