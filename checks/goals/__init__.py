"""Which check measures which goal, and running them all; above every family of checks."""
