"""The request URI as HubSpot signs it (v3 signatures): a few percent-encoded characters
decoded. The connector verifies with it and the sandbox signs with it."""

from __future__ import annotations

# The characters HubSpot decodes before signing, by their encodings (either case).
_DECODED = {
    "%3A": ":",
    "%2F": "/",
    "%3F": "?",
    "%40": "@",
    "%21": "!",
    "%24": "$",
    "%27": "'",
    "%28": "(",
    "%29": ")",
    "%2A": "*",
    "%2C": ",",
    "%3B": ";",
}


def signed_uri(uri: str) -> str:
    for encoded, char in _DECODED.items():
        uri = uri.replace(encoded, char).replace(encoded.lower(), char)
    return uri
