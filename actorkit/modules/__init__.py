"""actorkit modules: each owns a command-ID range and registers its handlers at boot."""

from ._defaults import embedded

__all__ = ["embedded"]
