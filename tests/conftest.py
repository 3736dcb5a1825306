"""Shared fixtures: one gazetteer index built per test session in a private cache."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"


class NetworkUsed(AssertionError):
    """Raised when code under test tries to open a network connection."""


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Fail the test if anything connects a socket or resolves a host name."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise NetworkUsed(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory private to this test session (the user's cache is never touched)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session", autouse=True)
def _isolated_environment(cache_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    import os

    config = tmp_path_factory.mktemp("config") / "config.toml"
    config.write_text("")
    os.environ["CONFLICT_MAP_CACHE_DIR"] = str(cache_dir)
    os.environ["CONFLICT_MAP_CONFIG"] = str(config)
    os.environ.pop("CONFLICT_MAP_OVERRIDES", None)


@pytest.fixture(scope="session")
def gazetteer(cache_dir: Path):
    """The real gazetteer over the real sources (built once per session)."""
    from gazetteer import Gazetteer
    from gazetteer.config import Settings

    return Gazetteer.open(Settings(cache_dir=cache_dir))
