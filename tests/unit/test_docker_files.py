"""docker/compose.yaml and docker/Dockerfile: checked with `docker compose config` where Docker
Compose is installed (not on this machine), and by reading the files in any case."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import yaml

DOCKER = Path(__file__).resolve().parents[2] / "docker"
APP_SERVICES = {"migrate", "web1", "web2", "worker"}


def compose() -> dict[str, Any]:
    """The file as YAML; first `docker compose config` accepts it, where Compose is installed."""
    docker_compose_config()
    data: dict[str, Any] = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    return data


def docker_compose_config() -> None:
    docker = shutil.which("docker")
    if (
        docker is None
        or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0
    ):
        return  # no Compose here (no Docker on the CI machine): the YAML checks below remain
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "docker"
        shutil.copytree(DOCKER, copy)
        example = (DOCKER / "env.example").read_text()
        (copy / ".env").write_text(example.replace("POSTGRES_PASSWORD=", "POSTGRES_PASSWORD=x"))
        cmd = [docker, "compose", "-f", str(copy / "compose.yaml"), "config", "--quiet"]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=copy)
        assert done.returncode == 0, done.stderr


def command(service: dict[str, Any]) -> list[str]:
    cmd: list[str] = service["command"]
    return cmd


def test_services_and_roles() -> None:
    services = compose()["services"]
    assert set(services) == APP_SERVICES | {"postgres", "proxy"}  # no Redis: nothing uses it
    roles = sorted(" ".join(command(services[s])) for s in ("web1", "web2", "worker"))
    assert roles == [
        "helpline run --role web",
        "helpline run --role web",
        "helpline run --role worker",
    ]
    assert command(services["migrate"]) == ["helpline", "migrate"]
    assert services["migrate"]["restart"] == "no"


def test_app_services_wait_for_a_healthy_database_and_the_migration() -> None:
    services = compose()["services"]
    for name in APP_SERVICES - {"migrate"}:
        deps = services[name]["depends_on"]
        assert deps["postgres"]["condition"] == "service_healthy", name
        assert deps["migrate"]["condition"] == "service_completed_successfully", name
        assert "/readyz" in " ".join(services[name]["healthcheck"]["test"]), name
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    proxy_deps = services["proxy"]["depends_on"]
    assert {proxy_deps[w]["condition"] for w in ("web1", "web2")} == {"service_healthy"}


def test_secrets_come_from_the_env_file_and_data_from_a_volume() -> None:
    data = compose()
    services = data["services"]
    for name in APP_SERVICES:
        assert services[name]["env_file"] == [".env"], name
        url = services[name]["environment"]["HELPLINE_DATABASE_URL"]
        assert url.startswith("postgresql+asyncpg://helpline:${POSTGRES_PASSWORD:?"), name
    text = (DOCKER / "compose.yaml").read_text()
    assert not re.search(r"(SECRET_KEY|TOKEN|PASSWORD)\s*:\s*[\"']?[A-Za-z0-9]", text)
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "pgdata" in data["volumes"]
    example = (DOCKER / "env.example").read_text()
    for name in ("HELPLINE_SECRET_KEY", "HELPLINE_TELEGRAM_TOKEN", "POSTGRES_PASSWORD"):
        assert re.search(rf"^{name}=$", example, re.M), name  # named, never filled in


def test_the_proxy_spreads_the_webhook_over_both_web_processes() -> None:
    caddy = (DOCKER / "Caddyfile").read_text()
    assert "reverse_proxy web1:8080 web2:8080" in caddy
    assert "health_uri /readyz" in caddy
    assert "@webhooks path /telegram/webhook* /sms/*" in caddy and "handle @webhooks" in caddy


def test_dockerfile_is_small_non_root_with_catalogs_and_a_healthcheck() -> None:
    text = (DOCKER / "Dockerfile").read_text()
    assert text.count("FROM python:3.11-slim") == 2  # build stage and a clean runtime stage
    assert "pybabel compile" in text
    user = re.findall(r"^USER (\S+)$", text, re.M)
    assert user == ["helpline"]
    assert re.search(r"^HEALTHCHECK .*", text, re.M) and "/healthz" in text
    assert "--no-cache" in text or "PIP_NO_CACHE_DIR=1" in text
    ignored = (DOCKER.parent / ".dockerignore").read_text().split()
    assert {".venv", "var", ".env", "tests"} <= set(ignored)
