"""Checking values against a method's types with cattrs, strictly.

Values are structured from their unstructured form, so an attrs instance whose fields hold
the wrong types is caught too; a dict is accepted where an attrs class is expected. Scalars
are not coerced: ``"5"`` is not an ``int`` and ``True`` is not one either.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import cattrs

from .errors import ContractValidationError, Side

converter = cattrs.Converter()


def _strict(kind: type, accepted: tuple[type, ...]) -> Any:
    def structure(value: object, _type: object) -> object:
        if type(value) not in accepted:
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return kind(value)

    return structure


converter.register_structure_hook(int, _strict(int, (int,)))
converter.register_structure_hook(float, _strict(float, (int, float)))
converter.register_structure_hook(str, _strict(str, (str,)))
converter.register_structure_hook(bool, _strict(bool, (bool,)))


def check(value: object, kind: Any, where: tuple[str, str, Side]) -> Any:
    """``value`` as ``kind`` (an instance of it, or data that structures into it).

    Raises:
        ContractValidationError: naming ``where`` (contract, method, side) and the field.
    """
    if kind is None or kind is type(None):
        if value is not None:
            raise ContractValidationError(*where, "", f"expected None, got {type(value).__name__}")
        return None
    data = converter.unstructure(value)
    if attrs.has(kind) and not isinstance(data, Mapping):
        expected = f"expected a {kind.__name__} or a mapping of its fields"
        raise ContractValidationError(*where, "", f"{expected}, got {type(value).__name__}")
    try:
        return converter.structure(data, kind)
    except Exception as exc:  # cattrs' errors, and any hook's
        field, detail = _first(exc)
        raise ContractValidationError(*where, field, detail) from exc


def _first(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, (cattrs.BaseValidationError,)):
        messages = cattrs.transform_error(exc)
        if messages:
            detail, _, path = messages[0].rpartition(" @ ")
            return path.removeprefix("$").removeprefix("."), detail or messages[0]
    return "", f"{type(exc).__name__}: {exc}"
