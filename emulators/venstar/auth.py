"""Server side of HTTP Digest authentication (RFC 7616) as the thermostat asks for it.

Realm `thermostat`, `qop=auth`, MD5 or SHA-256. Nonces are issued by the emulator and their
nonce counts must grow, so a replayed Authorization header is refused like on a real server.
"""

from __future__ import annotations

from collections.abc import Sequence
import hashlib
import hmac
import re
import secrets

REALM = "thermostat"
MAX_NONCES = (
    1024  # oldest nonces are forgotten beyond this (their clients get stale=TRUE)
)
ALGORITHMS = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}
_PARAM = re.compile(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def parse_digest(header: str) -> dict[str, str] | None:
    """Parameters of a `Digest ...` Authorization header, or None for another scheme."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "digest":
        return None
    params: dict[str, str] = {}
    for match in _PARAM.finditer(rest):
        key, quoted, token = match.groups()
        params[key.lower()] = quoted if quoted is not None else token
    return params


def _hash(algorithm: str, text: str) -> str:
    return ALGORITHMS[algorithm](text.encode()).hexdigest()


def expected_response(
    *,
    algorithm: str,
    username: str,
    password: str,
    method: str,
    uri: str,
    nonce: str,
    nc: str,
    cnonce: str,
    qop: str = "auth",
) -> str:
    """Compute the `response` a correct client sends (tests also use it to sign requests)."""
    ha1 = _hash(algorithm, f"{username}:{REALM}:{password}")
    ha2 = _hash(algorithm, f"{method}:{uri}")
    return _hash(algorithm, f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}")


class DigestAuthority:
    """Issues nonces and checks Authorization headers for one username/password."""

    def __init__(
        self,
        username: str,
        password: str,
        challenge_algorithms: Sequence[str] = ("MD5",),
    ) -> None:
        """Remember the credentials and which algorithms the 401 challenge offers."""
        unknown = [name for name in challenge_algorithms if name not in ALGORITHMS]
        if unknown or not challenge_algorithms:
            raise ValueError(f"digest algorithms must be among {sorted(ALGORITHMS)}")
        self.username = username
        self.password = password
        self.challenge_algorithms = tuple(challenge_algorithms)
        self.opaque = secrets.token_hex(8)
        self._nonce_counts: dict[str, int] = {}

    def challenges(self, *, stale: bool = False) -> list[str]:
        """`WWW-Authenticate` values for a 401 answer, one per offered algorithm."""
        nonce = secrets.token_hex(16)
        self._nonce_counts[nonce] = 0
        while len(self._nonce_counts) > MAX_NONCES:
            del self._nonce_counts[next(iter(self._nonce_counts))]
        stale_part = ", stale=TRUE" if stale else ""
        return [
            f'Digest realm="{REALM}", qop="auth", algorithm={algorithm}, '
            f'nonce="{nonce}", opaque="{self.opaque}"{stale_part}'
            for algorithm in self.challenge_algorithms
        ]

    def check(self, header: str | None, method: str, uri: str) -> tuple[bool, bool]:
        """Return (accepted, stale) for an Authorization header of a request."""
        if not header:
            return False, False
        params = parse_digest(header)
        if params is None:
            return False, False
        algorithm = params.get("algorithm", "MD5").upper()
        nonce = params.get("nonce", "")
        if algorithm not in ALGORITHMS or params.get("qop") != "auth":
            return False, False
        if params.get("username") != self.username or params.get("realm") != REALM:
            return False, False
        if params.get("uri") != uri:
            return False, False
        if nonce not in self._nonce_counts:
            return False, True
        try:
            count = int(params.get("nc", ""), 16)
        except ValueError:
            return False, False
        if count <= self._nonce_counts[nonce]:
            return False, False
        expected = expected_response(
            algorithm=algorithm,
            username=self.username,
            password=self.password,
            method=method,
            uri=uri,
            nonce=nonce,
            nc=params.get("nc", ""),
            cnonce=params.get("cnonce", ""),
        )
        if not hmac.compare_digest(expected, params.get("response", "")):
            return False, False
        self._nonce_counts[nonce] = count
        return True, False
