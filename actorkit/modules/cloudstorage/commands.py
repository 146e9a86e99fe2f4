"""Cloud storage commands (IDs 160–169; 160–166 numbered as in Wippy) and their results.

Every command names its storage (declared at boot: ``cloudstorage.local("files", root)``).
Keys are non-empty strings of at most 1024 UTF-8 bytes without NUL. Every field is checked
when the command is built: a wrong one raises :class:`~.errors.StorageInputError` (a
``CommandArgumentError``) naming the command, its ID and the field.
"""

from __future__ import annotations

import attrs

from actorkit.lowlevel import Command, command, declare_range
from actorkit.modules.stream import StreamHandle

from . import checks as c

declare_range("cloudstorage", 160, 169)

DEFAULT_EXPIRY = 3600
"""Seconds a presigned URL lives unless told otherwise (Wippy's default: one hour)."""


@attrs.frozen
class ObjectInfo:
    """What :class:`HeadObject` tells about an object.

    Attributes:
        key: the object's key.
        size: its length in bytes (the whole object, even after a ranged download).
        etag: its entity tag, quoted as S3 gives it (``'"9a0364b9e99bb480dd25e1f0284c8555"'``).
        last_modified: when it was written, in seconds since the epoch (whole seconds).
        content_type: the media type given at upload (``application/octet-stream`` if none).
        cache_control: the ``Cache-Control`` given at upload, or None.
        metadata: the user metadata given at upload (lowercase names).
    """

    key: str
    size: int
    etag: str
    last_modified: float
    content_type: str
    cache_control: str | None = None
    metadata: dict[str, str] = attrs.field(factory=dict[str, str])


@attrs.frozen
class ObjectSummary:
    """One object in a listing: key, size, ETag and time of writing (as in ObjectInfo)."""

    key: str
    size: int
    etag: str
    last_modified: float


@attrs.frozen
class ObjectList:
    """A page of :class:`ListObjects`.

    Attributes:
        objects: the objects, sorted by key (UTF-8 byte order).
        next_token: pass it as ``continuation_token`` for the next page; None on the last.
        prefixes: with a ``delimiter``, the common prefixes of the keys rolled up (S3's
            ``CommonPrefixes``): each is the listing's prefix plus what follows it up to
            and including the first delimiter (``photos/2024/``), sorted; empty without
            one. A page's ``max_keys`` counts objects and prefixes together.
    """

    objects: tuple[ObjectSummary, ...]
    next_token: str | None
    prefixes: tuple[str, ...] = ()

    @property
    def truncated(self) -> bool:
        """True when more objects follow this page."""
        return self.next_token is not None


@attrs.frozen
class Downloaded:
    """What :class:`DownloadObject` returns.

    Attributes:
        info: the object (``info.size`` is the whole object's length).
        data: the bytes asked for, or None when they went to a file or a stream.
        length: how many bytes were delivered (``len(data)``, written to the file, or
            that the stream will give).
        stream: with ``to_stream``, the stream to read them from (owned by the caller,
            closed when it exits; read it with the stream module's ``Read``).
    """

    info: ObjectInfo
    data: bytes | None
    length: int
    stream: StreamHandle | None = None


@attrs.frozen
class DeleteResult:
    """One key of :class:`DeleteObjects`: ``error`` is None when the key is gone (it may
    not have existed: deleting is idempotent, as on S3), else why it stayed."""

    key: str
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the key no longer names an object."""
        return self.error is None


@command(id=160, module="cloudstorage")
class ListObjects(Command[ObjectList]):
    """Up to ``max_keys`` objects whose keys start with ``prefix``, sorted by key; page on
    with ``continuation_token=`` the previous page's ``next_token``.

    With a ``delimiter`` (S3's: usually ``"/"``), keys holding it after the prefix are not
    listed one by one but rolled up into ``ObjectList.prefixes``: one entry per distinct
    prefix up to and including the first delimiter, like the folders of one level."""

    storage: str = attrs.field(validator=c.STORAGE)
    prefix: str = attrs.field(default="", kw_only=True, validator=c.PREFIX)
    max_keys: int = attrs.field(default=1000, kw_only=True, validator=c.MAX_KEYS)
    continuation_token: str | None = attrs.field(default=None, kw_only=True, validator=c.TOKEN)
    delimiter: str | None = attrs.field(default=None, kw_only=True, validator=c.DELIMITER)


@command(id=161, module="cloudstorage")
class DownloadObject(Command[Downloaded]):
    """The object's bytes (``byte_range=(start, end)``: inclusive, ``end`` None for the rest),
    only if its ETag is ``if_match`` when given. With ``to_file`` the bytes are written
    there in chunks (bounded memory); with ``to_stream=True`` they come as a stream the
    caller reads (the stream module must be booted). Either way ``data`` is None."""

    storage: str = attrs.field(validator=c.STORAGE)
    key: str = attrs.field(validator=c.KEY)
    byte_range: tuple[int, int | None] | None = attrs.field(
        default=None, kw_only=True, validator=c.RANGE
    )
    if_match: str | None = attrs.field(default=None, kw_only=True, validator=c.ETAG)
    to_file: str | None = attrs.field(default=None, kw_only=True, validator=c.PATH)
    to_stream: bool = attrs.field(default=False, kw_only=True, validator=c.FLAG)

    def __attrs_post_init__(self) -> None:
        c.one_target(self)


@command(id=162, module="cloudstorage")
class UploadObject(Command[ObjectInfo]):
    """Write an object from ``data`` or, in chunks, from the file ``from_file`` or the
    caller's stream ``from_stream`` (read to its end); returns
    its :class:`ObjectInfo`. Conditions: ``if_match`` (the current ETag), ``if_none_match``
    (``"*"``: no object may exist) or ``only_if_absent`` (the same); a failed one raises
    PreconditionFailedError and writes nothing. Readers never see a partial object."""

    storage: str = attrs.field(validator=c.STORAGE)
    key: str = attrs.field(validator=c.KEY)
    data: bytes | None = attrs.field(default=None, validator=c.DATA)
    from_file: str | None = attrs.field(default=None, kw_only=True, validator=c.PATH)
    from_stream: StreamHandle | None = attrs.field(default=None, kw_only=True, validator=c.STREAM)
    content_type: str | None = attrs.field(default=None, kw_only=True, validator=c.HEADER)
    cache_control: str | None = attrs.field(default=None, kw_only=True, validator=c.HEADER)
    metadata: dict[str, str] = attrs.field(
        factory=dict[str, str], kw_only=True, validator=c.METADATA
    )
    if_match: str | None = attrs.field(default=None, kw_only=True, validator=c.ETAG)
    if_none_match: str | None = attrs.field(default=None, kw_only=True, validator=c.none_match)
    only_if_absent: bool = attrs.field(default=False, kw_only=True, validator=c.FLAG)

    def __attrs_post_init__(self) -> None:
        c.one_source(self)
        c.conditions(self)

    @property
    def absent(self) -> bool:
        """True when the upload needs the key to be free."""
        return self.only_if_absent or self.if_none_match == "*"


@command(id=163, module="cloudstorage")
class DeleteObjects(Command[tuple[DeleteResult, ...]]):
    """Delete up to 1000 keys; one :class:`DeleteResult` per key, in order."""

    storage: str = attrs.field(validator=c.STORAGE)
    keys: tuple[str, ...] = attrs.field(validator=c.KEYS)


@command(id=164, module="cloudstorage")
class PresignedGetURL(Command[str]):
    """A URL anyone can GET the object with, for ``expires`` seconds."""

    storage: str = attrs.field(validator=c.STORAGE)
    key: str = attrs.field(validator=c.KEY)
    expires: int = attrs.field(default=DEFAULT_EXPIRY, kw_only=True, validator=c.EXPIRES)


@command(id=165, module="cloudstorage")
class PresignedPutURL(Command[str]):
    """A URL anyone can PUT the object with, for ``expires`` seconds; ``content_type`` and
    ``content_length``, when given, are bound into the signature (the PUT must send them)."""

    storage: str = attrs.field(validator=c.STORAGE)
    key: str = attrs.field(validator=c.KEY)
    expires: int = attrs.field(default=DEFAULT_EXPIRY, kw_only=True, validator=c.EXPIRES)
    content_type: str | None = attrs.field(default=None, kw_only=True, validator=c.HEADER)
    content_length: int | None = attrs.field(default=None, kw_only=True, validator=c.LENGTH)


@command(id=166, module="cloudstorage")
class HeadObject(Command[ObjectInfo]):
    """The object's :class:`ObjectInfo`; ObjectNotFoundError if there is none."""

    storage: str = attrs.field(validator=c.STORAGE)
    key: str = attrs.field(validator=c.KEY)
