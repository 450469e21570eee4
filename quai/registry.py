"""Small registries that the domain apps fill in from their AppConfig.ready().

`quai` and `members` never import the apps built on them; a page that shows a person across apps
(the staff member page, the GDPR export, erasure), the staff navigation and `seed_demo` ask these
registries instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NavLink:
    label: Any  # a lazy translation
    url_name: str
    order: int = 100
    # For member links: who sees the link (default: every logged-in user). Prefer `visible_if`:
    # visible_if(user) returns a QuerySet that is non-empty when the link applies; all links'
    # conditions are answered together in ONE query per page (quai.navigation), so the
    # navigation costs the same whatever the number of apps. `visible(user) -> bool` is for
    # conditions that need no query (e.g. user.is_staff).
    visible: Callable[[Any], bool] | None = None
    visible_if: Callable[[Any], Any] | None = None
    # Staff links: the side-navigation group they sit in (a StaffGroup key; a link without a
    # registered group stands alone) and a query string appended to the URL ("status=pending").
    group: str = ""
    query: str = ""


@dataclass(frozen=True)
class StaffGroup:
    """A heading of the staff side navigation (Members, Coworking, Tools…), ordered by `order`."""

    key: str
    label: Any  # a lazy translation
    order: int = 100


@dataclass(frozen=True)
class PersonData:
    """What one app holds about a person.

    - export(user) -> dict: everything the app holds about the user (GDPR "download my data");
    - erase(user) -> None: wipe or pseudonymise what the app holds (counts must survive);
    - summary(user) -> dict: context for the staff member page (template: summary_template);
    - pending(user) -> list[str]: reasons that make an immediate erasure unsafe (staff must confirm).
    """

    app_label: str
    label: Any
    export: Callable[[Any], dict]
    erase: Callable[[Any], None] | None = None
    summary: Callable[[Any], dict] | None = None
    summary_template: str | None = None
    pending: Callable[[Any], list] | None = None
    order: int = 100


@dataclass(frozen=True)
class Seeder:
    name: str
    func: Callable[..., None]  # func(*, scale: int, rng: random.Random, stdout) -> None
    order: int = 100
    # What to tell the person who ran seed_demo afterwards (e.g. the demo logins): report(stdout).
    report: Callable[[Any], None] | None = None
    # True: seed_demo does not wrap it in one transaction; it commits units of its own (each
    # complete on its own, so that a second run finds what is missing), possibly from several
    # connections at once (quai.bulk.run_parallel).
    own_transactions: bool = False


@dataclass(frozen=True)
class HomePanel:
    """A panel of the home page, filled in by one app.

    context(user) -> dict | None: what the panel's template shows, or None to hide the panel
    (nothing to say to this person). audience: "member" (logged-in home) or "visitor" (front page).
    """

    name: str
    template: str
    context: Callable[[Any], dict | None]
    audience: str = "member"
    order: int = 100


@dataclass(frozen=True)
class StaffCard:
    """A "today" figure on the staff home, linking to the list it counts.

    compute(today) -> dict with "value" (a number or text), optionally "detail" (a short sentence)
    and "url" (defaults to reverse(url_name)); one or two queries, whatever the data.
    """

    key: str
    label: Any  # a lazy translation
    compute: Callable[[Any], dict]
    url_name: str | None = None
    order: int = 100


@dataclass(frozen=True)
class ProjectSource:
    """Where supported impact projects come from (incubator, Fabrique), for PRJ-1 and PRJ-2.

    supported(start, end) / created(start, end) -> a values() queryset with exactly one column,
    "project": the project's normalised name (lower-case, trimmed). The indicators take the UNION
    of every source, so a project both incubated and in the Fabrique counts once.
    """

    name: str
    supported: Callable[[Any, Any], Any]
    created: Callable[[Any, Any], Any]


@dataclass(frozen=True)
class SearchHit:
    """One line of the staff search for a person, found by an app: what it is, where it leads."""

    title: str  # the person's or the project's name
    url: str  # the staff page to open (an enrolment, a project…)
    detail: str = ""  # what it is: "Cohort 2026 · graduated", "founder of Vélo Solidaire"…
    badge: str = ""  # a short status ("in progress", "active"…)


@dataclass(frozen=True)
class PersonSearch:
    """What one app adds to the staff search for a person (members:staff_search).

    search(*, text, people, limit) -> (hits, more): at most `limit` SearchHit, and whether there
    were more, in ONE query whatever the data. `text` is what staff typed (stripped, not empty);
    `people` a values("pk") queryset of the users the member search finds (to use as a subquery:
    a holder found by name), so that the app also matches what it holds itself (a project's name).
    """

    app_label: str
    label: Any  # a lazy translation: the heading of the app's results
    search: Callable[..., tuple[list[SearchHit], bool]]
    order: int = 100


@dataclass(frozen=True)
class EmailBuilder:
    """Makes, when an outbox message is delivered, the context of its templates and its attachments.

    build(params) -> (context, attachments): `params` is what the writer stored (JSON: ids and
    flags); attachments as in OutboxMessage.attachments. The writer's request renders nothing
    (quai.outbox.outbox_enqueue_deferred).
    """

    name: str
    build: Callable[[dict], tuple[dict, list[dict]]]


@dataclass
class _Registry:
    staff_sections: list[NavLink] = field(default_factory=list)
    staff_groups: list[StaffGroup] = field(default_factory=list)
    member_links: list[NavLink] = field(default_factory=list)
    person_data: list[PersonData] = field(default_factory=list)
    seeders: list[Seeder] = field(default_factory=list)
    home_panels: list[HomePanel] = field(default_factory=list)
    indicators: list = field(default_factory=list)  # quai.impact.Indicator, sorted by order
    staff_cards: list[StaffCard] = field(default_factory=list)
    project_sources: list[ProjectSource] = field(default_factory=list)
    person_searches: list[PersonSearch] = field(default_factory=list)
    email_builders: dict[str, EmailBuilder] = field(default_factory=dict)


registry = _Registry()


def _add(items: list, item, key) -> None:
    # ready() can run twice in some test set-ups: registering is idempotent by key.
    items[:] = [existing for existing in items if key(existing) != key(item)]
    items.append(item)
    items.sort(key=lambda entry: entry.order)


def register_staff_section(link: NavLink) -> None:
    _add(registry.staff_sections, link, key=lambda entry: (entry.url_name, entry.query))


def register_staff_group(group: StaffGroup) -> None:
    _add(registry.staff_groups, group, key=lambda entry: entry.key)


def register_member_link(link: NavLink) -> None:
    _add(registry.member_links, link, key=lambda entry: entry.url_name)


def register_person_data(data: PersonData) -> None:
    _add(registry.person_data, data, key=lambda entry: entry.app_label)


def register_seeder(seeder: Seeder) -> None:
    _add(registry.seeders, seeder, key=lambda entry: entry.name)


def register_home_panel(panel: HomePanel) -> None:
    _add(registry.home_panels, panel, key=lambda entry: (entry.audience, entry.name))


def home_panels_for(user) -> list[tuple[str, dict]]:
    """(template, context) of each home panel that has something to show to `user`."""
    audience = "member" if user is not None and user.is_authenticated else "visitor"
    panels = []
    for panel in registry.home_panels:
        if panel.audience != audience:
            continue
        context = panel.context(user)
        if context is not None:
            panels.append((panel.template, context))
    return panels
def register_indicator(indicator) -> None:
    """An impact indicator (quai.impact.Indicator), declared in `<app>/indicators.py`."""
    _add(registry.indicators, indicator, key=lambda entry: entry.code)


def register_person_search(search: PersonSearch) -> None:
    _add(registry.person_searches, search, key=lambda entry: entry.app_label)


def register_staff_card(card: StaffCard) -> None:
    _add(registry.staff_cards, card, key=lambda entry: entry.key)


def register_project_source(source: ProjectSource) -> None:
    items = registry.project_sources
    items[:] = [existing for existing in items if existing.name != source.name] + [source]


def register_email_builder(builder: EmailBuilder) -> None:
    registry.email_builders[builder.name] = builder
