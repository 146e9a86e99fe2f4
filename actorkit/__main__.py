"""``python -m actorkit``: the ``actorkit`` command."""

import sys

from actorkit.cli import main

sys.exit(main())
