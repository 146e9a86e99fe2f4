"""The wire format: msgpack (msgspec) with two extension types, PIDs and errors.

What crosses is plain data (None, bool, int, float, str, bytes, lists, dicts; tuples
arrive as lists, dataclasses and attrs classes as dicts), :class:`PID` and exceptions (an
exception arrives as :class:`RemoteError` with its type name and message). Anything else
fails the sender's call with :class:`PayloadEncodeError`.

PIDs carry their node's *creation* (the number of its life in the cluster) on the wire; a
PID this node made before it joined (creation 0) goes out with the current one.
"""

from __future__ import annotations

import struct

from actorkit import PID
from actorkit.errors import MissingExtraError

try:
    import msgspec
except ImportError as exc:  # pragma: no cover - the cluster extra brings it
    raise MissingExtraError("the cluster module", "cluster") from exc

from .errors import PayloadEncodeError, RemoteError

DecodeError = msgspec.DecodeError
"""What a batch that is not msgpack raises when decoded."""

PID_EXT = 1  # serial (8 bytes), creation (4 bytes), the node's name (UTF-8)
ERROR_EXT = 2  # msgpack [type name, message]
CACHE = 4096  # PIDs remembered each way, then forgotten at once
_PID_HEAD = struct.Struct(">QI")


class Codec:
    """Encodes and decodes frames for one node in one life (``creation``)."""

    def __init__(self, node: str, creation: int) -> None:
        self.node = node
        self.creation = creation
        self._inner = msgspec.msgpack.Encoder()
        self._encoder = msgspec.msgpack.Encoder(enc_hook=self._enc_hook)
        self._decoder: msgspec.msgpack.Decoder[object] = msgspec.msgpack.Decoder(
            ext_hook=self._ext_hook
        )
        self._pid_exts: dict[PID, msgspec.msgpack.Ext] = {}  # PIDs repeat: encode each once
        self._pids: dict[bytes, PID] = {}

    def encode(self, frame: object, what: str) -> bytes:
        """One frame's bytes; :class:`PayloadEncodeError` naming ``what`` if it cannot."""
        try:
            return self._encoder.encode(frame)
        except (TypeError, ValueError, OverflowError) as exc:
            raise PayloadEncodeError(f"{what} cannot cross to another node: {exc}") from exc

    def decode(self, data: bytes) -> object:
        """A batch's frames (or one frame)."""
        return self._decoder.decode(data)

    def pid_text(self, pid: PID) -> str:
        """A PID as stored in Redis (names, groups): ``node|serial|creation``."""
        node, serial, creation = self._wire_pid(pid)
        return f"{node}|{serial}|{creation}"

    def parse_pid(self, text: bytes | str) -> PID:
        """The inverse of :meth:`pid_text`."""
        raw = text.decode() if isinstance(text, bytes) else text
        node, serial, creation = raw.rsplit("|", 2)
        return PID(node, int(serial), int(creation))

    def _wire_pid(self, pid: PID) -> tuple[str, int, int]:
        if pid.node == self.node and not pid.creation:
            return (pid.node, pid.serial, self.creation)
        return (pid.node, pid.serial, pid.creation)

    def _enc_hook(self, obj: object) -> msgspec.msgpack.Ext:
        if type(obj) is PID:
            ext = self._pid_exts.get(obj)
            if ext is None:
                ext = self._pid_exts[obj] = msgspec.msgpack.Ext(PID_EXT, self._pack_pid(obj))
                if len(self._pid_exts) > CACHE:
                    self._pid_exts.clear()
            return ext
        if isinstance(obj, BaseException):
            kind = f"{type(obj).__module__}.{type(obj).__qualname__}"
            detail = obj.detail if isinstance(obj, RemoteError) else str(obj)
            if isinstance(obj, RemoteError):
                kind = obj.kind
            return msgspec.msgpack.Ext(ERROR_EXT, self._inner.encode((kind, detail)))
        raise TypeError(f"objects of type {type(obj).__qualname__} are not supported")

    def _pack_pid(self, pid: PID) -> bytes:
        node, serial, creation = self._wire_pid(pid)
        return _PID_HEAD.pack(serial, creation) + node.encode()

    def _ext_hook(self, code: int, data: memoryview) -> object:
        if code == PID_EXT:
            key = bytes(data)
            pid = self._pids.get(key)
            if pid is None:
                serial, creation = _PID_HEAD.unpack_from(key)
                pid = self._pids[key] = PID(key[_PID_HEAD.size :].decode(), serial, creation)
                if len(self._pids) > CACHE:
                    self._pids.clear()
            return pid
        if code == ERROR_EXT:
            kind, detail = msgspec.msgpack.decode(data)
            return RemoteError(detail, kind=kind)
        raise ValueError(f"unknown msgpack extension type {code}")


def batch(frames: list[bytes]) -> bytes:
    """Frames already encoded, as one msgpack array (a batch is one Redis list element)."""
    n = len(frames)
    if n < 16:
        head = bytes((0x90 | n,))
    elif n < 0x10000:
        head = b"\xdc" + n.to_bytes(2, "big")
    else:
        head = b"\xdd" + n.to_bytes(4, "big")
    return head + b"".join(frames)
