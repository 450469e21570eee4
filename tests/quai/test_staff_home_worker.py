"""The staff home's background-worker card: beat writes a heartbeat every minute (quai.tasks.heartbeat);
staff see at a glance whether the worker runs, and a warning when it is late or never answered."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def worker_card(client) -> str:
    html = client.get(reverse("staff_home")).content.decode()
    cards = re.findall(r'<li class="card[^"]*">.*?</li>', html, re.S)
    (card,) = [card for card in cards if "Tâches de fond" in card]
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", card)).strip() + (" [warning]" if "card-warning" in card else "")


@pytest.mark.parametrize(("minutes_ago", "expected"), [
    (None, "Tâches de fond aucun signal Aucun signal de vie reçu : le worker Celery tourne-t-il ? Les rappels, "
           "les e-mails et les chiffres d’impact l’attendent. [warning]"),
    (1, "Tâches de fond actif dernier signal de vie il y a 1\xa0minute"),
    (4, "Tâches de fond actif dernier signal de vie il y a 4\xa0minutes"),
    (6, "Tâches de fond en retard dernier signal de vie il y a 6\xa0minutes [warning]"),
    (60 * 26, "Tâches de fond en retard dernier signal de vie il y a 1\xa0jour, 2\xa0heures [warning]"),
])
def test_worker_card_says_whether_the_worker_answers(client, staff, minutes_ago, expected):
    cache.delete("quai:heartbeat")
    if minutes_ago is not None:
        cache.set("quai:heartbeat", (timezone.now() - datetime.timedelta(minutes=minutes_ago, seconds=5)).isoformat())
    client.force_login(staff)
    try:
        assert worker_card(client) == expected
    finally:
        cache.delete("quai:heartbeat")
