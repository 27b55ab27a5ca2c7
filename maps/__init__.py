"""Interactive plan maps: folium layers, legend, basemaps; HTML, PNG and embed export."""
