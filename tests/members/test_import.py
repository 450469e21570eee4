import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from members import importer
from members.models import Membership, User
from quai.errors import DomainError
from tests.members.factories import MembershipTypeFactory

pytestmark = pytest.mark.django_db

# A new list of 10 000 people: savepoint, advisory lock, membership types, known users (none, so
# their memberships need no query), users created (5 batches of 2 000), users read back, their
# profiles, names updated (5 batches), profiles created (5 batches), savepoint released.
QUERIES_FOR_10000 = 22

HELLOASSO = "Nom;Prénom;Email;Ville;Montant;Date\nDurand;Élodie;Elodie.Durand@Example.org;Poissy;20,00;15/01/2026\nMartin;Paul;paul@example.org;Le Pecq;5;02/02/2026\n"


def test_dry_run_writes_nothing_and_reports_each_line():
    plan = importer.import_plan(HELLOASSO.encode("utf-8"))
    assert [line.action for line in plan.lines] == ["create", "create"]
    assert User.objects.count() == 0


def test_apply_then_reimport_changes_nothing():
    MembershipTypeFactory()
    counts = importer.import_apply(HELLOASSO.encode("utf-8"), by=None)
    assert counts["create"] == 2
    user = User.objects.get(email="elodie.durand@example.org")
    assert user.first_name == "Élodie" and user.profile.commune == "Poissy"
    assert Membership.objects.filter(member=user).count() == 1
    plan = importer.import_plan(HELLOASSO.encode("utf-8"))
    assert [line.action for line in plan.lines] == ["unchanged", "unchanged"]
    assert (User.objects.count(), Membership.objects.count()) == (2, 2)


def test_windows_1252_and_comma_separated_english_headers():
    data = "First name,Last name,E-mail\nJérôme,Bézier,jerome@example.org\n".encode("cp1252")
    plan = importer.import_plan(data)
    assert plan.lines[0].action == "create" and plan.lines[0].values["first_name"] == "Jérôme"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"Nom;Prenom\nDurand;Elodie\n", "Aucune colonne e-mail"),
        (b"", "vide"),
        (b"\xff\xfe\x00\x00" * 10, None),
    ],
)
def test_malformed_files_get_a_clear_error(content, message):
    try:
        importer.import_plan(content)
    except DomainError as error:
        if message:
            assert message in str(error.message)
        return
    # Some binary survives cp1252 decoding: then it simply has no e-mail column.
    pytest.fail("a malformed file was accepted")


def test_duplicates_formulas_and_bad_emails_are_rejected_and_nothing_is_imported():
    data = ("Nom;Prénom;Email\n=HYPERLINK(\"http://x\");Bob;bob@example.org\nA;B;dup@example.org\nC;D;DUP@example.org\nE;F;pas-un-email\n").encode()
    plan = importer.import_plan(data)
    reasons = [(line.action, line.reason) for line in plan.lines]
    assert reasons[0][0] == "reject" and "formule" in reasons[0][1]
    assert reasons[2][0] == "reject" and "ligne 3" in reasons[2][1]
    assert reasons[3][0] == "reject"
    with pytest.raises(DomainError):
        importer.import_apply(data, by=None)
    assert User.objects.count() == 0


def test_oversized_file_is_refused(settings):
    settings.QUAI_IMPORT_MAX_BYTES = 100
    with pytest.raises(DomainError, match="trop volumineux"):
        importer.import_plan(("Email\n" + "a@example.org\n" * 20).encode())


def test_ten_thousand_rows_in_a_constant_number_of_queries_per_batch(django_assert_num_queries):
    rows = "".join(f"Nom{n};Prénom{n};personne{n}@example.org\n" for n in range(10_000))
    data = ("Nom;Prénom;Email\n" + rows).encode()
    # Speed is measured in benchmarks/, not here: here the queries are counted (see above).
    with django_assert_num_queries(QUERIES_FOR_10000):
        counts = importer.import_apply(data, by=None)
    assert counts["create"] == 10_000 and User.objects.count() == 10_000


def test_exports_neutralise_formulas(client, staff):
    from members.services import profile_update

    user = User.objects.create_user("f@example.org", None)
    profile_update(user=user, first_name="=cmd|' /C calc'!A0", last_name="X", consents={})
    client.force_login(staff)
    body = client.get(reverse("members:staff_export", args=["csv"])).content.decode()
    assert "'=cmd" in body
    response = client.get(reverse("members:staff_export", args=["xlsx"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_import_command_dry_run_and_commit(tmp_path, capsys):
    path = tmp_path / "adherents.csv"
    path.write_text(HELLOASSO, encoding="utf-8")
    call_command("import_members", str(path))
    assert User.objects.count() == 0
    call_command("import_members", str(path), "--commit")
    assert User.objects.count() == 2


def test_member_export_xlsx_has_typed_dates_and_formulas_as_text(client, staff):
    import datetime
    import io

    from openpyxl import load_workbook

    from members.services import profile_update
    from tests.members.factories import MembershipFactory

    user = User.objects.create_user("formule@exemple.fr", None)
    profile_update(user=user, first_name="=cmd|' /C calc'!A0", last_name="X", consents={}, phone="+33 6 11 22 33 44")
    MembershipFactory(member=user, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    client.force_login(staff)
    response = client.get(reverse("members:staff_export", args=["xlsx"]) + "?q=formule")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content))["Adhérents"]
    assert [c.value for c in sheet[1]] == ["E-mail", "Prénom", "Nom", "Structure", "Commune", "Type d’adhésion", "Adhésion jusqu’au", "Inscription"]
    email, first, last, _org, _commune, type_, until, joined = sheet[2]
    assert (first.value, first.data_type) == ("=cmd|' /C calc'!A0", "s")
    assert (until.value, until.number_format) == (datetime.datetime(2026, 12, 31), "DD/MM/YYYY")
    # The day of joining in Paris (the export's time zone): after 23:00 UTC it is already the next day.
    assert joined.is_date and joined.value.date() == timezone.localtime(user.date_joined).date()
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", "A1:H2")
