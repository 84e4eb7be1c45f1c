"""``make bench``: wirecall side by side with Newman and raw client loops (not collected by pytest)."""
