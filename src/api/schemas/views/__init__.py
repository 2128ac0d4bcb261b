"""Response shapes of the view reads (customer list and 360, renewals, metrics, ...)."""
