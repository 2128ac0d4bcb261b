"""The views, one module each: tables, projector and query functions.

Every module is listed once in :mod:`projections.registry`.
"""
