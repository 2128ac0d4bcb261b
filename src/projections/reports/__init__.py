"""Read-side computations of the reports that no single view answers."""
