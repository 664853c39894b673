"""Self-signed certificates for the HTTPS mode, like the one a real thermostat serves.

Every thermostat has its own: a certificate is made for each `owner` (a string naming the
device; the emulator uses its MAC, name and model) once per process, so an emulator started
again on the same device keeps its certificate and another device presents another one. An
EC key is used because it is generated in milliseconds.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from functools import cache
import hashlib
import ipaddress
from pathlib import Path
import ssl
import tempfile
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@cache
def certificate_pem(owner: str = "") -> tuple[bytes, bytes]:
    """(certificate, private key) in PEM of `owner`, valid for 127.0.0.1 and localhost."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Venstar Thermostat")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def certificate_fingerprint(owner: str = "") -> str:
    """SHA-256 of `owner`'s certificate (DER), lower-case hex, as clients pin it."""
    cert = x509.load_pem_x509_certificate(certificate_pem(owner)[0])
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def server_ssl_context(owner: str = "") -> ssl.SSLContext:
    """Server TLS context holding `owner`'s self-signed certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    load_certificate(context, owner)
    return context


def load_certificate(context: ssl.SSLContext, owner: str) -> None:
    """Make `context` present `owner`'s certificate from the next handshake on."""
    cert_pem, key_pem = certificate_pem(owner)
    with tempfile.TemporaryDirectory() as directory:
        cert_file = Path(directory) / "cert.pem"
        key_file = Path(directory) / "key.pem"
        cert_file.write_bytes(cert_pem)
        key_file.write_bytes(key_pem)
        context.load_cert_chain(cert_file, key_file)


_HANDSHAKE_NOISE = (
    ssl.SSLError,
    ConnectionResetError,
    ConnectionAbortedError,
    BrokenPipeError,
)
_INCOMING_FAILURE = "Error on transport creation for incoming connection"


class HandshakeNoiseFilter:
    """Keep TLS handshakes that a client aborts out of the loop's exception handler.

    A real thermostat silently drops a client that refuses its self-signed certificate; asyncio
    instead reports the failed incoming handshake to the loop's exception handler, which test
    harnesses treat as a failure. This filter drops only that report and passes on the rest.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        """Wrap the loop's current exception handler."""
        self._loop = loop
        self._previous = loop.get_exception_handler()
        loop.set_exception_handler(self._handle)

    def _handle(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("message") == _INCOMING_FAILURE and isinstance(
            context.get("exception"), _HANDSHAKE_NOISE
        ):
            return
        if self._previous is not None:
            self._previous(loop, context)
        else:
            loop.default_exception_handler(context)

    def remove(self) -> None:
        """Restore the previous handler (unless someone replaced ours meanwhile)."""
        if self._loop.get_exception_handler() == self._handle:
            self._loop.set_exception_handler(self._previous)
