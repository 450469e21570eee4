"""Every test starts in French, whatever language an earlier test's last request was in (root
conftest: LocaleMiddleware leaves the request's language active in the test thread)."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db


def test_a_request_in_english_leaves_english_active_in_this_thread(client):
    client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert translation.get_language() == "en"  # what the next test would have inherited


def test_the_next_test_starts_in_french_again():
    assert translation.get_language() == "fr"
    assert gettext("Target") == "Objectif"
