"""``conflict-map assets install|list``: the npm packages inlined into every map."""

from __future__ import annotations

import click


@click.group("assets")
def assets_group() -> None:
    """The scripts and stylesheets inlined into maps (npm packages, fetched once into the user cache)."""


@assets_group.command("install")
def install() -> None:
    """Fetch the npm packages, at the versions folium references (needs npm and the npm registry)."""
    from maps.assets import assets_dir, installed_packages
    from maps.build import ensure_offline_assets
    from maps.progress import Reporter

    ensure_offline_assets(Reporter(verbose=True))
    for manifest in installed_packages():
        click.echo(f"{manifest['package']}@{manifest['version']}  {manifest['license']}")
    click.echo(f"in {assets_dir()}", err=True)


@assets_group.command("list")
def list_assets() -> None:
    """Show which asset each folium URL maps to and whether it is installed."""
    from maps.assets import assets_dir, declared_assets, installed_packages
    from maps.render import asset_elements

    installed = {(m["package"], m["version"]): m for m in installed_packages()}
    for asset in declared_assets(asset_elements()):
        manifest = installed.get((asset.file.package, asset.file.version))
        state = f"installed ({manifest['license']})" if manifest else "missing"
        click.echo(f"{asset.url}\n    -> {asset.file.spec} {asset.file.path}: {state}")
    click.echo(f"cache: {assets_dir()}", err=True)
