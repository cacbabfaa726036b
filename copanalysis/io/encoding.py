"""Reading text files whose encoding nobody wrote down.

Survey tools and spreadsheet programs save text as UTF-8 (with or without a byte-order
mark), UTF-16 with a byte-order mark (Excel's "Unicode text"), or a Windows code page.
:func:`read_text` tries them in that order and says which one worked.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from copanalysis.errors import EmptyFileError, FileFormatError

__all__ = ["ENCODINGS", "decode_text", "detect_encoding", "read_text"]

#: The encodings tried, in order, when a file has no byte-order mark.
ENCODINGS: tuple[str, ...] = ("utf-8", "cp1252", "latin-1")

# C0 control characters other than tab, newline, carriage return and form feed: never found
# in real survey text, always a sign of a binary file or of UTF-16 without a byte-order mark.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(data: bytes, *, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    A byte-order mark decides (``utf-8-sig``, ``utf-16``); otherwise UTF-8, then cp1252,
    then latin-1 are tried. Line endings become ``"\\n"``; nothing else changes.

    Raises
    ------
    FileFormatError
        When the bytes hold control characters under every encoding (a binary file, or
        bytes that are not text); the message gives the line of the first one.

    Examples
    --------
    >>> decode_text("Café;Zoë\\r\\n".encode("cp1252"))
    ('Café;Zoë\\n', 'cp1252')
    >>> decode_text(codecs.BOM_UTF8 + "naïve".encode())
    ('naïve', 'utf-8-sig')
    >>> decode_text("naïve".encode("utf-16"))
    ('naïve', 'utf-16')
    """
    if data.startswith(codecs.BOM_UTF8):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = ENCODINGS
    problem = ""
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            problem = f"byte {data[exc.start : exc.start + 1]!r} at offset {exc.start}"
            continue
        bad = _CONTROL.search(text)
        if bad is None:
            return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
        line = text.count("\n", 0, bad.start()) + 1
        problem = f"control character {bad.group()!r} on line {line}"
    raise FileFormatError(
        f"cannot decode the bytes as text ({problem}); tried {', '.join(candidates)}. "
        "Save the file as UTF-8 text",
        path=path,
    )


def read_text(path: str | Path) -> tuple[str, str]:
    """Read the text file at ``path``; return ``(text, encoding)``.

    Raises
    ------
    EmptyFileError
        When the file holds nothing but whitespace.
    FileFormatError
        When the bytes are not text in any of the encodings tried.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "notes.txt")
    ...     _ = path.write_bytes(b"\\xef\\xbb\\xbfEnablers\\r\\n- time")
    ...     read_text(path)
    ('Enablers\\n- time', 'utf-8-sig')
    """
    data = Path(path).read_bytes()
    text, encoding = decode_text(data, path=path)
    if not text.strip():
        raise EmptyFileError("the file is empty", path=path)
    return text, encoding


_CHUNK = 1 << 20


def detect_encoding(path: str | Path) -> str:
    """The encoding :func:`decode_text` would choose for the file, read 1 MiB at a time.

    For large files: the text is never held whole, only checked, so that the caller can
    then stream it (``open(path, encoding=..., newline="")``).

    Raises
    ------
    EmptyFileError
        When the file holds nothing but whitespace.
    FileFormatError
        When the bytes are not text in any of the encodings tried.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "survey.csv")
    ...     _ = path.write_bytes("Name\\tCafé\\r\\n".encode("utf-16"))
    ...     detect_encoding(path)
    'utf-16'
    """
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head.startswith(codecs.BOM_UTF8):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = ENCODINGS
    problem = ""
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        offset, line, blank = 0, 1, True
        try:
            with open(path, "rb") as handle:
                while True:
                    data = handle.read(_CHUNK)
                    text = decoder.decode(data, final=not data)
                    bad = _CONTROL.search(text)
                    if bad is not None:
                        line += text.count("\n", 0, bad.start())
                        problem = f"control character {bad.group()!r} on line {line}"
                        break
                    line += text.count("\n")
                    blank = blank and not text.strip()
                    offset += len(data)
                    if not data:
                        if blank:
                            raise EmptyFileError("the file is empty", path=path)
                        return encoding
        except UnicodeDecodeError as exc:
            problem = (
                f"byte {exc.object[exc.start : exc.start + 1]!r} at offset {offset + exc.start}"
            )
    raise FileFormatError(
        f"cannot decode the bytes as text ({problem}); tried {', '.join(candidates)}. "
        "Save the file as UTF-8 text",
        path=path,
    )
