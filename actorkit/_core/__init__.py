"""The runtime core: processes, mailboxes, the dispatcher, the registry, boot and the node.

Never imports ``actorkit.modules``, ``actorkit.supervision`` or ``actorkit.observer``; they
build on this through the public API and ``actorkit.lowlevel``.
"""
