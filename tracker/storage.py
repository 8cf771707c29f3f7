"""The default file storage: every file written under MEDIA_ROOT is a Fernet token under
FIELD_ENCRYPTION_KEYS, mode 0600, and reads back as the clear bytes through this storage only
(docs/decisions/0001-field-encryption.md). Kept uploads are spreadsheets full of SSNs.

Uploads are small (capped by UPLOAD_MAX_BYTES) and encrypted whole in memory; a file saved from
disk (a background export, ~9 MB per 100,000 rows) is encrypted as a stream into a temporary file
beside its destination, so memory does not follow its size.
"""

import os
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage

from . import crypto


def _replace(path: Path, data: bytes) -> None:
    """Write `data` over `path` atomically (a reader sees the old or the new file), mode 0600."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".rotating-")  # mkstemp: 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def rotate_file(path: Path) -> bool:
    """Re-encrypt the file under the first key; False if it already was."""
    token = path.read_bytes()
    if crypto.is_current(token):
        return False
    _replace(path, crypto.rotate_bytes(token))
    return True


def encrypt_file_in_place(path: Path) -> bool:
    """Encrypt a file kept in clear before encryption at rest; False if already encrypted."""
    data = path.read_bytes()
    try:
        crypto.decrypt_bytes(data)
    except crypto.DecryptionError:
        _replace(path, crypto.encrypt_bytes(data))
        path.chmod(0o600)
        return True
    return False


def decrypt_file_in_place(path: Path) -> bool:
    """The reverse of encrypt_file_in_place (for unapplying its migration)."""
    data = path.read_bytes()
    try:
        clear = crypto.decrypt_bytes(data)
    except crypto.DecryptionError:
        return False
    _replace(path, clear)
    return True


class StreamedFile(File):
    """A large file on disk to save through EncryptedFileSystemStorage: encrypted as a stream
    (crypto.encrypt_stream) instead of whole in memory."""


class EncryptedFileSystemStorage(FileSystemStorage):
    def __init__(self, *args, **kwargs):
        # Owner-only, whatever FILE_UPLOAD_PERMISSIONS says.
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(*args, **kwargs)

    def _save(self, name, content):
        if hasattr(content, "seek"):
            content.seek(0)
        if isinstance(content, StreamedFile):
            # Encrypted chunk by chunk into a temporary file (ciphertext only), then copied.
            with tempfile.TemporaryFile() as token:
                crypto.encrypt_stream(content, token)
                token.seek(0)
                return super()._save(name, File(token))
        clear = b"".join(
            chunk.encode() if isinstance(chunk, str) else chunk for chunk in content.chunks()
        )
        return super()._save(name, ContentFile(crypto.encrypt_bytes(clear)))

    def _open(self, name, mode="rb"):
        if any(flag in mode for flag in "wax+"):
            raise ValueError("Encrypted files are written with save(), never opened for writing.")
        with super()._open(name, "rb") as stored:
            token = stored.read()
        return ContentFile(crypto.decrypt_bytes(token), name=name)

    def size(self, name):
        # The clear size, which the readers compare with UPLOAD_MAX_BYTES (the token is larger).
        with self.open(name) as clear:
            return clear.size

    def rotate(self, name) -> bool:
        """Re-encrypt `name` under the first key; False if it already was."""
        return rotate_file(Path(self.path(name)))
