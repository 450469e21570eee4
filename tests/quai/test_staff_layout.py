"""The staff layout (issue 14): every page under /staff/ extends staff_base.html, whose side
navigation groups the registered staff links and marks the one the page belongs to."""

import pytest
from django.urls import reverse

from quai.registry import NavLink, StaffGroup, registry
from quai.staff_nav import staff_navigation
from tests.quai.world import build_world

GROUPS = ["home", "members", "memberships", "coworking", "events", "declic", "impact", "tools"]


def _current(groups) -> dict:
    return {link.url: link.current for group in groups for link in group.links if link.current}


def test_groups_come_in_their_order_with_their_links_and_cost_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        groups = staff_navigation("/staff/")
    keys = [group.key for group in groups]
    # Apps without a heading of their own (incubator, Fabrique) stand as single links, in their place.
    assert [key for key in keys if not key.startswith("link:")] == GROUPS
    assert keys.index("declic") < keys.index("link:incubator:staff_projects") < keys.index("link:fabrique:staff_cohorts") < keys.index("impact")
    members = next(group for group in groups if group.key == "members")
    assert [link.url for link in members.links] == [reverse("members:staff_list"), reverse("members:staff_import")]
    memberships = next(group for group in groups if group.key == "memberships")
    assert memberships.links[0].url == reverse("members:staff_list") + "?status=pending"


@pytest.mark.parametrize("path,expected", [
    ("/staff/", {"/staff/": "page"}),
    ("/staff/members/", {"/staff/members/": "page"}),
    ("/staff/members/?status=pending", {"/staff/members/?status=pending": "page"}),
    ("/staff/members/?q=martin", {"/staff/members/": "page"}),  # the list, filtered
    ("/staff/members/12/", {"/staff/members/": "true"}),  # a member's page is below the list
    ("/staff/events/new/", {"/staff/events/new/": "page"}),
    ("/staff/events/3/door/", {"/staff/events/": "true"}),
    ("/staff/search/?q=x", {}),  # in no group: nothing marked (not even the home)
])
def test_the_link_of_the_current_page_is_marked(path, expected):
    assert _current(staff_navigation(path)) == expected


def test_a_link_to_a_page_this_deployment_lacks_is_left_out(monkeypatch):
    monkeypatch.setattr(registry, "staff_sections", [*registry.staff_sections, NavLink(label="Gone", url_name="nowhere:page", group="tools")])
    labels = [str(link.label) for group in staff_navigation("/staff/") for link in group.links]
    assert "Gone" not in labels and len(labels) == len(registry.staff_sections) - 1


def test_a_group_without_links_is_not_shown(monkeypatch):
    monkeypatch.setattr(registry, "staff_groups", [*registry.staff_groups, StaffGroup(key="empty", label="Empty", order=1)])
    assert "empty" not in [group.key for group in staff_navigation("/staff/")]


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def test_every_staff_page_has_the_staff_layout(client, world):
    """The pages under /staff/ of every app, Fabrique and incubator included."""
    client.force_login(world.people["staff"])
    event = world.objects["event"]
    pages = [
        reverse("staff_home"), reverse("members:staff_list"), reverse("members:staff_import"),
        reverse("members:staff_detail", args=[world.people["member_a"].pk]), reverse("members:staff_search") + "?q=a",
        reverse("coworking:staff_today"), reverse("coworking:staff_occupancy"),
        reverse("events:staff_events"), reverse("events:staff_event_create"), reverse("events:staff_event_edit", args=[event.pk]),
        reverse("events:door_list", args=[event.pk]), reverse("events:attendance_print", args=[event.pk]),
        reverse("events:mediation_log"), reverse("events:mediation_stats"),
        reverse("impact_report"), reverse("impact_indicator", args=["MEM-1"]),
        reverse("fabrique:staff_cohorts"), reverse("incubator:staff_projects"), reverse("incubator:staff_call_create"),
    ]
    for url in pages:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert 'id="staff-nav"' in html and 'role="search"' in html, url
        assert html.count("<h1") == 1, url
