"""What an output folder holds, byte for byte: files, and the parts of tables written as parts."""

from __future__ import annotations

from pathlib import Path


def output_bytes(folder: Path, *, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Each file's bytes by its path in ``folder``; a folder of parts (``tokens.parquet/``) by part.

    Hidden entries (``.interim``, temp files) and the names in ``skip`` are left out.
    """
    found: dict[str, bytes] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name in skip:
            continue
        if path.is_dir():
            found.update({f"{path.name}/{k}": v for k, v in output_bytes(path).items()})
        else:
            found[path.name] = path.read_bytes()
    return found
