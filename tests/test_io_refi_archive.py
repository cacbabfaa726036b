"""Hostile REFI-QDA files fail safely with a RefiError that names the file."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from copanalysis.errors import RefiError
from copanalysis.io.refi import read_refi
from copanalysis.io.refi_archive import read_members, write_archive

PROJECT = (
    b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>'
    b'<TextSource guid="11111111-2222-3333-4444-555555555555" name="s1" '
    b'plainTextPath="internal://a.txt"/></Sources></Project>'
)


def _zip(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = compression
            archive.writestr(info, data)
    return buffer.getvalue()


def _central_sizes(data: bytes, size: int) -> bytes:
    """Rewrite the declared uncompressed size of every member in the central directory."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at != -1:
        struct.pack_into("<I", out, at + 24, size)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def _write(tmp_path: Path, data: bytes, name: str = "hostile.qdpx") -> Path:
    target = tmp_path / name
    target.write_bytes(data)
    return target


def _no_new_files(tmp_path: Path, before: set[Path]) -> None:
    assert set(tmp_path.rglob("*")) == before
    assert not (tmp_path.parent / "evil.txt").exists()


@pytest.mark.parametrize(
    "member",
    ["/etc/evil.txt", "../evil.txt", "sources/../../evil.txt", "..\\evil.txt", "C:\\evil.txt"],
)
def test_member_with_absolute_or_parent_path_is_refused_and_not_extracted(tmp_path, member):
    target = _write(tmp_path, _zip({"project.qde": PROJECT, member: b"pwned"}))
    before = set(tmp_path.rglob("*"))
    with pytest.raises(RefiError, match=r"hostile\.qdpx: unsafe member name") as error:
        read_refi(target, progress=False)
    assert repr(member)[1:-1].replace("\\\\", "\\") in str(error.value).replace("\\\\", "\\")
    _no_new_files(tmp_path, before)


def test_declared_size_over_the_limit_is_refused_before_reading(tmp_path):
    data = _central_sizes(_zip({"project.qde": PROJECT}), 300 * 2**20)
    target = _write(tmp_path, data)
    with pytest.raises(RefiError, match=r"hostile\.qdpx: members would expand to 314572800 bytes"):
        read_refi(target, progress=False)


def test_total_size_limit_is_a_parameter(tmp_path):
    target = _write(tmp_path, _zip({"project.qde": PROJECT, "sources/a.txt": b"x" * 5000}))
    with pytest.raises(RefiError, match=r"over the limit of 4000"):
        read_refi(target, max_size=4000, progress=False)
    assert len(read_refi(target, progress=False).stories) == 1


def test_compression_ratio_bomb_is_refused(tmp_path):
    target = _write(tmp_path, _zip({"project.qde": PROJECT, "sources/a.txt": bytes(8 * 2**20)}))
    assert target.stat().st_size < 20_000
    with pytest.raises(
        RefiError, match=r"hostile\.qdpx: member 'sources/a.txt' expands \d+ times"
    ):
        read_refi(target, progress=False)


def test_member_streaming_past_its_declared_size_is_refused(tmp_path):
    data = _central_sizes(_zip({"project.qde": PROJECT}, compression=zipfile.ZIP_STORED), 10)
    target = _write(tmp_path, data)
    with pytest.raises(RefiError, match=r"hostile\.qdpx: member 'project.qde' cannot be read"):
        read_refi(target, progress=False)


def test_streamed_bytes_are_counted_against_the_limit():
    data = _zip({"a.txt": b"a" * 3000, "b.txt": b"b" * 3000})
    members = read_members(data, path="x.qdpx", max_size=6000)
    assert {k: len(v) for k, v in members.items()} == {"a.txt": 3000, "b.txt": 3000}
    with pytest.raises(RefiError, match="x.qdpx: members would expand to 6000 bytes"):
        read_members(data, path="x.qdpx", max_size=5999)


def test_not_a_zip(tmp_path):
    target = _write(tmp_path, b"<Project/> but not zipped")
    with pytest.raises(RefiError, match=r"hostile\.qdpx: not a zip archive"):
        read_refi(target, progress=False)


def test_missing_qde(tmp_path):
    target = _write(tmp_path, _zip({"sources/a.txt": b"text", "nested/project.qde": PROJECT}))
    with pytest.raises(RefiError, match=r"hostile\.qdpx: no \.qde project file at the archive"):
        read_refi(target, progress=False)


def test_several_qde(tmp_path):
    target = _write(tmp_path, _zip({"a.qde": PROJECT, "b.qde": PROJECT}))
    with pytest.raises(RefiError, match=r"several \.qde files at the root \(a\.qde, b\.qde\)"):
        read_refi(target, progress=False)


def test_billion_laughs_in_a_project_is_refused(tmp_path):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "lol">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode()
            for i in range(9)
        )
        + b']><Project xmlns="urn:QDA-XML:project:1.0" name="&j;"/>'
    )
    target = _write(tmp_path, _zip({"project.qde": laughs}))
    with pytest.raises(RefiError, match=r"hostile\.qdpx \(project\.qde\): unsafe XML refused"):
        read_refi(target, progress=False)


def test_external_entity_is_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="11111111-2222-3333-4444-555555555555" name="&x;" isCodable="true"/>'
        "</Codes></CodeBook>"
    ).encode()
    target = _write(tmp_path, xxe, "xxe.qdc")
    with pytest.raises(RefiError, match=r"xxe\.qdc: unsafe XML refused") as error:
        read_refi(target)
    assert "TOP-SECRET-VALUE" not in str(error.value)


def test_malformed_xml_names_the_file_and_member(tmp_path):
    target = _write(tmp_path, _zip({"project.qde": b"<Project><Sources></Project>"}))
    with pytest.raises(RefiError, match=r"hostile\.qdpx \(project\.qde\): malformed XML"):
        read_refi(target, progress=False)
    broken = _write(tmp_path, b"<CodeBook><Codes>", "broken.qdc")
    with pytest.raises(RefiError, match=r"broken\.qdc: malformed XML"):
        read_refi(broken)


def test_wrong_root_element(tmp_path):
    target = _write(tmp_path, b"<html><body/></html>", "page.qdc")
    with pytest.raises(RefiError, match=r"page\.qdc: root element is <html>"):
        read_refi(target)


def test_docx_inside_an_archive_gets_the_same_checks(tmp_path):
    project = PROJECT.replace(
        b'plainTextPath="internal://a.txt"',
        b'plainTextPath="internal://a.txt" richTextPath="internal://a.docx"',
    )
    docx = _zip({"../evil.xml": b"x"})
    target = _write(
        tmp_path, _zip({"project.qde": project, "sources/a.txt": b"\n", "sources/a.docx": docx})
    )
    with pytest.raises(RefiError, match=r"hostile\.qdpx \(sources/a\.docx\): unsafe member"):
        read_refi(target, progress=False)


def test_written_archive_is_atomic_and_sorted(tmp_path):
    target = write_archive(tmp_path / "out.qdpx", {"z.txt": b"z", "project.qde": b"<P/>"})
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == ["project.qde", "z.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.qdpx"]
