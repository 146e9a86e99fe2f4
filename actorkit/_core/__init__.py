"""The runtime core: processes, mailboxes, the dispatcher, the registry, boot and the node.

Never imports ``actorkit.modules``; modules build on this.
"""
