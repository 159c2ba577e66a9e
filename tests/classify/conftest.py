from __future__ import annotations

import pytest

from bot.classify import Classifier, load_classifier


@pytest.fixture(scope="session")
def clf() -> Classifier:
    return load_classifier()
