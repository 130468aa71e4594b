"""Pure library: load and validate the knowledge base, normalise Indonesian text, match."""
