"""The ``pbf:PATH`` source: a local OpenStreetMap extract read in streaming passes."""
