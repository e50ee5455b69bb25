"""``taskhaven user totp enable|disable``: the operator's way to switch on the V2 second factor."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlparse

import pyotp
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from taskhaven.cli import app
from tests.servers import RunningServer
from tests.v2.clients import register, settings_for

runner = CliRunner()


def invoke(server: RunningServer, *args: str) -> tuple[int, str]:
    """Run the CLI against the test server's database, with the server's key."""
    key = server.backend.settings.secret_key
    assert key is not None
    result = runner.invoke(
        app,
        [*args, "--database", server.backend.settings.database_url],
        env={"TASKHAVEN_SECRET_KEY": key.get_secret_value()},
    )
    return result.exit_code, result.output


def enable(server: RunningServer, email: str) -> tuple[str, str]:
    code, output = invoke(server, "user", "totp", "enable", email)
    assert code == 0, output
    secret = re.search(r"secret: ([A-Z2-7]+)", output)
    uri = re.search(r"uri: (otpauth://\S+)", output)
    assert secret and uri, output
    return secret.group(1), uri.group(1)


def test_enable_prints_a_secret_and_a_matching_uri(server: RunningServer) -> None:
    user = register(server)
    secret, uri = enable(server, user["email"])
    assert len(secret) >= 32  # at least 160 bits
    parsed = urlparse(uri)
    assert (parsed.scheme, parsed.netloc) == ("otpauth", "totp")
    assert unquote(parsed.path) == f"/taskhaven:{user['email']}"
    query = parse_qs(parsed.query)
    assert query["secret"] == [secret]
    assert query["issuer"] == ["taskhaven"]
    assert pyotp.parse_uri(uri).now() == pyotp.TOTP(secret).now()


def test_enabled_secret_signs_on_and_disable_switches_it_off(server: RunningServer) -> None:
    user = register(server)
    secret, _uri = enable(server, user["email"].upper())  # e-mail case does not matter
    with pytest.raises(ValidationError, match="no TOTP was provided"):
        settings_for(server, user["email"])
    assert settings_for(server, user["email"], totp_secret=secret).v2_token

    code, output = invoke(server, "user", "totp", "disable", user["email"])
    assert code == 0 and "TOTP disabled" in output
    assert settings_for(server, user["email"]).v2_token  # the password alone again
    code, output = invoke(server, "user", "totp", "disable", user["email"])
    assert code == 0 and "was not enabled" in output


@pytest.mark.parametrize("action", ["enable", "disable"])
def test_unknown_email_fails_clearly(server: RunningServer, action: str) -> None:
    code, output = invoke(server, "user", "totp", action, "nobody-here@example.com")
    assert code == 1
    assert "no user with e-mail nobody-here@example.com" in output
