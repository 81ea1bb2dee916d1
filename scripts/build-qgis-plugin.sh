#!/usr/bin/env bash
# Builds the QGIS plugin zip that QGIS installs (Plugins > Manage and Install Plugins >
# Install from ZIP): qgis/relocate_qgis/ packed as relocate_qgis/… into target/relocate_qgis.zip,
# or into the path given as the first argument. The same sources give the same bytes (sorted
# entries, fixed dates); Python caches are left out.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/relocate_qgis.zip}"
mkdir -p "$(dirname "$out")"
python3 - "$out" <<'PY'
import os
import sys
import zipfile

out = sys.argv[1]
root = "qgis"
files = []
for folder, dirs, names in os.walk(os.path.join(root, "relocate_qgis")):
    dirs[:] = sorted(d for d in dirs if d != "__pycache__")
    files += [os.path.join(folder, n) for n in names if not n.endswith((".pyc", ".pyo"))]
tmp = out + ".part"
with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
    for path in sorted(files):
        entry = zipfile.ZipInfo(os.path.relpath(path, root).replace(os.sep, "/"), (1980, 1, 1, 0, 0, 0))
        entry.external_attr = 0o644 << 16
        entry.compress_type = zipfile.ZIP_DEFLATED
        with open(path, "rb") as f:
            z.writestr(entry, f.read())
os.replace(tmp, out)
print(f"{out}: {len(files)} files")
PY
