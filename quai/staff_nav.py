"""The staff side navigation: the registered staff links, grouped under their headings.

Apps register their links (`register_staff_section`, with a `group`) and quai the headings
(`register_staff_group`); nothing here queries the database. The link the page belongs to is
marked: `aria-current="page"` when it is that very page, `"true"` when the page is below it
(a member's page under "Members").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse

from quai.registry import registry


@dataclass
class StaffNavLink:
    label: Any
    url: str
    current: str = ""  # "", "page" or "true": the value of aria-current


@dataclass
class StaffNavGroup:
    key: str
    label: Any
    links: list[StaffNavLink] = field(default_factory=list)


def _url(link) -> str | None:
    try:
        url = reverse(link.url_name)
    except NoReverseMatch:  # an app's page that is not installed in this deployment
        return None
    return f"{url}?{link.query}" if link.query else url


def staff_navigation(full_path: str) -> list[StaffNavGroup]:
    """The groups in order, each with its links in order; `full_path` is request.get_full_path()."""
    headings = {group.key: group for group in registry.staff_groups}
    groups: dict[str, StaffNavGroup] = {}
    links: list[StaffNavLink] = []
    for link in registry.staff_sections:
        url = _url(link)
        if url is None:
            continue
        heading = headings.get(link.group)
        key = link.group if heading else f"link:{link.url_name}"
        if key not in groups:
            groups[key] = StaffNavGroup(key=key, label=heading.label if heading else link.label)
        item = StaffNavLink(label=link.label, url=url)
        groups[key].links.append(item)
        links.append(item)
    _mark_current(links, full_path)
    order = {group.key: group.order for group in registry.staff_groups}
    first_link = {key: index for index, key in enumerate(groups)}
    # Registered headings in their order; a link without a heading keeps its own place among them.
    return sorted(groups.values(), key=lambda group: (order.get(group.key, _link_order(group.key)), first_link[group.key]))


def _link_order(key: str) -> int:
    name = key.removeprefix("link:")
    return next((link.order for link in registry.staff_sections if link.url_name == name), 100)


def _mark_current(links: list[StaffNavLink], full_path: str) -> None:
    path = full_path.split("?", 1)[0]
    exact = [link for link in links if link.url == full_path] or [link for link in links if link.url == path]
    if exact:
        exact[0].current = "page"
        return
    # Below a link (a member's page, an event's door list): the longest link that starts the path.
    # The staff home, the root of every staff page, is marked only on itself.
    home = reverse("staff_home")
    below = [link for link in links if "?" not in link.url and link.url != home and path.startswith(link.url)]
    if below:
        max(below, key=lambda link: len(link.url)).current = "true"
