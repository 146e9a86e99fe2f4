"""The shipped mappings of the I/O modules: each command is checked as its action on its
resource, so a scope can allow one host, executable, object prefix, program or workflow
and refuse another. Fakes stand in for the effects: no network, process or Lua needed."""

from __future__ import annotations

from typing import Any

import pytest

import actorkit
from actorkit.lowlevel import Command
from actorkit.modules import cloudstorage, http, websocket, workflow
from actorkit.modules import eval as eval_
from actorkit.modules import exec as exec_
from actorkit.modules import security as sec
from actorkit.modules.security import PermissionDenied, Scope, allow, deny
from actorkit.modules.security.mappings import host, optional_module
from actorkit.testing import open_test_node

from ._kit import modules


def _os_process(proc: actorkit.Process, executable: str) -> exec_.OSProcess:
    return exec_.OSProcess(1, proc.pid, 4242, executable, None, None, None)


Case = tuple[type[Command[Any]], Command[Any], Command[Any], str, str, str]


def _done(cmd: Command[Any]) -> str:
    return "done"


def _cases(proc: actorkit.Process) -> list[Case]:
    """``(fake, allowed command, refused command, action, allowed, refused resource)``."""
    program = eval_.compile_program("return 1", name="report")
    return [
        (
            http.Request,
            http.Request("GET", "https://Example.com:8443/a?b=1"),
            http.Request("POST", "http://evil.test/x"),
            "http.request",
            "example.com",
            "evil.test",
        ),
        (
            websocket.Connect,
            websocket.Connect("wss://chat.example.com/ws"),
            websocket.Connect("ws://evil.test:9000/"),
            "websocket.connect",
            "chat.example.com",
            "evil.test",
        ),
        (
            exec_.Start,
            exec_.Start(["/bin/echo", "hi"]),
            exec_.Start(["rm", "-rf", "/"]),
            "exec.start",
            "/bin/echo",
            "rm",
        ),
        (
            exec_.Signal,
            exec_.Signal(_os_process(proc, "cat"), 15),
            exec_.Signal(_os_process(proc, "sshd"), 15),
            "exec.control",
            "cat",
            "sshd",
        ),
        (
            exec_.Stop,
            exec_.Stop(_os_process(proc, "cat")),
            exec_.Stop(_os_process(proc, "sshd")),
            "exec.control",
            "cat",
            "sshd",
        ),
        (
            exec_.ProcessWait,
            exec_.ProcessWait(_os_process(proc, "cat")),
            exec_.ProcessWait(_os_process(proc, "sshd")),
            "exec.control",
            "cat",
            "sshd",
        ),
        (
            cloudstorage.UploadObject,
            cloudstorage.UploadObject("files", "public/a.txt", b"x"),
            cloudstorage.UploadObject("files", "private/a.txt", b"x"),
            "cloudstorage.upload",
            "files/public/a.txt",
            "files/private/a.txt",
        ),
        (
            cloudstorage.DownloadObject,
            cloudstorage.DownloadObject("files", "public/a.txt"),
            cloudstorage.DownloadObject("files", "private/a.txt"),
            "cloudstorage.download",
            "files/public/a.txt",
            "files/private/a.txt",
        ),
        (
            cloudstorage.HeadObject,
            cloudstorage.HeadObject("files", "public/a.txt"),
            cloudstorage.HeadObject("other", "public/a.txt"),
            "cloudstorage.head",
            "files/public/a.txt",
            "other/public/a.txt",
        ),
        (
            cloudstorage.ListObjects,
            cloudstorage.ListObjects("files", prefix="public/"),
            cloudstorage.ListObjects("files"),
            "cloudstorage.list",
            "files/public/",
            "files/",
        ),
        (
            cloudstorage.PresignedGetURL,
            cloudstorage.PresignedGetURL("files", "public/a.txt"),
            cloudstorage.PresignedGetURL("files", "private/a.txt"),
            "cloudstorage.presign",
            "files/public/a.txt",
            "files/private/a.txt",
        ),
        (
            cloudstorage.PresignedPutURL,
            cloudstorage.PresignedPutURL("files", "public/a.txt"),
            cloudstorage.PresignedPutURL("files", "private/a.txt"),
            "cloudstorage.presign",
            "files/public/a.txt",
            "files/private/a.txt",
        ),
        (
            eval_.Compile,
            eval_.Compile("return 1", name="report"),
            eval_.Compile("return 2", name="miner"),
            "eval.compile",
            "report",
            "miner",
        ),
        (
            eval_.Run,
            eval_.Run(program),
            eval_.Run("return 1"),
            "eval.run",
            "report",
            "program",
        ),
        (
            eval_.CreateProcess,
            eval_.CreateProcess(program),
            eval_.CreateProcess("return 1"),
            "eval.spawn",
            "report",
            "program",
        ),
        (
            workflow.Start,
            workflow.Start("order-1", "orders"),
            workflow.Start("pay-1", "payments"),
            "workflow.start",
            "orders",
            "payments",
        ),
        (
            workflow.Signal,
            workflow.Signal("order-1", "ship"),
            workflow.Signal("pay-1", "ship"),
            "workflow.signal",
            "order-1",
            "pay-1",
        ),
        (
            workflow.Cancel,
            workflow.Cancel("order-1"),
            workflow.Cancel("pay-1"),
            "workflow.cancel",
            "order-1",
            "pay-1",
        ),
    ]


async def test_each_io_command_is_checked_as_its_action_on_its_resource() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        cases = _cases(proc)
        sec.set_scope(
            proc,
            Scope("io", [p for c in cases for p in (allow(c[3], c[4]), deny(c[3], c[5]))]),
        )
        for cls, ok, refused, action, _, other in cases:  # allowed only on exactly _
            fake = node.fake(cls, _done)
            assert await proc.call(ok) == "done", cls
            with pytest.raises(PermissionDenied) as caught:
                await proc.call(refused)
            assert (caught.value.action, caught.value.resource) == (action, other), cls
            assert action in str(caught.value) and repr(other) in str(caught.value)
            assert fake.calls == [ok], cls  # the refused one never ran


async def test_a_batch_is_refused_whole_when_one_item_is_refused() -> None:
    scope = Scope(
        "io",
        [
            allow("http.request", "*.example.com"),
            allow("cloudstorage.delete", "files/tmp/*"),
        ],
    )
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        sec.set_scope(proc, scope)
        requests = node.fake(http.RequestBatch, lambda cmd: [])
        deletes = node.fake(cloudstorage.DeleteObjects, lambda cmd: ())
        good = http.RequestBatch([http.Request("GET", "https://a.example.com/")] * 2)
        assert await proc.call(good) == []
        bad = http.RequestBatch(
            [http.Request("GET", "https://a.example.com/"), http.Request("GET", "http://x.test")]
        )
        with pytest.raises(PermissionDenied) as caught:
            await proc.call(bad)
        assert (caught.value.action, caught.value.resource) == ("http.request", "x.test")
        assert requests.calls == [good]
        ok = cloudstorage.DeleteObjects("files", ("tmp/a", "tmp/b"))
        assert await proc.call(ok) == ()
        with pytest.raises(PermissionDenied) as caught:
            await proc.call(cloudstorage.DeleteObjects("files", ("tmp/a", "db/main")))
        assert caught.value.resource == "files/db/main"
        assert deletes.calls == [ok]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://user:pw@Example.COM:443/p", "example.com"),
        ("http://[::1]:8080/", "::1"),
        ("http://127.0.0.1/", "127.0.0.1"),
        ("not a url", ""),
        ("http://[bad/", ""),
    ],
)
def test_host_is_the_lower_case_host_without_port_or_user(url: str, expected: str) -> None:
    assert host(url) == expected


def test_a_module_that_cannot_be_imported_is_skipped() -> None:
    assert optional_module("no_such_module") is None
    assert optional_module("http") is http
