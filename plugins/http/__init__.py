"""HTTP over httpx."""
