"""Domain errors. Core raises these; each protocol adapter maps them once to its wire format."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the core reports to a caller."""

    def __init__(self, message: str, *, argument: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.argument = argument


class NotFound(DomainError):
    """The object does not exist, is deleted, or belongs to someone else."""

    def __init__(self, kind: str, message: str | None = None) -> None:
        super().__init__(message or f"{kind.capitalize()} not found")
        self.kind = kind


class InvalidArgument(DomainError):
    """An argument has the wrong type or is out of range."""

    def __init__(self, argument: str, message: str | None = None) -> None:
        super().__init__(message or f"Invalid argument value: {argument}", argument=argument)


class MissingArgument(DomainError):
    """A required argument is absent."""

    def __init__(self, argument: str) -> None:
        super().__init__(f"Required argument is missing: {argument}", argument=argument)


class InvalidTempId(DomainError):
    """A temporary id that no earlier command created."""

    def __init__(self, temp_id: str) -> None:
        super().__init__("Invalid temporary id", argument=temp_id)


class InvalidDateArgument(DomainError):
    """A date string or timestamp the server cannot understand."""

    def __init__(self, argument: str = "date_string") -> None:
        super().__init__("Invalid date format", argument=argument)


class Forbidden(DomainError):
    """The caller may not do this (e.g. delete the Inbox)."""


class Conflict(DomainError):
    """The object already exists (duplicate e-mail, id already taken)."""


class AuthenticationFailed(DomainError):
    """Wrong credentials, or an unknown, expired or revoked token."""


class LimitExceeded(DomainError):
    """A configured limit was hit; ``retry_after`` is in seconds when known."""

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class WrongCredentials(AuthenticationFailed):
    """Sign-on with an unknown user name or a wrong password (the two are not told apart)."""


class SecondFactorIncorrect(AuthenticationFailed):
    """A second-factor (TOTP) code that does not match the account's secret."""


class SecondFactorExpired(AuthenticationFailed):
    """A second-factor challenge (authId) that is unknown, already used or expired."""
