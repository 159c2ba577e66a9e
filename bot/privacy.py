"""Where identifiers enter: pseudonyms (HMAC), encryption of routing addresses, masking of text.

Nothing else in the code handles a raw chat id or phone number beyond passing it through.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

import phonenumbers
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


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


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_LONG_DIGITS = re.compile(r"(?<!\w)\+?\d[\d\s()-]{6,}\d(?!\w)")
_HANDLE = re.compile(r"(?<!\w)@[A-Za-z][\w]{3,}")
_ADDRESS = re.compile(
    r"(?i)\b(ул\.?|улица|пр\.?|проспект|мкр\.?|микрорайон|дом|кв\.?|квартира|көшесі|"
    r"ш\.а\.?|үй|пәтер|street|st\.|avenue|ave\.|apt\.?|flat)\s*[\w\"«».-]*\s*\d+[\w/-]*"
    r"(\s*,?\s*(кв\.?|квартира|пәтер|apt\.?|flat|дом|үй)\s*\d+[\w/-]*)?"
)
_NAME_AFTER = re.compile(
    r"(?i)(меня зовут|зовут|my name is|i am called|менің атым|атым|фамилия|surname)"
    r"(\s+)([^\W\d_]+)(\s+[^\W\d_]+)?"
)


def mask(text: str) -> str:
    """Mask phone numbers, e-mails, handles, street addresses and self-stated names.

    Runs before any user text reaches staff or storage. Errs on the side of masking.
    """
    out = _EMAIL.sub("[e-mail]", text)
    for match in reversed(list(phonenumbers.PhoneNumberMatcher(out, "KZ"))):
        out = out[: match.start] + "[phone]" + out[match.end :]
    out = _LONG_DIGITS.sub("[phone]", out)
    out = _HANDLE.sub("[account]", out)
    out = _ADDRESS.sub("[address]", out)
    return _NAME_AFTER.sub(lambda m: f"{m.group(1)}{m.group(2)}[name]", out)
