"""Spreadsheets in and out: reading, validating and importing sheets; writing exports."""
