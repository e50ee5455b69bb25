"""Password hashing, token minting and encryption of secrets at rest."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.fernet import Fernet, InvalidToken


class Passwords:
    """argon2id hashing at the configured cost.

    A hash records its own parameters, so hashes made at another cost still verify;
    ``needs_rehash`` tells the caller to store a fresh one at the current cost.
    """

    def __init__(self, time_cost: int, memory_cost: int, parallelism: int) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism
        )
        # Verifying against this keeps the time of "unknown user" equal to "wrong password".
        self._dummy = self._hasher.hash(secrets.token_hex(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash or self._dummy, password) and bool(
                password_hash
            )
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return False


def new_api_token() -> str:
    """40 lowercase hex characters, the Sync API's token shape."""
    return secrets.token_hex(20)


def new_session_token() -> str:
    return secrets.token_hex(32)


def digest(token: str) -> str:
    """Tokens are looked up by digest, so the database never needs them in the clear."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


class SecretBox:
    """Symmetric encryption (Fernet) with the server key, for secrets stored in the database."""

    def __init__(self, key: str | bytes) -> None:
        raw = key.encode("ascii") if isinstance(key, str) else key
        self._mac_key = hashlib.sha256(b"taskhaven-mac:" + raw).digest()
        try:
            self._fernet = Fernet(raw)
        except ValueError:
            # Any operator-chosen passphrase becomes a valid Fernet key.
            derived = hashlib.sha256(raw).digest()
            self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def mac(self, text: str) -> str:
        """A keyed digest of ``text`` (HMAC-SHA256 under a key derived from the server key)."""
        return hmac.new(self._mac_key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def seal(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise ValueError("secret was sealed with a different server key") from exc


def load_or_create_key(path: Path) -> str:
    """The server key file, created with owner-only permissions on first start.

    Race: several server processes starting at once on a new data directory. Each writes a
    key of its own to a private temporary file, then links it to ``path``; ``link`` fails
    when ``path`` exists, so exactly one key wins, every process reads that one, and no
    process ever reads a half-written file.
    """
    if path.exists():
        return _read_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode("ascii")
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-", suffix=".tmp")
    try:
        os.write(fd, key.encode("ascii"))
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.chmod(temporary, 0o600)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return _read_key(path)
    finally:
        if fd >= 0:
            os.close(fd)
        os.unlink(temporary)
    return key


def _read_key(path: Path) -> str:
    key = path.read_text().strip()
    if not key:
        raise ValueError(f"the server key file {path} is empty")
    return key
