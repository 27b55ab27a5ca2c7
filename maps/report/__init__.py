"""The briefing ``ctz report`` writes: one set of tables, as HTML, Excel, Markdown or CSV."""
