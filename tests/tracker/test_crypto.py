import hashlib
import io
import logging

import pytest
from cryptography.fernet import Fernet

from tracker import crypto
from tracker.checks import encryption_keys_check
from tracker.redact import redact_ssns, redact_ssns_in

OTHER_KEY = Fernet.generate_key().decode()


def test_it_round_trips_text_and_never_repeats_a_token():
    first, second = crypto.encrypt_text("123456789"), crypto.encrypt_text("123456789")

    assert first != second  # a fresh IV each time: equal SSNs do not look equal at rest
    assert "123456789" not in first
    assert crypto.decrypt_text(first) == crypto.decrypt_text(second) == "123456789"


def test_it_refuses_a_token_that_was_altered():
    token = bytearray(crypto.encrypt_bytes(b"123456789"))
    token[40] = ord("A") if token[40] != ord("A") else ord("B")

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_bytes(bytes(token))


def test_it_refuses_a_token_under_a_key_it_does_not_hold(settings):
    token = crypto.encrypt_bytes(b"123456789")
    settings.FIELD_ENCRYPTION_KEYS = [OTHER_KEY]

    with pytest.raises(crypto.DecryptionError, match="FIELD_ENCRYPTION_KEYS"):
        crypto.decrypt_bytes(token)


def test_it_encrypts_with_the_first_key_and_decrypts_with_any(settings):
    old = crypto.encrypt_bytes(b"old")
    settings.FIELD_ENCRYPTION_KEYS = [OTHER_KEY, *settings.FIELD_ENCRYPTION_KEYS]
    new = crypto.encrypt_bytes(b"new")

    assert crypto.decrypt_bytes(old) == b"old" and crypto.decrypt_bytes(new) == b"new"
    assert (crypto.is_current(old), crypto.is_current(new)) == (False, True)
    assert crypto.is_current(crypto.rotate_bytes(old))


@pytest.mark.parametrize("text", ["", "1", "123456789", "123-45-6789", "x" * 16, "é" * 40])
def test_it_decrypts_many_tokens_as_fernet_does(text):
    token = crypto.encrypt_text(text)

    assert crypto.text_decrypter()(token) == text == crypto.decrypt_text(token)


def test_it_decrypts_many_tokens_under_any_key_in_order(settings):
    old = crypto.encrypt_text("111223333")
    settings.FIELD_ENCRYPTION_KEYS = [OTHER_KEY, *settings.FIELD_ENCRYPTION_KEYS]
    new = crypto.encrypt_text("444556666")
    decrypt = crypto.text_decrypter()

    assert (decrypt(old), decrypt(new)) == ("111223333", "444556666")
    settings.FIELD_ENCRYPTION_KEYS = [OTHER_KEY]
    with pytest.raises(crypto.DecryptionError, match="FIELD_ENCRYPTION_KEYS"):
        crypto.text_decrypter()(old)


def _altered(token: str, index: int) -> str:
    return token[:index] + ("A" if token[index] != "A" else "B") + token[index + 1 :]


# Not the last character before the "=" padding: some of its bits are unused, so a change there
# can leave the decoded token as it was.
@pytest.mark.parametrize("index", [0, 5, 20, 40, 60, 90, -5])
def test_it_refuses_many_tokens_when_altered_anywhere(index):
    token = crypto.encrypt_text("123456789")
    altered = _altered(token, index)

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(altered)  # the reference (MultiFernet) refuses it too
    with pytest.raises(crypto.DecryptionError):
        crypto.text_decrypter()(altered)


@pytest.mark.parametrize("token", ["", "not base64!", "gAAAAA==", "A" * 100])
def test_it_refuses_many_tokens_that_are_not_tokens(token):
    with pytest.raises(crypto.DecryptionError):
        crypto.text_decrypter()(token)


def test_it_refuses_a_signed_token_whose_padding_is_wrong(settings):
    """Only a key holder can sign one; MultiFernet refuses it after the HMAC, and so must we."""
    import base64
    import hmac as hmac_module
    import os

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = base64.urlsafe_b64decode(settings.FIELD_ENCRYPTION_KEYS[0])
    iv = os.urandom(16)
    encryptor = Cipher(algorithms.AES(key[16:]), modes.CBC(iv)).encryptor()
    body = b"\x80" + bytes(8) + iv + encryptor.update(b"123456789" + b"\x00" * 7)
    token = base64.urlsafe_b64encode(
        body + hmac_module.new(key[:16], body, hashlib.sha256).digest()
    ).decode()

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(token)
    with pytest.raises(crypto.DecryptionError):
        crypto.text_decrypter()(token)


def test_it_keys_the_blind_index_and_separates_purposes(settings):
    index = crypto.blind_index("123456789", purpose="ssn")

    assert index != hashlib.sha256(b"123456789").hexdigest()  # never a plain hash
    assert index != crypto.blind_index("123456789", purpose="ma_number")
    assert index == crypto.blind_index("123456789", purpose="ssn")
    settings.BLIND_INDEX_KEY = "another-blind-index-key-of-at-least-32-chars"
    assert crypto.blind_index("123456789", purpose="ssn") != index


@pytest.mark.parametrize(
    "text, expected",
    [
        ("must be Y or N, not “123-45-6789”.", "must be Y or N, not “***-**-6789”."),
        ("123456789 is not a date", "***-**-6789 is not a date"),
        ("SSN 123 45 6789 and 987.65.4321", "SSN ***-**-6789 and ***-**-4321"),
        ("MA number 10000000001", "MA number 10000000001"),  # 11 digits: not an SSN
        ("call 612-555-0142", "call 612-555-0142"),
        ("MCO-000123, reference R-12345", "MCO-000123, reference R-12345"),
        ("1234567890", "1234567890"),
    ],
)
def test_it_masks_ssn_shaped_numbers_only(text, expected):
    assert redact_ssns(text) == expected


def test_it_masks_every_string_in_json():
    value = {"rows": [{"detail": "SSN 123-45-6789", "case_id": 123456789}], "n": 1}

    assert redact_ssns_in(value) == {
        "rows": [{"detail": "SSN ***-**-6789", "case_id": 123456789}],
        "n": 1,
    }


def test_it_warns_loudly_about_development_keys(settings):
    settings.ENCRYPTION_KEYS_FROM_ENVIRONMENT = False
    assert [message.id for message in encryption_keys_check(None)] == ["tracker.W001"]
    settings.ENCRYPTION_KEYS_FROM_ENVIRONMENT = True
    assert encryption_keys_check(None) == []


def test_it_keeps_ssns_out_of_the_log_output():
    from tracker.log_redaction import RedactSsns

    (handler,) = [
        h for h in logging.getLogger().handlers if any(isinstance(f, RedactSsns) for f in h.filters)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        try:
            raise ValueError("bad value 123-45-6789")
        except ValueError:
            logging.getLogger("cases.services").exception("Participant %s failed", "123456789")
    finally:
        handler.setStream(previous)

    written = stream.getvalue()
    assert "Participant ***-**-6789 failed" in written
    assert "ValueError: bad value ***-**-6789" in written
    assert "123-45-6789" not in written and "123456789" not in written
