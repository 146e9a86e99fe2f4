"""Stream backends: what a handle reads from or writes to (see :mod:`.base`)."""
