"""Encryption at rest for SSNs and kept upload files, and the keyed blind index that finds an SSN
without decrypting every row (docs/decisions/0001-field-encryption.md).

Keys come from FIELD_ENCRYPTION_KEYS (the first encrypts, every one decrypts) and BLIND_INDEX_KEY,
never from SECRET_KEY: rotating the session-signing key after a leak must not touch stored data.
Fernet is authenticated (AES-128-CBC + HMAC-SHA256): a stored value that was altered, or that
was encrypted under a key we no longer hold, fails loudly instead of reading as garbage.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class DecryptionError(Exception):
    """A stored value could not be decrypted with any key in FIELD_ENCRYPTION_KEYS."""


@lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    fernets = [Fernet(key) for key in keys]
    return MultiFernet(fernets), fernets[0]


def _current() -> tuple[MultiFernet, Fernet]:
    # Looked up on every call (cached per key list) so a changed setting takes effect at once.
    return _fernets(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_bytes(data: bytes) -> bytes:
    return _current()[0].encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _current()[0].decrypt(token)
    except InvalidToken:
        raise DecryptionError(
            "Stored data could not be decrypted: it was altered, or the key that encrypted it "
            "is no longer in FIELD_ENCRYPTION_KEYS."
        ) from None


def text_decrypter():
    """`decrypt_text` with the keys' MultiFernet looked up once (it is built once per process
    and key list): for loops over many tokens, such as the hand-off export's SSNs."""
    multi = _current()[0]

    def decrypt(token: str) -> str:
        try:
            return multi.decrypt(token.encode("ascii")).decode()
        except InvalidToken:
            raise DecryptionError(
                "Stored data could not be decrypted: it was altered, or the key that encrypted "
                "it is no longer in FIELD_ENCRYPTION_KEYS."
            ) from None

    return decrypt


def encrypt_text(value: str) -> str:
    return encrypt_bytes(value.encode()).decode("ascii")


def decrypt_text(token: str) -> str:
    return decrypt_bytes(token.encode("ascii")).decode()


def is_current(token: bytes) -> bool:
    """True if `token` is encrypted under the first (current) key."""
    try:
        _current()[1].decrypt(token)
    except InvalidToken:
        return False
    return True


def rotate_bytes(token: bytes) -> bytes:
    """`token` re-encrypted under the first key (decrypted with whichever key it was under)."""
    try:
        return _current()[0].rotate(token)
    except InvalidToken:
        raise DecryptionError(
            "Stored data could not be decrypted for rotation: the key that encrypted it is not "
            "in FIELD_ENCRYPTION_KEYS."
        ) from None


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed HMAC-SHA256 of `value`, for exact-match lookup of an encrypted value.

    Never a plain hash: there are only a billion SSNs, so an unkeyed hash is reversed by trying
    them all. `purpose` separates the indexes of different fields kept under the same key."""
    message = f"{purpose}:{value}".encode()
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), message, hashlib.sha256).hexdigest()
