"""Writing output files safely: the whole file or nothing, in UTF-8."""

import json
import os
import tempfile
from pathlib import Path

from graph.errors import InputError


def prepare_dir(path: str | Path) -> Path:
    """Create the output folder, or say in one line why it cannot be written."""
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"cannot create the output folder {out}: {err.strerror or err}") from None
    if not os.access(out, os.W_OK):
        raise InputError(f"the output folder {out} is not writable")
    return out


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | Path, data: bytes | str) -> Path:
    """Write to a temporary file beside `path`, then rename it over `path`."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    except OSError as err:
        raise InputError(f"cannot write {target}: {err.strerror or err}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


OUTPUTS_FILE = "cmkg-outputs"


def shown_path(path: str | Path) -> str:
    """A path as the user would type it: relative to the working folder when it lies below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (OSError, ValueError):
        return str(path)


def remember_outputs(store_path: str | Path, out_dir: str | Path) -> None:
    """Note in the store folder where `build` wrote its outputs (read back by `remembered_outputs`).

    The note names the store folder too: a copy of the store elsewhere does not refresh the original's files.
    """
    note = json.dumps({"store": str(Path(store_path).resolve()), "out": str(Path(out_dir).resolve())})
    try:
        atomic_write(Path(store_path) / OUTPUTS_FILE, note + "\n")
    except (OSError, InputError):
        pass  # only a convenience: ingest then says which command refreshes the outputs


def remembered_outputs(store_path: str | Path) -> Path | None:
    """The folder `build` last wrote the outputs of this store to, if it still exists."""
    try:
        note = json.loads((Path(store_path) / OUTPUTS_FILE).read_text(encoding="utf-8"))
        if note["store"] != str(Path(store_path).resolve()):
            return None
        out = Path(note["out"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return out if out.is_dir() else None
