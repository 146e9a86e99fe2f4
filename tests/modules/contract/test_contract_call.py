"""Open (190) and Call (191): resolving bindings, checking input and output both ways."""

from __future__ import annotations

import pytest

from actorkit.modules import contract
from actorkit.modules.contract import Call, ContractValidationError, Handle, NoContractError, Open
from actorkit.testing import open_test_node

from ._kit import CALC, LEDGER, LOCAL, Greeting, Pair, Sum, Text, modules


async def test_contract_open_by_name_by_metadata_or_first() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        assert await proc.call(Open("calc")) == Handle("calc", "local")
        assert await proc.call(Open("calc", "bad")) == Handle("calc", "bad")
        assert await proc.call(Open("calc", where={"zone": "b"})) == Handle("calc", "slow")
        for cmd, message in [
            (Open("nope"), "no contract named 'nope'"),
            (Open("calc", "gone"), "no binding named 'gone'"),
            (Open("calc", where={"zone": "z"}), "no binding with"),
            (Call("calc", "mul", Pair(1, 2)), "no method 'mul'"),
            (Call(Handle("calc", "gone"), "add", Pair(1, 2)), "no binding named 'gone'"),
        ]:
            with pytest.raises(NoContractError, match=message):
                await proc.call(cmd)


async def test_contract_call_runs_the_binding_with_instances_or_data() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        assert await proc.call(Call("calc", "add", Pair(2, 3))) == Sum(5)
        handle = await proc.call(Open("calc", "local"))
        assert await proc.call(Call(handle, "add", {"a": 1, "b": 1})) == Sum(2)
        assert await proc.call(Call(handle, "greet", Greeting("ada"))) == Text("hello ada")


async def test_contract_input_that_does_not_match_is_refused_before_the_binding() -> None:
    LEDGER.calls.clear()
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        for value, field in [
            (Pair("2", 3), "a"),  # type: ignore[arg-type]
            ({"a": 1}, "b"),
            ({"a": 1, "b": True}, "b"),
            (Greeting("x"), "a"),  # another class: its fields do not fit
            (None, ""),
        ]:
            with pytest.raises(ContractValidationError) as caught:
                await proc.call(Call("calc", "add", value))
            assert (caught.value.contract, caught.value.method) == ("calc", "add")
            assert (caught.value.side, caught.value.field) == ("input", field)
            assert str(caught.value).startswith("calc.add input")
    assert LEDGER.calls == []


async def test_contract_output_that_does_not_match_is_refused() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        bad = await proc.call(Open("calc", "bad"))
        with pytest.raises(ContractValidationError) as caught:
            await proc.call(Call(bad, "add", Pair(1, 2)))
        assert (caught.value.side, caught.value.field) == ("output", "total")
        assert "calc.add output field 'total'" in str(caught.value)


async def test_contract_bad_fields_and_options_name_what_is_wrong() -> None:
    with pytest.raises(contract.ContractArgumentError, match=r"Call \(id=191\): target"):
        Call("", "add")
    with pytest.raises(contract.ContractArgumentError, match=r"Open \(id=190\): contract"):
        Open(3)  # type: ignore[arg-type]
    with pytest.raises(contract.ContractArgumentError, match=r"AsyncCancel \(id=193\): call"):
        contract.AsyncCancel(0)
    with pytest.raises(ValueError, match="lacks"):
        contract.module([CALC], [contract.functions("calc", "half", {"add": lambda p: p})])
    with pytest.raises(ValueError, match="no contract named 'other'"):
        contract.module([CALC], [contract.functions("other", "x", {})])
    with pytest.raises(ValueError, match="retries"):
        contract.functions("calc", "x", {}, retries=-1)
    assert LOCAL.meta == {"zone": "a"}
