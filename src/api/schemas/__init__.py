"""Request and response schemas of the HTTP API, one module per resource.

They describe the wire format (JSON, decimal strings, ISO dates) and are kept
apart from the domain's events: the domain validates the rules, these the shapes.
"""
