"""Archives of raw files (``.zip``, ``.tar``, ``.tar.gz``...): unpacked into a folder, then walked as one.

Ingest reads an archive's members as the files of a folder named after it: each member is a file
of its own (its loader chosen by its name, its rejects and counts its own), named in ``raw_path``
as ``corpus.zip/2024/article.txt``. Members are written to disk one at a time, streamed, so that
an archive of any size is never held in memory.

What is not a member's content is not unpacked: folders, links, devices. Names are made safe:
no absolute path, drive letter, ``..`` or ``.`` part (a name that leads out of the folder stays
inside it), ``\\`` is a separator as ``/``, and two members that end up with one name both keep
theirs (the second gets ``~2``). A member that cannot be read (encrypted, corrupt) is reported
with its reason; so is an archive cut short, after the members read before the damage.
"""

from __future__ import annotations

import re
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from analysis.io.registry import FileReject

#: a member's bytes copied at a time
_CHUNK = 1 << 20
_DRIVE = re.compile(r"[A-Za-z]:")


@dataclass(frozen=True, slots=True)
class MemberProblem:
    """A member (``name``, as made safe) that could not be unpacked, or, without a name, the archive's rest."""

    name: str | None
    reason: str
    detail: str


def archive_suffix(name: str, suffixes: tuple[str, ...]) -> str | None:
    """The longest of the archive ``suffixes`` a file name ends with (case ignored), if any."""
    lower = name.lower()
    found = [suffix for suffix in suffixes if lower.endswith(suffix) and len(lower) > len(suffix)]
    return max(found, key=len) if found else None


def safe_name(name: str) -> str:
    """A member's name as a relative path that stays inside the folder (empty when nothing is left)."""
    parts = [p for p in re.split(r"[\\/]+", name) if p not in ("", ".", "..")]
    if parts and _DRIVE.fullmatch(parts[0]):
        parts = parts[1:]
    return "/".join(parts)


class _Names:
    """Unique safe names for an archive's members."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def take(self, name: str) -> str:
        safe = safe_name(name) or "member"
        if safe in self._used:
            path = PurePosixPath(safe)
            n = 2
            while (candidate := str(path.with_name(f"{path.stem}~{n}{path.suffix}"))) in self._used:
                n += 1
            safe = candidate
        self._used.add(safe)
        return safe


def _zip_name(info: zipfile.ZipInfo) -> str:
    """A zip member's name; a UTF-8 name a tool stored without the UTF-8 flag read as UTF-8, not CP437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except UnicodeError:
        return info.filename


class _WriteError(Exception):
    """A member that could not be written (a name the file system refuses, a file where a folder is)."""


def _write(source: IO[bytes], target: Path) -> None:
    """Copy a member to ``target``; nothing is left of it when reading or writing fails.

    Raises:
        _WriteError: writing failed; an error reading ``source`` goes through as it is.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        out = target.open("wb")
    except OSError as exc:
        raise _WriteError(f"{type(exc).__name__}: {exc}") from exc
    try:
        with out:
            while chunk := source.read(_CHUNK):
                try:
                    out.write(chunk)
                except OSError as exc:
                    raise _WriteError(f"{type(exc).__name__}: {exc}") from exc
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def unpack_archive(path: Path, dest: Path) -> list[MemberProblem]:
    """Write every member of the archive at ``path`` below ``dest``; what could not be read.

    Raises:
        FileReject: ``corrupt_archive`` when the archive cannot be opened at all.
    """
    if zipfile.is_zipfile(path):
        return _unpack_zip(path, dest)
    try:
        archive = tarfile.open(path, mode="r|*")  # noqa: SIM115 (closed by _unpack_tar)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise FileReject("corrupt_archive", f"not a readable zip or tar archive: {exc}") from exc
    return _unpack_tar(archive, dest)


def _unpack_zip(path: Path, dest: Path) -> list[MemberProblem]:
    problems: list[MemberProblem] = []
    names = _Names()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileReject("corrupt_archive", f"not a readable zip archive: {exc}") from exc
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = names.take(_zip_name(info))
            target = dest / name
            try:
                with archive.open(info) as member:
                    _write(member, target)
            except _WriteError as exc:
                problems.append(MemberProblem(name, "unwritable_member", str(exc)))
            except RuntimeError as exc:  # zipfile's "password required"
                problems.append(MemberProblem(name, "encrypted", str(exc)))
            except NotImplementedError as exc:  # a compression method Python lacks
                problems.append(MemberProblem(name, "corrupt_archive", f"unsupported compression: {exc}"))
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError) as exc:
                problems.append(MemberProblem(name, "corrupt_archive", f"{type(exc).__name__}: {exc}"))
    return problems


def _unpack_tar(archive: tarfile.TarFile, dest: Path) -> list[MemberProblem]:
    problems: list[MemberProblem] = []
    names = _Names()
    count = 0
    with archive:
        try:
            for info in archive:
                if not info.isfile():
                    continue
                name = names.take(info.name)
                source = archive.extractfile(info)
                if source is None:
                    continue
                try:
                    _write(source, dest / name)
                except _WriteError as exc:
                    problems.append(MemberProblem(name, "unwritable_member", str(exc)))
                count += 1
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            members = f"{count} member{'' if count == 1 else 's'}"
            detail = f"cut short after {members}: {type(exc).__name__}: {exc}"
            problems.append(MemberProblem(None, "corrupt_archive", detail))
    return problems
