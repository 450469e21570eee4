"""Each cohort's curriculum: the default one, editing it, titles independent of the language."""

import datetime

import pytest
from django.urls import reverse

from fabrique import services
from tests.fabrique.factories import make_cohort
from tests.fabrique.helpers import deliverable_of

pytestmark = pytest.mark.django_db


def test_cohort_gets_default_curriculum_and_enrolment_its_deliverables(cohort, enrolment):
    assert cohort.capacity == 8 and cohort.attendance_threshold == 75
    assert [m.month for m in cohort.modules.all()] == [1, 2, 3, 4, 5, 6]
    kinds = list(enrolment.deliverables.values_list("kind", "required_for_graduation"))
    assert len(kinds) == 6
    assert {k for k, required in kinds if required} == {"value_proposition", "business_plan"}
    assert deliverable_of(enrolment, "value_proposition").due_on == datetime.date(2026, 2, 28)
    assert deliverable_of(enrolment, "business_plan").due_on == datetime.date(2026, 6, 30)


def test_curriculum_is_editable_per_cohort(staff, member):
    cohort = make_cohort(staff, year=2030)
    cohort.modules.filter(month=3).update(required_for_graduation=True, deliverable_title="Étude de marché locale")
    enrolment = services.enrol(cohort=cohort, holder=member, project_name="P")
    market = deliverable_of(enrolment, "market_study")
    assert market.required_for_graduation and market.title == "Étude de marché locale"


def test_deliverable_titles_do_not_depend_on_the_active_language(staff, member):
    from django.utils import translation

    with translation.override("en"):
        cohort = make_cohort(staff, year=2032)
        enrolment = services.enrol(cohort=cohort, holder=member, project_name="P")
    assert deliverable_of(enrolment, "business_plan").title == "Business plan + prévisionnel"


def test_staff_edit_a_cohorts_curriculum(client, staff, member, cohort):
    client.force_login(staff)
    url = reverse("fabrique:staff_curriculum", args=[cohort.pk])
    assert client.get(url).status_code == 200
    modules = list(cohort.modules.all())
    data = {"form-TOTAL_FORMS": "6", "form-INITIAL_FORMS": "6", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000"}
    for i, module in enumerate(modules):
        data.update({f"form-{i}-id": module.pk, f"form-{i}-month": module.month, f"form-{i}-title": module.title,
                     f"form-{i}-deliverable_kind": module.deliverable_kind,
                     f"form-{i}-deliverable_title": module.deliverable_title})
        if module.required_for_graduation or module.month == 3:
            data[f"form-{i}-required_for_graduation"] = "on"
    assert client.post(url, data).status_code == 302
    enrolment = services.enrol(cohort=cohort, holder=member, project_name="P")
    assert set(enrolment.deliverables.filter(required_for_graduation=True).values_list("kind", flat=True)) == {
        "value_proposition", "market_study", "business_plan"}
