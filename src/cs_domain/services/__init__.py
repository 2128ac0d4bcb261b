"""Command mixins of the application service, one module per area."""
