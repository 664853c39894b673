"""Building and checking the per-integration HACS distributions."""
