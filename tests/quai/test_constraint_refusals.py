"""A service answers its own constraint's refusal with its own message, found by the constraint's
name in PostgreSQL's diagnostics (quai.dberrors.constraint_name); any other integrity error is
not mistaken for it."""

import pytest
from django.db import IntegrityError, connection, transaction

from fabrique import services
from quai.dberrors import constraint_name
from quai.errors import ConflictError
from tests.fabrique.factories import make_cohort
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_constraint_name_is_the_refusing_constraint_or_nothing():
    with pytest.raises(IntegrityError) as unique:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE t (code int CONSTRAINT t_code_unique UNIQUE, n int NOT NULL)")
            cursor.execute("INSERT INTO t VALUES (1, 1), (1, 2)")
    assert constraint_name(unique.value) == "t_code_unique"
    with pytest.raises(IntegrityError) as not_null:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE u (n int NOT NULL)")
            cursor.execute("INSERT INTO u VALUES (NULL)")
    assert constraint_name(not_null.value) == ""
    assert constraint_name(ValueError("fabrique_one_cohort_per_year")) == ""  # not a database error: no name


def test_second_cohort_of_a_year_and_second_enrolment_are_the_services_own_409():
    staff = StaffFactory()
    cohort = make_cohort(staff, year=2026)
    with pytest.raises(ConflictError) as cohort_refused:
        make_cohort(staff, year=2026)
    assert (str(cohort_refused.value.message), cohort_refused.value.field) == ("Il existe déjà une promotion pour cette année.", "year")
    holder = UserFactory()
    services.enrol(cohort=cohort, holder=holder, project_name="La Grange")
    with pytest.raises(ConflictError) as enrolment_refused:
        services.enrol(cohort=cohort, holder=holder, project_name="La Grange")
    assert str(enrolment_refused.value.message) == "Ce porteur est déjà inscrit dans cette promotion."
