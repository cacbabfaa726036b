"""Zip archives of REFI-QDA projects (``.qdpx``), read in memory and written byte-stable.

Members are never extracted to disk: they are read by name into memory, after checking
that no member name is absolute or climbs out with ``..`` and that the declared and the
actually streamed sizes stay under a limit (zip bombs). Written archives have fixed
timestamps and sorted members, so the same content gives the same bytes.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Mapping
from io import BytesIO
from pathlib import Path, PurePosixPath

from copanalysis.errors import RefiError
from copanalysis.io.outputs import created_mode

__all__ = ["MAX_RATIO", "MAX_SIZE", "read_members", "write_archive"]

#: Largest total uncompressed size read from one archive (200 MiB).
MAX_SIZE = 200 * 2**20
#: Largest compression ratio accepted for a member bigger than 1 MiB.
MAX_RATIO = 500
_CHUNK = 2**16
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_DRIVE = re.compile(r"^[A-Za-z]:")


def _unsafe_name(name: str) -> bool:
    unix = name.replace("\\", "/")
    parts = PurePosixPath(unix).parts
    return unix.startswith("/") or bool(_DRIVE.match(unix)) or ".." in parts or "\x00" in name


def read_members(
    data: bytes,
    *,
    path: str | os.PathLike[str],
    max_size: int = MAX_SIZE,
) -> dict[str, bytes]:
    """Read every file member of the zip ``data`` into memory, by name.

    Parameters
    ----------
    data : bytes
        The archive's bytes.
    path : path-like
        The archive's file name, used in error messages.
    max_size : int
        Largest total uncompressed size, in bytes, declared or streamed.

    Returns
    -------
    dict
        Member name (as stored, ``/``-separated) -> its bytes. Directory entries are left out.

    Raises
    ------
    RefiError
        When ``data`` is not a zip, a member name is absolute or holds ``..``, a member is
        encrypted or corrupt, or the sizes exceed ``max_size`` or the compression ratio
        :data:`MAX_RATIO`.

    Examples
    --------
    >>> buffer = BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as archive:
    ...     archive.writestr("project.qde", "<Project/>")
    >>> read_members(buffer.getvalue(), path="p.qdpx")
    {'project.qde': b'<Project/>'}
    >>> read_members(b"not a zip", path="p.qdpx")
    Traceback (most recent call last):
    ...
    copanalysis.errors.RefiError: p.qdpx: not a zip archive (a .qdpx is a zip holding a .qde)
    """
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise RefiError("not a zip archive (a .qdpx is a zip holding a .qde)", path=path) from exc
    with archive:
        infos = archive.infolist()
        for info in infos:
            if _unsafe_name(info.filename):
                raise RefiError(
                    f"unsafe member name {info.filename!r} (absolute or with '..'); "
                    "expected paths inside the archive such as 'sources/x.txt'",
                    path=path,
                )
        declared = sum(info.file_size for info in infos)
        if declared > max_size:
            raise RefiError(
                f"members would expand to {declared} bytes, over the limit of {max_size}",
                path=path,
            )
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 2**20 and ratio > MAX_RATIO:
                raise RefiError(
                    f"member {info.filename!r} expands {ratio:.0f} times "
                    f"(limit {MAX_RATIO}): refusing a zip bomb",
                    path=path,
                )
        members: dict[str, bytes] = {}
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            chunks = []
            try:
                with archive.open(info) as stream:
                    while chunk := stream.read(_CHUNK):
                        total += len(chunk)
                        if total > max_size:
                            raise RefiError(
                                f"member {info.filename!r} streams past the limit of "
                                f"{max_size} bytes",
                                path=path,
                            )
                        chunks.append(chunk)
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, ValueError) as exc:
                if isinstance(exc, RefiError):
                    raise
                raise RefiError(
                    f"member {info.filename!r} cannot be read: {exc}", path=path
                ) from exc
            members[info.filename] = b"".join(chunks)
    return members


def write_archive(path: str | os.PathLike[str], members: Mapping[str, bytes]) -> Path:
    """Write ``members`` (name -> bytes) as a zip at ``path``, byte-identical for equal input.

    Members are sorted by name, stamped 1980-01-01 and deflated; the file is written to a
    temporary name beside ``path`` and then renamed, so a reader never sees half a file.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> first = write_archive(folder / "a.qdpx", {"b.txt": b"2", "a.txt": b"1"}).read_bytes()
    >>> first == write_archive(folder / "b.qdpx", {"a.txt": b"1", "b.txt": b"2"}).read_bytes()
    True
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name], compresslevel=9)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(buffer.getvalue())
        os.chmod(temp, created_mode())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target
