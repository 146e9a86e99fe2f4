"""Statistics of a running node: what ``node.statistics()`` returns and ``actorkit top`` shows.

A leaf below the kernel, as :mod:`actorkit.errors` is: it imports nothing of actorkit and
reads the node only through the narrow views of :mod:`._view`, which the kernel's node and
process records satisfy. The node keeps the counters; this package turns them into snapshots.
"""

from ._sampler import Sampler
from ._snapshot import NodeStatistics, ProcessInfo
from ._view import MailboxView, NodeView, ProcessView

__all__ = ["MailboxView", "NodeStatistics", "NodeView", "ProcessInfo", "ProcessView", "Sampler"]
