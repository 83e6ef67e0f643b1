"""Write a file so that it is either the whole new content or the old file, never half."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from tracker.storage import leftovers


@contextlib.contextmanager
def atomic_open(path: Path | str, mode: str = "w", **kwargs: object) -> Iterator[IO[Any]]:
    """Open a temporary file beside `path`; on success flush, fsync and rename it into place."""
    target = Path(path)
    # A copy a killed export left here is health data in a hidden file: removed now.
    leftovers.clear(target.parent, target.name, ("part",))
    try:
        fd, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise _naming(exc, target) from None
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:  # type: ignore[call-overload]
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise _naming(exc, target) from None
        raise


def _naming(exc: OSError, target: Path) -> OSError:
    """The same error, about the file that was asked for rather than the temporary one."""
    return OSError(exc.errno, exc.strerror or str(exc), str(target))


def write_atomic(path: Path | str, data: str | bytes) -> None:
    if isinstance(data, bytes):
        with atomic_open(path, "wb") as handle:
            handle.write(data)
    else:
        with atomic_open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(data)
