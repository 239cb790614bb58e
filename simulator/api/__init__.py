"""AJIO-facing HTTP surface: parse, call the domain, dump. No business rule lives here."""
