"""What many tests share and production never needs: reads of the tables, an in-memory log,
reserved ports."""
