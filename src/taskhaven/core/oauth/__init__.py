"""The OAuth2 provider's rules: registered apps, authorization codes, access tokens, scopes.

The wire (Authlib's server, the pages, the token endpoints) lives in ``taskhaven.api.oauth``
and ``taskhaven.web``; this package knows no HTTP.
"""
