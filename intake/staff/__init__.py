"""Everything under /staff."""
