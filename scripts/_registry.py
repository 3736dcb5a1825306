"""Fetch a pinned package from a registry and check it against its pinned hash.

Shared by the ``rebuild_*`` scripts: ``npm pack`` for npm packages (sha512 integrity, as in
``package-lock.json``), ``apt-get download`` for Debian packages (sha256, as in the archive's
``Packages`` index), ``pip download`` for PyPI wheels (sha256).  Every fetch is refused unless the file's hash equals the pinned one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import urllib.request
from pathlib import Path


def pinned_download(url: str, sha256: str, local: Path | None, what: str) -> bytes:
    """The bytes of ``url`` (or of ``local``, a copy of it) once their sha256 is the pinned one; else exit
    naming ``what``."""
    raw = local.read_bytes() if local else urllib.request.urlopen(url).read()
    if hashlib.sha256(raw).hexdigest() != sha256:
        raise SystemExit(f"{what} is not the one recorded ({sha256})")
    return raw


def _digest(path: Path, algorithm: str) -> "hashlib._Hash":
    digest = hashlib.new(algorithm)
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest


def sri_sha512(path: Path) -> str:
    """Return the npm/SRI integrity string (``sha512-<base64>``) of a file."""
    return "sha512-" + base64.b64encode(_digest(path, "sha512").digest()).decode("ascii")


def sha256_hex(path: Path) -> str:
    """Return the hex sha256 of a file."""
    return _digest(path, "sha256").hexdigest()


def check_integrity(path: Path, pinned: str) -> None:
    """Stop unless *path* has the pinned npm integrity (``sha512-...``) or hex sha256."""
    actual = sri_sha512(path) if pinned.startswith("sha512-") else sha256_hex(path)
    if actual != pinned:
        raise SystemExit(f"{path}: hash {actual} != pinned {pinned}")


def npm_pack(spec: str, workdir: Path, integrity: str) -> Path:
    """``npm pack`` the pinned *spec* (``name@version``) into *workdir*; checks both what npm
    reports and the tarball's own sha512 against *integrity*."""
    cmd = ["npm", "pack", spec, "--json", "--pack-destination", str(workdir)]
    proc = subprocess.run(cmd, cwd=workdir, check=True, capture_output=True, text=True)
    report = json.loads(proc.stdout)[0]
    if report.get("integrity") != integrity:
        raise SystemExit(f"npm reports integrity {report.get('integrity')} for {spec}, pinned {integrity}")
    tarball = workdir / str(report["filename"])
    check_integrity(tarball, integrity)
    return tarball


def debian_download(package: str, version: str, workdir: Path, sha256: str) -> Path:
    """``apt-get download package=version`` into *workdir* (needs the package lists, i.e.
    ``apt-get update`` once); checks the .deb's sha256 against *sha256*."""
    subprocess.run(["apt-get", "download", f"{package}={version}"], cwd=workdir, check=True,
                   capture_output=True, text=True)
    debs = sorted(workdir.glob(f"{package}_*.deb"))
    if len(debs) != 1:
        raise SystemExit(f"apt-get download {package}={version}: expected one .deb in {workdir}, got {debs}")
    check_integrity(debs[0], sha256)
    return debs[0]


def pypi_download(spec: str, workdir: Path, sha256: str) -> Path:
    """``pip download --no-deps`` the pinned wheel *spec* (``name==version``) into *workdir*;
    checks the wheel's sha256 against *sha256*."""
    import sys

    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                    "--ignore-requires-python", "-q", "-d", str(workdir), spec],
                   check=True, capture_output=True, text=True)
    wheels = sorted(workdir.glob("*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"pip download {spec}: expected one wheel in {workdir}, got {wheels}")
    check_integrity(wheels[0], sha256)
    return wheels[0]
