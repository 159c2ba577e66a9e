"""Use cases: handle a turn, escalate, (later) claim, close, relay, callbacks, statistics."""
