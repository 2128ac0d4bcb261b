"""Storage infrastructure: settings, the hash-chained event store, store wiring.

The domain (`cs_domain`) knows nothing of this package; the application service
receives an eventsourcing environment built here.
"""
