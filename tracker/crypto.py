"""Encryption at rest for SSNs and kept upload files, and the keyed blind index that finds an SSN
without decrypting every row (docs/decisions/0001-field-encryption.md).

Keys come from FIELD_ENCRYPTION_KEYS (the first encrypts, every one decrypts) and BLIND_INDEX_KEY,
never from SECRET_KEY: rotating the session-signing key after a leak must not touch stored data.
Fernet is authenticated (AES-128-CBC + HMAC-SHA256): a stored value that was altered, or that
was encrypted under a key we no longer hold, fails loudly instead of reading as garbage.
"""

import base64
import hashlib
import hmac
import os
import struct
import time
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
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


def encrypt_stream(source, target, *, chunk_size: int = 1 << 20) -> None:
    """Write the Fernet token of `source`'s bytes (a binary file) to `target` as it is made:
    the same token `encrypt_bytes` makes, under the first key, but in memory one chunk at a time
    rather than the whole file five times over (a 100,000-row export is ~9 MB: +45 MB at once).

    The Fernet spec (github.com/fernet/spec): base64url(0x80 ‖ time ‖ IV ‖ AES-128-CBC(PKCS7
    (data)) ‖ HMAC-SHA256 of all before it), the key being 16 bytes signing then 16 encrypting."""
    key = base64.urlsafe_b64decode(settings.FIELD_ENCRYPTION_KEYS[0])
    signing_key, encryption_key = key[:16], key[16:]
    iv = os.urandom(16)
    header = b"\x80" + struct.pack(">Q", int(time.time())) + iv
    encryptor = Cipher(algorithms.AES(encryption_key), modes.CBC(iv)).encryptor()
    padder = padding.PKCS7(algorithms.AES.block_size).padder()
    signature = hmac.new(signing_key, header, hashlib.sha256)
    pending = header  # bytes not yet base64-encoded: encoded in multiples of 3, so no padding

    def emit(data: bytes, *, final: bool = False) -> bytes:
        whole = len(data) if final else len(data) - len(data) % 3
        target.write(base64.urlsafe_b64encode(data[:whole]))
        return data[whole:]

    while block := source.read(chunk_size):
        encrypted = encryptor.update(padder.update(block))
        signature.update(encrypted)
        pending = emit(pending + encrypted)
    encrypted = encryptor.update(padder.finalize()) + encryptor.finalize()
    signature.update(encrypted)
    emit(pending + encrypted + signature.digest(), final=True)


def text_decrypter():
    """`decrypt_text` for loops over many tokens, such as the hand-off export's SSNs: the same
    checks as MultiFernet.decrypt (version byte, HMAC-SHA256 verified in constant time before
    anything is decrypted, AES-128-CBC, PKCS7 padding; every key in FIELD_ENCRYPTION_KEYS tried
    in order), with the keys looked up once and in one pass over the token.

    MultiFernet builds an HMAC object, a CBC cipher and an unpadder per token (~20 µs an SSN,
    most of a hand-off row's time, issue 12); here the HMAC is hashlib's one-shot digest and
    CBC decryption is done by hand over one reused AES block decryptor (P_i = D(C_i) XOR C_i-1,
    C_0 the IV) — ~8 µs. The block decryptor ("ECB") is only the raw AES block function here:
    every token is authenticated first, exactly as Fernet does, and nothing is encrypted with it."""
    keys = []
    for key in settings.FIELD_ENCRYPTION_KEYS:
        raw = base64.urlsafe_b64decode(key)
        if len(raw) != 32:
            raise ValueError("Fernet key must be 32 url-safe base64-encoded bytes.")
        block = Cipher(algorithms.AES(raw[16:]), modes.ECB()).decryptor()
        keys.append((raw[:16], block.update))

    def decrypt(token: str) -> str:
        try:
            data = base64.urlsafe_b64decode(token)
        except (TypeError, ValueError):  # binascii.Error is a ValueError
            data = b""
        # 0x80, 8-byte time, 16-byte IV, at least one block, 32-byte HMAC.
        if len(data) >= 73 and data[0] == 0x80 and (len(data) - 57) % 16 == 0:
            signed, mac = data[:-32], data[-32:]
            for signing_key, decrypt_blocks in keys:
                if not hmac.compare_digest(hmac.digest(signing_key, signed, "sha256"), mac):
                    continue
                padded = decrypt_blocks(data[25:-32])
                size = len(padded)
                chained = int.from_bytes(padded, "big") ^ int.from_bytes(data[9:-48], "big")
                plain = chained.to_bytes(size, "big")
                pad = plain[-1]
                if 1 <= pad <= 16 and plain[-pad:] == bytes((pad,)) * pad:
                    return plain[:-pad].decode()
        raise DecryptionError(
            "Stored data could not be decrypted: it was altered, or the key that encrypted "
            "it is no longer in FIELD_ENCRYPTION_KEYS."
        )

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
