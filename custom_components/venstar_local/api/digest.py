"""HTTP authentication for thermostats with a username and password.

aiohttp 3.11 has no digest support, so this is a small RFC 7616 client: realm ``thermostat``,
algorithms MD5 and SHA-256 (and their ``-sess`` variants), ``qop=auth`` with a nonce count,
and a fresh challenge when the device says the nonce is stale.

Nothing is ever downgraded within one `HttpAuth` (one client): once Digest was answered, a
challenge offering only Basic is refused, and so is one offering only a weaker digest
algorithm than the one used before (SHA-256 → MD5). Basic itself - which some older firmware
is said to ask for - is answered only when the caller allows it (over HTTPS) and the device
never offered Digest. Nothing here ever renders the password.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from dataclasses import dataclass
import hashlib
import os
import re

_SCHEME = re.compile(r"(?:^|,)\s*(Digest|Basic)(?:\s+|$)", re.IGNORECASE)
_PARAM = re.compile(r'([\w-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)')
_HASHES: dict[str, Callable[[bytes], str]] = {
    "MD5": lambda data: hashlib.md5(data, usedforsecurity=False).hexdigest(),
    "SHA-256": lambda data: hashlib.sha256(data).hexdigest(),
}
# Preference when a device offers several challenges.
_ALGORITHM_RANK = {"SHA-256": 0, "SHA-256-SESS": 1, "MD5": 2, "MD5-SESS": 3}


class UnsupportedChallengeError(Exception):
    """The 401 carried no challenge this module can answer."""


class AuthDowngradeError(UnsupportedChallengeError):
    """The 401 offered only something weaker than what this session already used."""


@dataclass(frozen=True, slots=True)
class Challenge:
    """One parsed ``WWW-Authenticate`` challenge."""

    scheme: str
    params: dict[str, str]

    @property
    def algorithm(self) -> str:
        """Digest algorithm, upper-case; MD5 when the challenge does not say."""
        return self.params.get("algorithm", "MD5").upper()

    @property
    def stale(self) -> bool:
        """Whether the server only rejected an expired nonce, not the credentials."""
        return self.params.get("stale", "").lower() == "true"


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_challenges(headers: Iterable[str]) -> list[Challenge]:
    """Split ``WWW-Authenticate`` header values into the challenges they contain."""
    challenges = []
    for header in headers:
        starts = list(_SCHEME.finditer(header))
        for index, match in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else len(header)
            params = {
                key.lower(): _unquote(value)
                for key, value in _PARAM.findall(header[match.end() : end])
            }
            challenges.append(Challenge(match.group(1).capitalize(), params))
    return challenges


def _digest_supported(challenge: Challenge) -> bool:
    if challenge.scheme != "Digest" or challenge.algorithm not in _ALGORITHM_RANK:
        return False
    if "nonce" not in challenge.params:
        return False
    qop = challenge.params.get("qop")
    return qop is None or "auth" in (part.strip() for part in qop.split(","))


class HttpAuth:
    """Answers the thermostat's 401 challenges for one username/password pair.

    After the first challenge the header is sent with every request (nonce count
    incremented), so a session costs one extra round trip, not one per request.
    """

    __slots__ = (
        "_allow_basic",
        "_best_rank",
        "_challenge",
        "_cnonce_factory",
        "_nonce_count",
        "_password",
        "_username",
    )

    def __init__(
        self,
        username: str,
        password: str,
        *,
        allow_basic: bool = False,
        cnonce_factory: Callable[[], str] = lambda: os.urandom(8).hex(),
    ) -> None:
        """Keep the credentials; nothing is sent until the device challenges.

        `allow_basic` lets a device that never offers Digest get Basic (only ever over
        HTTPS: Basic sends the password itself).
        """
        self._username = username
        self._password = password
        self._allow_basic = allow_basic
        self._challenge: Challenge | None = None
        # Strongest digest algorithm used so far (lower is stronger); None before any.
        self._best_rank: int | None = None
        self._nonce_count = 0
        self._cnonce_factory = cnonce_factory

    def __repr__(self) -> str:
        """Describe the state without credentials."""
        scheme = self._challenge.scheme if self._challenge else None
        return f"HttpAuth(scheme={scheme!r})"

    @property
    def has_challenge(self) -> bool:
        """Whether a challenge is known, so requests can carry credentials up front."""
        return self._challenge is not None

    def update(self, header_values: Iterable[str]) -> bool:
        """Adopt the best challenge of a 401 answer.

        Returns whether the server only found the nonce stale (credentials were fine).
        Raises `AuthDowngradeError` when the answer would be weaker than what was used
        before, `UnsupportedChallengeError` when nothing can be answered.
        """
        challenges = parse_challenges(header_values)
        digests = sorted(
            (challenge for challenge in challenges if _digest_supported(challenge)),
            key=lambda challenge: _ALGORITHM_RANK[challenge.algorithm],
        )
        if digests:
            chosen = digests[0]
            rank = _ALGORITHM_RANK[chosen.algorithm]
            if self._best_rank is not None and rank > self._best_rank:
                raise AuthDowngradeError
            self._best_rank = rank
        elif any(challenge.scheme == "Basic" for challenge in challenges):
            if self._best_rank is not None:
                raise AuthDowngradeError
            if not self._allow_basic:
                raise UnsupportedChallengeError
            chosen = Challenge("Basic", {})
        else:
            raise UnsupportedChallengeError
        previous = self._challenge
        if previous is None or previous.params.get("nonce") != chosen.params.get(
            "nonce"
        ):
            self._nonce_count = 0
        self._challenge = chosen
        return chosen.stale

    def authorization(self, method: str, uri: str) -> str | None:
        """Return the ``Authorization`` header for a request, or None before any challenge."""
        challenge = self._challenge
        if challenge is None:
            return None
        if challenge.scheme == "Basic":
            token = base64.b64encode(
                f"{self._username}:{self._password}".encode()
            ).decode("ascii")
            return f"Basic {token}"
        return self._digest(challenge, method, uri)

    def _digest(self, challenge: Challenge, method: str, uri: str) -> str:
        algorithm = challenge.algorithm
        hash_hex = _HASHES[algorithm.removesuffix("-SESS")]
        realm = challenge.params.get("realm", "")
        nonce = challenge.params["nonce"]
        qop_offered = challenge.params.get("qop")
        cnonce = self._cnonce_factory()
        ha1 = hash_hex(f"{self._username}:{realm}:{self._password}".encode())
        if algorithm.endswith("-SESS"):
            ha1 = hash_hex(f"{ha1}:{nonce}:{cnonce}".encode())
        ha2 = hash_hex(f"{method}:{uri}".encode())
        parts = [
            f"username={_quote(self._username)}",
            f"realm={_quote(realm)}",
            f"nonce={_quote(nonce)}",
            f"uri={_quote(uri)}",
            f"algorithm={challenge.params.get('algorithm', 'MD5')}",
        ]
        if qop_offered is None:
            response = hash_hex(f"{ha1}:{nonce}:{ha2}".encode())
        else:
            self._nonce_count += 1
            nc = f"{self._nonce_count:08x}"
            response = hash_hex(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}".encode())
            parts += ["qop=auth", f"nc={nc}", f"cnonce={_quote(cnonce)}"]
        parts.append(f"response={_quote(response)}")
        if "opaque" in challenge.params:
            parts.append(f"opaque={_quote(challenge.params['opaque'])}")
        return "Digest " + ", ".join(parts)
