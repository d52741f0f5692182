"""Signed, expiring tokens (HMAC-SHA256) and API key rotation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time


class TokenError(Exception):
    pass


def b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64decode(text: str) -> bytes:
    padding = "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(text + padding)


def sign(payload: dict[str, object], key: bytes, ttl: int = 900, now: float | None = None) -> str:
    issued = int(time.time() if now is None else now)
    claims = dict(payload, iat=issued, exp=issued + ttl)
    body = b64encode(json.dumps(claims, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    signature = hmac.new(key, body.encode("ascii"), hashlib.sha256).digest()
    return f"{body}.{b64encode(signature)}"


def verify(token: str, keys: list[bytes], now: float | None = None, leeway: int = 30) -> dict[str, object]:
    try:
        body, signature = token.split(".")
    except ValueError as exc:
        raise TokenError("malformed token") from exc
    expected = b64decode(signature)
    for key in keys:
        actual = hmac.new(key, body.encode("ascii"), hashlib.sha256).digest()
        if hmac.compare_digest(actual, expected):
            break
    else:
        raise TokenError("bad signature")
    claims = json.loads(b64decode(body))
    moment = time.time() if now is None else now
    if claims.get("exp", 0) + leeway < moment:
        raise TokenError("token expired")
    if claims.get("iat", 0) - leeway > moment:
        raise TokenError("token issued in the future")
    return claims


def new_api_key(prefix: str = "sk") -> tuple[str, str]:
    secret = secrets.token_urlsafe(32)
    digest = hashlib.sha256(secret.encode("ascii")).hexdigest()
    return f"{prefix}_{secret}", digest


def check_api_key(candidate: str, stored_digests: list[str]) -> bool:
    _, _, secret = candidate.partition("_")
    digest = hashlib.sha256(secret.encode("ascii")).hexdigest()
    return any(hmac.compare_digest(digest, stored) for stored in stored_digests)


def rotate(keys: list[bytes], keep: int = 2) -> list[bytes]:
    fresh = secrets.token_bytes(32)
    return [fresh, *keys][:keep]
