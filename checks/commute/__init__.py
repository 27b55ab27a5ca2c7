"""The one-hour commute check: travel times from the city cores over roads and rail.

Modules: :mod:`options` (the choices of a run and their defaults), :mod:`params`
(speeds and penalties), :mod:`network` (the graph),
:mod:`build` (graph from catalog layers or an OSM road graph), :mod:`road_graph`
(OSM roads and their speeds), :mod:`transit` (service patterns, stations and
transfers), :mod:`gtfs` (GTFS feeds read into patterns), :mod:`feeds` (which
catalog services a feed replaces), :mod:`dijkstra` and :mod:`paths` (shortest
paths on CSR), :mod:`origins` (grid cells and their access links), :mod:`study`
(the network, cores and populated cells), :mod:`scenario` (built-in scenarios
and scenario files), :mod:`coverage` (travel times measured), :mod:`marginal`
(what each planned item adds), :mod:`contributions` (what a scenario's items
add, or why not), :mod:`seats` (drive times to the county seats against
references), :mod:`result` (the typed result), :mod:`assemble` (measurements into
the result), :mod:`run` (one run end to end),
:mod:`compare` (scenarios side by side) and :mod:`goal` (the goal line of
``ctz check all``).
"""
