# ruff: noqa: E501
"""Bad command fields and factory options: clear errors naming command, ID and field."""

from __future__ import annotations

from typing import Any

import pytest

from actorkit.errors import CommandArgumentError
from actorkit.modules import cloudstorage
from actorkit.modules.cloudstorage import (
    DeleteObjects,
    DownloadObject,
    ListObjects,
    PresignedGetURL,
    PresignedPutURL,
    StorageInputError,
    UploadObject,
)

BAD: list[tuple[Any, str, str]] = [
    (lambda: ListObjects("s", max_keys=0), "ListObjects (id=160)", "max_keys"),
    (lambda: ListObjects("s", max_keys=1001), "ListObjects (id=160)", "max_keys"),
    (lambda: ListObjects("", prefix="a"), "ListObjects (id=160)", "storage"),
    (lambda: ListObjects("s", delimiter=""), "ListObjects (id=160)", "delimiter"),
    (lambda: ListObjects("s", delimiter="\x00"), "ListObjects (id=160)", "delimiter"),
    (lambda: ListObjects("s", delimiter=1), "ListObjects (id=160)", "delimiter"),  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    (lambda: DownloadObject("s", ""), "DownloadObject (id=161)", "key"),
    (lambda: DownloadObject("s", "k", byte_range=(5, 2)), "DownloadObject (id=161)", "byte_range"),
    (lambda: DownloadObject("s", "k", byte_range=(-1, None)), "DownloadObject (id=161)", "byte_range"),
    (lambda: DownloadObject("s", "k", to_file="f", to_stream=True), "DownloadObject (id=161)", "to_file"),
    (lambda: UploadObject("s", "k"), "UploadObject (id=162)", "data"),
    (lambda: UploadObject("s", "k", b"x", from_file="f"), "UploadObject (id=162)", "data"),
    (lambda: UploadObject("s", "k", "text"), "UploadObject (id=162)", "data"),  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    (lambda: UploadObject("s", "k\x00", b""), "UploadObject (id=162)", "key"),
    (lambda: UploadObject("s", "k" * 1025, b""), "UploadObject (id=162)", "key"),
    (lambda: UploadObject("s", "k", b"", metadata={"Bad Name": "v"}), "UploadObject (id=162)", "metadata"),
    (lambda: UploadObject("s", "k", b"", if_none_match='"e"'), "UploadObject (id=162)", "if_none_match"),
    (lambda: UploadObject("s", "k", b"", if_match='"e"', only_if_absent=True), "UploadObject (id=162)", "if_match"),
    (lambda: UploadObject("s", "k", b"", content_type="a\nb"), "UploadObject (id=162)", "content_type"),
    (lambda: DeleteObjects("s", ()), "DeleteObjects (id=163)", "keys"),
    (lambda: DeleteObjects("s", ["k"]), "DeleteObjects (id=163)", "keys"),  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    (lambda: PresignedGetURL("s", "k", expires=0), "PresignedGetURL (id=164)", "expires"),
    (lambda: PresignedGetURL("s", "k", expires=8 * 86400), "PresignedGetURL (id=164)", "expires"),
    (lambda: PresignedPutURL("s", "k", content_length=-1), "PresignedPutURL (id=165)", "content_length"),
]  # fmt: skip


@pytest.mark.parametrize(("make", "command", "field"), BAD)
def test_cloudstorage_bad_field_names_command_id_and_field(
    make: Any, command: str, field: str
) -> None:
    with pytest.raises(StorageInputError) as info:
        make()
    assert isinstance(info.value, CommandArgumentError)
    assert isinstance(info.value, ValueError)
    assert info.value.field == field
    assert str(info.value).startswith(f"{command}: {field} must be")


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: cloudstorage.local("", "/tmp/x"), "name"),
        (lambda: cloudstorage.local("n", "/tmp/x", secret=b"short"), "secret"),
        (lambda: cloudstorage.s3("n", bucket="ab", access_key="a", secret_key="s"), "bucket"),
        (lambda: cloudstorage.s3("n", bucket="abc", access_key="", secret_key="s"), "access_key"),
    ],
)
def test_cloudstorage_bad_options_are_value_errors(make: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        make()
