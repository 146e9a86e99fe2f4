"""Cloud storage: objects in a local directory; upload, list, ranges, conditions, URLs."""

import os
import tempfile

import actorkit
from actorkit.modules import cloudstorage as cs

ROOT = os.path.join(tempfile.gettempdir(), "actorkit-example-objects")
MODULES = [cs.local("files", ROOT, base_url="http://127.0.0.1:8000/storage")]


async def main(proc: actorkit.Process) -> str:
    for name in ("a.txt", "b.txt", "c.txt"):
        text = f"report {name[0]}: all well"
        await proc.call(cs.UploadObject("files", f"reports/{name}", text.encode()))
    page = await proc.call(cs.ListObjects("files", prefix="reports/", max_keys=2))
    rest = await proc.call(
        cs.ListObjects("files", prefix="reports/", continuation_token=page.next_token)
    )
    keys = [o.key for o in page.objects + rest.objects]

    part = await proc.call(cs.DownloadObject("files", "reports/b.txt", byte_range=(0, 7)))
    refused = False
    try:  # only_if_absent: the second writer loses
        await proc.call(cs.UploadObject("files", "reports/a.txt", b"x", only_if_absent=True))
    except cs.PreconditionFailedError:
        refused = True

    url = await proc.call(cs.PresignedGetURL("files", "reports/c.txt", expires=300))
    grant = cs.verify_presigned(proc.node, "files", url, method="GET")
    deleted = await proc.call(cs.DeleteObjects("files", tuple(keys)))
    return (
        f"listed {len(keys)} in 2 pages; range {part.data!r} of {part.info.size} bytes; "
        f"overwrite refused {refused}; URL grants GET {grant.key}; "
        f"deleted {sum(r.ok for r in deleted)}"
    )


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
