"""The shapes of AJIO's surface as marshmallow schemas: the single source every layer uses."""
