"""Where identifiers enter: pseudonyms (HMAC), encryption of routing addresses, masking of text.

Nothing else in the code handles a raw chat id or phone number beyond passing it through.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.masking import mask


class Identity:
    """Pseudonymizes and encrypts with keys derived from the one secret key."""

    def __init__(self, secret_key: bytes) -> None:
        self._hmac_key = self._derive(secret_key, b"helpline pseudonym v1")
        self._fernet = Fernet(
            base64.urlsafe_b64encode(self._derive(secret_key, b"helpline enc v1"))
        )

    @staticmethod
    def _derive(secret: bytes, info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)

    def pseudonym(self, channel: str, address: str) -> str:
        """HMAC-SHA256 of the channel address: counts repeat contacts without storing them."""
        msg = f"{channel}:{address}".encode()
        return hmac.new(self._hmac_key, msg, hashlib.sha256).hexdigest()

    def encrypt(self, value: str) -> bytes:
        return self._fernet.encrypt(value.encode())

    def decrypt(self, token: bytes) -> str:
        return self._fernet.decrypt(token).decode()


__all__ = ["Identity", "mask"]
