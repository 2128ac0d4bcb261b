"""The customer-success domain: aggregates, their events and rules, the application service.

Nothing here knows about HTTP or SQL; storage is chosen by the environment
handed to :class:`cs_domain.app.CustomerSuccess`.
"""
