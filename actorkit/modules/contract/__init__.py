"""The contract module (IDs 190–199): typed interfaces and the bindings that implement them.

Declare a contract (methods with attrs input and output types), bind it to functions, a
process or a ``Server``, then call it; input and output are checked with cattrs::

    GREETER = contract.Contract("greeter", {"greet": contract.Method(Greeting, Reply)})
    LOCAL = contract.functions("greeter", "local", {"greet": greet})
    MODULES = [contract.module([GREETER], [LOCAL])]
    ...
    reply = await proc.call(contract.Call("greeter", "greet", Greeting("ada")))
"""

from __future__ import annotations

from .bindings import Binding, functions, process, server
from .commands import AsyncCall, AsyncCancel, Call, ContractResult, Handle, Open
from .components import bind, module, unbind
from .errors import (
    BindingFailedError,
    ContractArgumentError,
    ContractError,
    ContractValidationError,
    NoContractError,
)
from .spec import Contract, Invoke, Method

__all__ = [
    "AsyncCall",
    "AsyncCancel",
    "Binding",
    "BindingFailedError",
    "Call",
    "Contract",
    "ContractArgumentError",
    "ContractError",
    "ContractResult",
    "ContractValidationError",
    "Handle",
    "Invoke",
    "Method",
    "NoContractError",
    "Open",
    "bind",
    "functions",
    "module",
    "process",
    "server",
    "unbind",
]
