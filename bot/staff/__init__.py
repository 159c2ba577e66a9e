"""The staff side (SPEC section 4): cards, claim, relay, close, duty roster, re-alerts."""
