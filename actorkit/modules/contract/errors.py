"""Contract errors, under :class:`actorkit.CommandError`.

::

    CommandError
     └─ ContractError               a contract call could not be made
         ├─ NoContractError         no such contract, method or binding (also LookupError)
         ├─ ContractValidationError the input or the output does not match the contract;
         │                          names the contract, the method, the side and the field
         │                          (also ValueError)
         ├─ BindingFailedError      the binding failed (raised, died mid-call, timed out);
         │                          its error is the ``__cause__``
         └─ ContractArgumentError   a field of a command is wrong (also CommandArgumentError)
"""

from __future__ import annotations

from typing import Literal

from actorkit.errors import CommandArgumentError, CommandError

Side = Literal["input", "output"]


class ContractError(CommandError):
    """A contract call could not be made."""


class NoContractError(ContractError, LookupError):
    """No contract, method or binding answers to that name."""


class ContractValidationError(ContractError, ValueError):
    """The input or output does not match the method's type.

    Attributes:
        contract: the contract's name.
        method: the method's name.
        side: ``"input"`` or ``"output"``.
        field: the path of the first wrong field (``count``, ``items[2].name``), or ``""``
            when the value as a whole is wrong.
    """

    def __init__(self, contract: str, method: str, side: Side, field: str, detail: str) -> None:
        where = f" field {field!r}" if field else ""
        super().__init__(f"{contract}.{method} {side}{where}: {detail}")
        self.contract = contract
        self.method = method
        self.side: Side = side
        self.field = field


class BindingFailedError(ContractError):
    """The binding raised, exited before it answered, or did not answer in time."""

    def __init__(self, contract: str, method: str, binding: str, error: BaseException) -> None:
        kind = type(error).__name__
        super().__init__(f"{contract}.{method} on binding {binding!r} failed: {kind}: {error}")
        self.contract = contract
        self.method = method
        self.binding = binding
        self.error = error


class ContractArgumentError(ContractError, CommandArgumentError):
    """A field of a contract command has the wrong type or value."""
