"""`ajio-sim soak`: a simulated month of a living marketplace against a connector, checked by invariants."""
