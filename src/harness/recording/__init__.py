"""Record and compare: a recording proxy (HAR 1.2), privacy masks, the drift checker and the replay server."""
