"""The user API over the kernel: the ``Process`` handle, the ``Node``, request and reply,
the process module's commands and the Send handler, the handler context, boot components
and the test kit's fakes.

Built on ``actorkit._core`` alone; ``actorkit`` and ``actorkit.lowlevel`` re-export it.
"""
