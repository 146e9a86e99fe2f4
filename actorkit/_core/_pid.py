"""Process identifiers."""

from __future__ import annotations

from typing import NoReturn

from attrs.exceptions import FrozenInstanceError

_set = object.__setattr__


class PID:
    """Names a process: the node it lives on and a serial number unique on that node.

    Printed as ``<node.serial>``. The node part lets the cluster route it to another node.
    ``creation`` tells apart two lives of one node name in a cluster (Erlang's creation):
    the node's ``creation`` when it made the PID (0 for a node in no cluster), so a PID
    from a node that was declared down and came back names nobody. A PID with creation 0
    names the node's current life.

    Immutable and hashable. A plain class, not an attrs one, so serializers that know attrs
    classes (msgspec, cattrs) do not flatten it into a dict: the cluster's codec gives it a
    wire type of its own.
    """

    __slots__ = ("_hash", "creation", "node", "serial")
    node: str
    serial: int
    creation: int
    _hash: int | None

    def __init__(self, node: str, serial: int, creation: int = 0) -> None:
        _set(self, "node", node)
        _set(self, "serial", serial)
        _set(self, "creation", creation)
        _set(self, "_hash", None)  # computed when first needed: most PIDs are never hashed

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise FrozenInstanceError

    def __delattr__(self, name: str) -> NoReturn:
        raise FrozenInstanceError

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not PID:
            return NotImplemented
        o: PID = other  # pyright: ignore[reportAssignmentType]
        return self.serial == o.serial and self.node == o.node and self.creation == o.creation

    def __hash__(self) -> int:
        found = self._hash
        if found is None:
            found = hash((self.node, self.serial, self.creation))
            _set(self, "_hash", found)
        return found

    def __reduce__(self) -> tuple[type[PID], tuple[str, int, int]]:
        return (PID, (self.node, self.serial, self.creation))

    def __repr__(self) -> str:
        if self.creation:
            return f"PID(node={self.node!r}, serial={self.serial}, creation={self.creation})"
        return f"PID(node={self.node!r}, serial={self.serial})"

    def __str__(self) -> str:
        return f"<{self.node}.{self.serial}>"

    @classmethod
    def parse(cls, text: str) -> PID:
        """The PID that ``str(pid)`` printed: ``PID.parse("<local.7>") == PID("local", 7)``.

        The node name is everything before the last dot. ``str`` leaves out the creation,
        so a parsed PID has creation 0 (it names the node's current life).

        Raises:
            ValueError: ``text`` is not ``<node.serial>``; the message quotes it.
        """
        if type(text) is str and text[:1] == "<" and text[-1:] == ">":
            node, dot, serial = text[1:-1].rpartition(".")
            if dot and node and serial.isascii() and serial.isdigit():
                return cls(node, int(serial))
        raise ValueError(f"not a PID: {text!r} (a PID reads <node.serial>, like <local.7>)")
