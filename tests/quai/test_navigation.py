import pytest
from django.db.models import Q
from django.test import RequestFactory

from members.models import User
from quai import context_processors
from quai.registry import NavLink, registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def conditional_links(monkeypatch):
    links = [
        NavLink(label="Always", url_name="members:account", order=1),
        NavLink(label="Staff only", url_name="staff_home", order=2, visible=lambda user: user.is_staff),
        NavLink(label="Has the letter m", url_name="x:m", order=3, visible_if=lambda u: User.objects.filter(pk=u.pk, email__contains="m")),
        NavLink(label="Never", url_name="x:never", order=4, visible_if=lambda u: User.objects.filter(Q(pk__in=[]))),
        NavLink(label="Also m", url_name="x:m2", order=5, visible_if=lambda u: User.objects.filter(email__startswith="mem")),
    ]
    monkeypatch.setattr(registry, "member_links", links)
    return links


def test_member_links_conditions_cost_one_query_whatever_their_number(member, conditional_links, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = member
    context = context_processors.quai(request)
    with django_assert_num_queries(1):
        names = [link.url_name for link in context["member_links"]]
    assert names == ["members:account", "x:m", "x:m2"]


def test_member_links_follow_the_data_at_once(member, django_assert_num_queries):
    """The real links: a plan given or taken away shows on the next page (nothing is cached)."""
    from coworking.models import Subscription
    from tests.coworking.factories import SubscriptionFactory

    def names():
        request = RequestFactory().get("/")
        request.user = member
        with django_assert_num_queries(1):  # the conditional links' EXISTS, in one query
            return [link.url_name for link in context_processors.quai(request)["member_links"]]

    assert "coworking:my_bookings" not in names()
    subscription = SubscriptionFactory(member=member)
    assert "coworking:my_bookings" in names()
    Subscription.objects.filter(pk=subscription.pk).delete()
    assert "coworking:my_bookings" not in names()


def test_anonymous_visitors_get_no_member_links(conditional_links, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert list(context_processors.quai(request)["member_links"]) == []


def test_the_header_links_are_built_once_and_follow_page_person_and_language(client, member, staff):
    """The main navigation follows the page (aria-current), the person (staff) and the language."""
    import re

    from django.urls import reverse

    from tests.coworking.factories import SiteFactory

    SiteFactory()

    def nav(response):
        html = response.content.decode()
        return html[html.index('class="main-nav"'):html.index("</nav>")]

    client.force_login(member)
    home = nav(client.get("/"))
    assert "Back-office" not in home
    assert f'href="{reverse("coworking:grid")}">Réserver</a>' in home
    grid = nav(client.get(reverse("coworking:grid")))
    assert re.search(rf'href="{reverse("coworking:grid")}" aria-current="page">Réserver</a>', grid)
    assert 'aria-current="page"' not in home
    assert f'href="{reverse("coworking:grid")}">Book</a>' in nav(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))

    client.force_login(staff)
    assert f'href="{reverse("staff_home")}">Back-office</a>' in nav(client.get("/"))


def test_the_language_switch_comes_back_to_the_same_page_in_the_other_language(client):
    from django.urls import reverse

    client = type(client)(enforce_csrf_checks=True)  # like a browser: the form must carry its token
    page = client.get("/events/?q=<atelier>&page=2")
    html = page.content.decode()
    form = html[html.index('class="lang-switch"'):html.index("</form>", html.index('class="lang-switch"'))]
    assert 'name="next" type="hidden" value="/events/?q=%3Catelier%3E&amp;page=2"' in form
    assert ">English</button>" in form and "Français" not in form
    token = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(reverse("set_language"), {"language": "en", "next": "/events/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == "/events/"
    english = client.get("/events/").content.decode()
    assert ">Français</button>" in english and ">English</button>" not in english
