"""Slack's request signature, made the way Slack makes it (slack_sdk's own verifier)."""

from __future__ import annotations

from slack_sdk.signature import SignatureVerifier


def signature(secret: str, timestamp: str, body: str) -> str:
    """The X-Slack-Signature Slack sends with ``body`` at ``timestamp``."""
    return SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body) or ""
