"""Watching a running node: the :func:`observer` component serves ``node.statistics()`` as
JSON lines on a local TCP endpoint, and :mod:`actorkit.observer.top` (``actorkit top``)
draws them as a live table. Built on the public API and ``actorkit.lowlevel`` only.

``actorkit.observer`` on the top-level package is the component factory, not this package;
import the package's other names from ``actorkit.observer`` itself.
"""

from ._endpoint import observer, observer_address, snapshot_json

__all__ = ["observer", "observer_address", "snapshot_json"]
