"""The contracts and bindings known on a node (:data:`REGISTRY`)."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from actorkit.lowlevel import NodeVar

from .bindings import Binding
from .commands import Handle
from .errors import NoContractError
from .spec import Contract, Method


@attrs.define
class Registry:
    """Contracts by name, and each contract's bindings in the order they were added."""

    contracts: dict[str, Contract] = attrs.field(factory=dict[str, Contract])
    bindings: dict[str, list[Binding]] = attrs.field(factory=dict[str, list[Binding]])

    def add(self, binding: Binding) -> None:
        """Add ``binding`` (after the others); replaces one with the same name."""
        contract = self.contract(binding.contract)
        if binding.kind == "functions":
            missing = sorted(set(contract.methods) - set(binding.target))
            if missing:
                raise ValueError(f"binding {binding.name!r} of {contract.name!r} lacks {missing}")
        found = self.bindings.setdefault(binding.contract, [])
        found[:] = [b for b in found if b.name != binding.name]
        found.append(binding)

    def contract(self, name: str) -> Contract:
        """The contract ``name``; NoContractError if none."""
        found = self.contracts.get(name)
        if found is None:
            raise NoContractError(f"no contract named {name!r}")
        return found

    def method(self, contract: str, name: str) -> Method:
        """The method ``name`` of ``contract``; NoContractError if none."""
        found = self.contract(contract).methods.get(name)
        if found is None:
            raise NoContractError(f"contract {contract!r} has no method {name!r}")
        return found

    def find(self, contract: str, name: str | None, where: Mapping[str, object]) -> Binding:
        """A binding by name, else the first matching ``where``; NoContractError if none."""
        for binding in self.bindings.get(self.contract(contract).name, []):
            if name is not None and binding.name != name:
                continue
            if all(binding.meta.get(k) == v for k, v in where.items()):
                return binding
        wanted = f" named {name!r}" if name else f" with {dict(where)!r}" if where else ""
        raise NoContractError(f"contract {contract!r} has no binding{wanted}")

    def resolve(self, target: Handle | str) -> Binding:
        """The binding a call's target names."""
        if isinstance(target, Handle):
            return self.find(target.contract, target.binding, {})
        return self.find(target, None, {})


REGISTRY = NodeVar[Registry]("contract.registry")
