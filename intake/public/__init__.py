"""Everything a visitor reaches: no login, no cookie."""
