"""HTTP routers, one module per resource; all mounted under /api/v1 by api.app."""
