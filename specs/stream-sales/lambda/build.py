"""Rebuilds server.zip from src/ reproducibly (fixed timestamps, sorted entries), so the same
source always gives the same filebase64sha256 and no spurious Lambda code update.

    python3 specs/stream-sales/lambda/build.py
"""

import pathlib
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = HERE / "src"
TARGET = HERE / "server.zip"

with zipfile.ZipFile(TARGET, "w", zipfile.ZIP_DEFLATED) as archive:
    for path in sorted(SOURCE.rglob("*")):
        if path.is_file():
            info = zipfile.ZipInfo(str(path.relative_to(SOURCE)), date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
print(f"wrote {TARGET}")
