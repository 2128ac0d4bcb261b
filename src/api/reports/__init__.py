"""Reports built on the metrics reads (the quarterly review)."""
