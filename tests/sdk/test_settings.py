"""`taskhaven.sdk.Settings` point by point: fields, defaults, validators, sources, errors."""

from __future__ import annotations

import json
import re
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import HttpUrl, SecretStr, ValidationError

from taskhaven.sdk import Settings, TokenV1, V2XDevice
from taskhaven.sdk import _settings as settings_module

TOKEN = "fa371b10-8b95-442b-b4a5-11a9959d3590"
DAY = 24 * 60 * 60


def far() -> int:
    return int(time.time()) + 180 * DAY


def v2_only(**values: Any) -> Settings:
    return Settings(v2_token="cookie-token", **values)


# -- fields and defaults -----------------------------------------------------------------------


def test_defaults_point_at_a_local_taskhaven() -> None:
    s = v2_only()
    assert s.v1_client_id is None and s.v1_client_secret is None and s.v1_token is None
    assert s.v1_base_url == HttpUrl("http://127.0.0.1:8000/open/v1/")
    assert s.v1_oauth_redirect_url == HttpUrl("http://127.0.0.1:8080/")
    assert s.v1_oauth_base_url is None
    assert s.oauth_base_url == "http://127.0.0.1:8000/oauth/"
    assert s.v2_username is None and s.v2_password is None and s.v2_totp_secret is None
    assert s.v2_base_url == HttpUrl("http://127.0.0.1:8000/api/v2/")
    assert s.v2_user_agent == "Mozilla/5.0 (rv:145.0) Firefox/145.0"
    assert s.sync_token is None
    assert s.sync_base_url == HttpUrl("http://127.0.0.1:8000/API/v6/")
    assert s.override_forbid_extra is False


def test_field_types() -> None:
    s = Settings(
        v1_client_id="cid",
        v1_client_secret="csecret",
        v1_token={"value": TOKEN, "expiration": far()},
        v2_token="t",
        v2_password="pw",
        v2_username="user@example.com",
        v2_totp_secret="JBSWY3DPEHPK3PXP",
        sync_token="s",
    )
    assert isinstance(s.v1_client_secret, SecretStr)
    assert isinstance(s.v2_password, SecretStr)
    assert isinstance(s.v2_totp_secret, SecretStr)
    assert isinstance(s.sync_token, SecretStr)
    assert isinstance(s.v1_token, TokenV1) and s.v1_token.value == uuid.UUID(TOKEN)
    assert isinstance(s.v2_x_device, V2XDevice)


def test_secrets_never_show_in_repr() -> None:
    s = Settings(
        v1_client_id="cid",
        v1_client_secret="csecret-value",
        v1_token={"value": TOKEN, "expiration": far()},
        v2_token="cookie-value",
        v2_username="user@example.com",
        v2_password="password-value",
        v2_totp_secret="totp-value",
        sync_token="sync-value",
    )
    text = repr(s) + str(s)
    secrets = ("csecret-value", "cookie-value", "password-value", "totp-value", "sync-value", TOKEN)
    for secret in secrets:
        assert secret not in text


def test_base_urls_are_configurable() -> None:
    s = v2_only(
        v1_base_url="https://tasks.example.com/open/v1",
        v2_base_url="https://tasks.example.com/api/v2/",
        sync_base_url="https://tasks.example.com/API/v6/",
    )
    assert s.oauth_base_url == "https://tasks.example.com/oauth/"
    s = v2_only(v1_oauth_base_url="https://auth.example.com/o/")
    assert s.oauth_base_url == "https://auth.example.com/o/"


def test_urls_are_validated() -> None:
    with pytest.raises(ValidationError, match="v2_base_url"):
        v2_only(v2_base_url="not a url")
    with pytest.raises(ValidationError, match="v1_oauth_redirect_url"):
        v2_only(v1_oauth_redirect_url="ftp://127.0.0.1/")


def test_unknown_settings_are_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Settings(v2_token="t", v3_token="x")  # type: ignore[call-arg]


# -- V2XDevice ---------------------------------------------------------------------------------


def test_x_device_defaults_and_a_fresh_object_id_each_time() -> None:
    first, second = v2_only().v2_x_device, v2_only().v2_x_device
    assert (first.platform, first.version) == ("web", 6430)
    assert re.fullmatch(r"[0-9a-f]{24}", first.id)
    assert first.id != second.id
    assert abs(int(first.id[:8], 16) - time.time()) < 60  # an ObjectId starts with its time


def test_x_device_allows_extra_fields_and_they_reach_the_header() -> None:
    s = v2_only(v2_x_device={"platform": "android", "version": 7000, "id": "a" * 24, "os": "x"})
    assert s.v2_headers == {
        "User-Agent": "Mozilla/5.0 (rv:145.0) Firefox/145.0",
        "X-Device": '{"platform":"android","version":7000,"id":"' + "a" * 24 + '","os":"x"}',
    }


# -- TokenV1 -----------------------------------------------------------------------------------


def test_token_needs_a_uuid4() -> None:
    with pytest.raises(ValidationError, match="UUID version 4 expected"):
        TokenV1(value=str(uuid.uuid1()), expiration=far())  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        TokenV1(value="not-a-uuid", expiration=far())  # type: ignore[arg-type]


@given(st.uuids(version=4))
def test_any_uuid4_is_a_token(value: uuid.UUID) -> None:
    assert TokenV1(value=value, expiration=far()).value == value


@given(st.uuids().filter(lambda u: u.version != 4))
def test_no_other_uuid_version_is_a_token(value: uuid.UUID) -> None:
    with pytest.raises(ValidationError):
        TokenV1(value=value, expiration=far())


@given(st.integers(min_value=1, max_value=10**9))
def test_an_expired_token_is_refused(ago: int) -> None:
    with pytest.raises(ValidationError, match="`token` has expired"):
        TokenV1(value=TOKEN, expiration=int(time.time()) - ago)  # type: ignore[arg-type]


@given(st.integers(min_value=60, max_value=7 * DAY - 60))
def test_a_token_with_under_7_days_left_warns(left: int) -> None:
    with pytest.warns(UserWarning, match="less than 7 days"):
        TokenV1(value=TOKEN, expiration=int(time.time()) + left)  # type: ignore[arg-type]


@given(st.integers(min_value=7 * DAY + 60, max_value=10**9))
def test_a_token_with_7_days_or_more_is_quiet(left: int) -> None:
    TokenV1(value=TOKEN, expiration=int(time.time()) + left)  # type: ignore[arg-type]


def test_token_forbids_extra_fields() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        TokenV1(value=TOKEN, expiration=far(), scope="x")  # type: ignore[arg-type, call-arg]


# -- username ----------------------------------------------------------------------------------


def test_username_must_be_an_email(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Settings, "_sign_on_v2", lambda self: None)
    assert Settings(v2_username="User@Example.COM", v2_password="pw").v2_username == (
        "User@example.com"
    )
    with pytest.raises(ValidationError, match="v2_username"):
        Settings(v2_username="user@localhost", v2_password="pw")


@given(st.text(alphabet=st.characters(exclude_characters="@"), max_size=40))
def test_text_without_at_sign_is_no_username(text: str) -> None:
    with pytest.raises(ValidationError, match="v2_username"):
        Settings(v2_token="t", v2_username=text)


# -- properties --------------------------------------------------------------------------------


def test_v1_headers() -> None:
    s = Settings(v1_token={"value": TOKEN, "expiration": far()})
    assert s.v1_headers == {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    with pytest.raises(ValueError, match="without `v1_token`"):
        _ = v2_only().v1_headers


def test_v2_cookies() -> None:
    assert v2_only().v2_cookies == {"t": "cookie-token"}
    with pytest.raises(ValueError, match="without `v2_token`"):
        _ = Settings(sync_token="s").v2_cookies


def test_sync_params() -> None:
    assert Settings(sync_token="abc").sync_params == {"token": "abc"}
    with pytest.raises(ValueError, match="without `sync_token`"):
        _ = v2_only().sync_params


# -- what is enough to build ------------------------------------------------------------------


def test_nothing_at_all_is_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="No settings provided, cannot signon to any API"):
        Settings()


@pytest.mark.parametrize(
    "values",
    [
        {"v1_client_id": "cid"},
        {"v1_client_secret": "cs"},
        {"v2_password": "pw"},
        {"v2_totp_secret": "JBSWY3DPEHPK3PXP"},
    ],
)
def test_half_a_credential_is_not_enough(values: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="No settings provided"):
        Settings(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "values",
    [
        {"v1_token": {"value": TOKEN, "expiration": 2 * 10**9}},
        {"v2_token": "cookie"},
        {"sync_token": "sync"},
    ],
)
def test_a_token_alone_is_enough(values: dict[str, Any]) -> None:
    Settings(**values)


def test_half_a_v2_credential_beside_a_token_warns() -> None:
    with pytest.warns(UserWarning, match="Cannot signon to v2 without"):
        Settings(sync_token="s", v2_password="pw")
    with pytest.warns(UserWarning, match="Cannot signon to v1 without"):
        Settings(sync_token="s", v1_client_id="cid")


def test_v1_sign_on_at_construction_needs_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings_module, "interactive", lambda: False)
    with pytest.warns(UserWarning, match="without a terminal"):
        s = Settings(v1_client_id="cid", v1_client_secret="cs")
    assert s.v1_token is None


def test_v1_sign_on_at_construction_when_interactive(monkeypatch: pytest.MonkeyPatch) -> None:
    from taskhaven.sdk import OAuthTokenV1

    calls: list[tuple[Any, ...]] = []

    def fake(cls: type, *args: Any, **kwargs: Any) -> OAuthTokenV1:
        calls.append((args, kwargs))
        return OAuthTokenV1(access_token=uuid.UUID(TOKEN), expires_in=15552000)

    monkeypatch.setattr(settings_module, "interactive", lambda: True)
    monkeypatch.setattr(Settings, "v1_signon", classmethod(fake))
    s = Settings(
        v1_client_id="cid", v1_client_secret="cs", v1_base_url="http://h.example.com:9/open/v1/"
    )
    assert s.v1_token is not None and str(s.v1_token.value) == TOKEN
    assert abs(s.v1_token.expiration - (time.time() + 15552000)) < 5
    assert calls == [
        (
            ("cid", "cs", "http://127.0.0.1:8080/"),
            {"oauth_base_url": "http://h.example.com:9/oauth/"},
        )
    ]


def test_a_given_token_skips_sign_on(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("signed on")

    monkeypatch.setattr(Settings, "v1_signon", classmethod(boom))
    monkeypatch.setattr(Settings, "v2_signon", classmethod(boom))
    s = Settings(
        v1_client_id="cid",
        v1_client_secret="cs",
        v1_token={"value": TOKEN, "expiration": far()},
        v2_username="user@example.com",
        v2_password="pw",
        v2_token="cookie",
    )
    assert s.v2_token == "cookie"


# -- sources -----------------------------------------------------------------------------------

ENVIRONMENT = {
    "TASKHAVEN_SDK_V1_CLIENT_ID": "client_id",
    "TASKHAVEN_SDK_V1_CLIENT_SECRET": "client_secret",
    "TASKHAVEN_SDK_V1_TOKEN_VALUE": TOKEN,
    "TASKHAVEN_SDK_V1_TOKEN_EXPIRATION": str(2 * 10**9),
    "TASKHAVEN_SDK_V2_TOKEN": "cookie",
    "TASKHAVEN_SDK_V2_X_DEVICE_ID": "b" * 24,
    "TASKHAVEN_SDK_V2_X_DEVICE_CHANNEL": "website",
    "TASKHAVEN_SDK_V2_BASE_URL": "http://10.0.0.1:9000/api/v2/",
    "TASKHAVEN_SDK_SYNC_TOKEN": "sync",
    "TASKHAVEN_SDK_OVERRIDE_FORBID_EXTRA": "True",
}


def check_loaded(s: Settings) -> None:
    assert s.v1_client_id == "client_id"
    assert s.v1_client_secret is not None
    assert s.v1_client_secret.get_secret_value() == "client_secret"
    assert s.v1_token == TokenV1(value=uuid.UUID(TOKEN), expiration=2 * 10**9)
    assert s.v2_token == "cookie"
    assert s.v2_x_device.id == "b" * 24 and s.v2_x_device.platform == "web"
    assert json.loads(s.v2_headers["X-Device"])["channel"] == "website"
    assert s.v2_base_url == HttpUrl("http://10.0.0.1:9000/api/v2/")
    assert s.sync_token is not None and s.sync_token.get_secret_value() == "sync"
    assert s.override_forbid_extra is True


def test_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    check_loaded(Settings())


def test_environment_variable_names_ignore_case(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name.lower(), value)
    check_loaded(Settings())


def test_a_nested_model_also_reads_from_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "TASKHAVEN_SDK_V1_TOKEN", json.dumps({"value": TOKEN, "expiration": 2 * 10**9})
    )
    assert Settings().v1_token == TokenV1(value=uuid.UUID(TOKEN), expiration=2 * 10**9)


def test_init_arguments_beat_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TASKHAVEN_SDK_V2_TOKEN", "from-env")
    assert Settings(v2_token="from-init").v2_token == "from-init"


def test_an_expired_token_in_the_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TASKHAVEN_SDK_V1_TOKEN_VALUE", TOKEN)
    monkeypatch.setenv("TASKHAVEN_SDK_V1_TOKEN_EXPIRATION", "1701701789")
    with pytest.raises(ValidationError, match="`token` has expired"):
        Settings()


def write_env(path: Path, values: dict[str, str]) -> Path:
    path.write_text("".join(f'{name}="{value}"\n' for name, value in values.items()))
    return path


def test_dotenv_file(tmp_path: Path) -> None:
    check_loaded(Settings(_env_file=write_env(tmp_path / ".env", ENVIRONMENT)))  # type: ignore[call-arg]


def test_no_dotenv_file_is_read_unless_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_env(tmp_path / ".env", ENVIRONMENT)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValidationError, match="No settings provided"):
        Settings()


def test_a_dotenv_shared_with_the_server_breaks_neither(tmp_path: Path) -> None:
    from taskhaven.settings import Settings as ServerSettings

    server_values = {
        "TASKHAVEN_DATABASE_URL": "sqlite:///x.db",
        "TASKHAVEN_PORT": "8123",
        "TASKHAVEN_SECRET_KEY": "k",
        "OTHER_TOOL_SETTING": "x",
    }
    shared = {**ENVIRONMENT, **server_values}
    env = write_env(tmp_path / ".env", shared)
    check_loaded(Settings(_env_file=env))  # type: ignore[call-arg]
    server = ServerSettings(_env_file=env)  # type: ignore[call-arg]
    assert server.port == 8123 and server.database_url == "sqlite:///x.db"


def test_dotenv_rejects_a_misspelt_sdk_setting(tmp_path: Path) -> None:
    env = write_env(
        tmp_path / ".env", {"TASKHAVEN_SDK_V2_TOKN": "x", "TASKHAVEN_SDK_V2_TOKEN": "t"}
    )
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Settings(_env_file=env)  # type: ignore[call-arg]


def test_secrets_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings_module, "interactive", lambda: False)
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "taskhaven_sdk_v2_token").write_text("cookie")
    (secrets / "taskhaven_sdk_sync_token").write_text("sync")
    (secrets / "taskhaven_sdk_v1_client_secret").write_text("client_secret")
    with pytest.warns(UserWarning, match="without a terminal"):
        s = Settings(_secrets_dir=secrets, v1_client_id="cid")  # type: ignore[call-arg]
    assert s.v2_token == "cookie"
    assert s.sync_token is not None and s.sync_token.get_secret_value() == "sync"
    assert s.v1_client_secret is not None
    assert s.v1_client_secret.get_secret_value() == "client_secret"


def test_environment_beats_dotenv_and_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "taskhaven_sdk_v2_token").write_text("from-secrets")
    env = write_env(tmp_path / ".env", {"TASKHAVEN_SDK_V2_TOKEN": "from-dotenv"})
    assert Settings(_secrets_dir=secrets).v2_token == "from-secrets"  # type: ignore[call-arg]
    assert Settings(_env_file=env, _secrets_dir=secrets).v2_token == "from-dotenv"  # type: ignore[call-arg]
    monkeypatch.setenv("TASKHAVEN_SDK_V2_TOKEN", "from-env")
    assert Settings(_env_file=env, _secrets_dir=secrets).v2_token == "from-env"  # type: ignore[call-arg]
