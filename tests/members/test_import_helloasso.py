"""The member import reads a HelloAsso "adhésions" export (DOMAIN.md §5) as a treasurer expects.

Files are built here from the documented facts (fixed columns, then the campaign's questions;
`;`, CRLF, UTF-8 with BOM or Windows-1252), never copied from a real export.
"""

import csv
import datetime
import io
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction

from members import importer
from members.models import HelloAssoRate, Membership, User
from quai.errors import DomainError
from quai.exports import looks_like_formula
from tests.members.factories import MembershipTypeFactory

pytestmark = pytest.mark.django_db

FIXED = ["Référence commande", "Date de la commande", "Statut de la commande", "Nom adhérent", "Prénom adhérent", "Nom payeur",
         "Prénom payeur", "Email payeur", "Raison sociale", "Moyen de paiement", "Tarif", "Montant tarif", "Code Promo", "Montant code promo"]
QUESTIONS = ["Email", "Téléphone", "Adresse", "Code Postal", "Ville", "Date de naissance", "Comment nous avez-vous connus ?"]


def row(reference="1001", when="15/09/2026 18:42", status="Validé", last="Durand", first="Élodie", payer_last="Durand",
        payer_first="Élodie", payer_email="payeur@example.org", company="", method="Carte bancaire", rate="Adhésion individuelle",
        amount="20,00", promo="", promo_amount="", email="elodie@example.org", phone="+33 6 11 22 33 44", address="3 rue de Pologne",
        postal="78100", city="Saint-Germain-en-Laye", birth="02/03/1990", free="Par le marché"):
    return [reference, when, status, last, first, payer_last, payer_first, payer_email, company, method, rate, amount, promo,
            promo_amount, email, phone, address, postal, city, birth, free]


def export(*rows, encoding="utf-8-sig") -> bytes:
    """A HelloAsso export: `;`-separated, quoted where a value needs it, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(FIXED + QUESTIONS)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.fixture
def types():
    return {
        "individual": MembershipTypeFactory(kind="individual", name="Adhésion individuelle", amount_eur=Decimal("20"), duration_months=0,
                                            season_start_month=9),
        "organisation": MembershipTypeFactory(kind="organisation", name="Adhésion structure", amount_eur=Decimal("80")),
    }


def test_detects_the_helloasso_layout_and_reads_a_validated_order(types):
    plan = importer.import_plan(export(row()))
    assert plan.format == "helloasso"
    [line] = plan.lines
    assert (line.action, line.email) == ("create", "elodie@example.org")
    assert line.membership == {
        "type_id": types["individual"].pk, "starts_on": datetime.date(2026, 9, 15), "ends_on": datetime.date(2027, 8, 31),
        "amount_paid": Decimal("20.00"), "payment_method": "card", "payment_reference": "1001",
        "paid_on": datetime.date(2026, 9, 15), "source": "helloasso",
    }
    assert line.details == ["nouveau membre", "adhésion « Adhésion individuelle » du 15/09/2026 au 31/08/2027, 20,00 € payés par Carte bancaire, commande 1001"]
    assert plan.ignored_columns == ["Adresse", "Code Postal", "Date de naissance", "Comment nous avez-vous connus ?"]
    assert User.objects.count() == 0


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_both_encodings_with_crlf_import_the_same_member(types, encoding):
    data = export(row(company="Les Jardins Partagés"), encoding=encoding)
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig") and b"\r\n" in data
    counts = importer.import_apply(data, by=None)
    assert (counts["create"], counts["memberships"]) == (1, 1)
    user = User.objects.get()
    assert (user.email, user.first_name, user.last_name) == ("elodie@example.org", "Élodie", "Durand")
    assert (user.profile.phone, user.profile.commune, user.profile.organisation) == ("+33 6 11 22 33 44", "Saint-Germain-en-Laye", "Les Jardins Partagés")
    membership = Membership.objects.get()
    assert (membership.payment_reference, membership.payment_method, membership.source) == ("1001", "card", "helloasso")


def test_the_members_own_email_wins_over_the_payers_and_the_payers_is_the_fallback(types):
    plan = importer.import_plan(export(row(email="Membre@Example.org"), row(reference="1002", email="", payer_email="Parent@Example.org")))
    assert [line.email for line in plan.lines] == ["membre@example.org", "parent@example.org"]


def test_one_order_paying_for_two_members_gives_two_members_then_reimport_changes_nothing(types):
    data = export(
        row(reference="2001", first="Léa", email="lea@example.org", payer_first="Marc", payer_email="marc@example.org"),
        row(reference="2001", first="Tom", email="tom@example.org", payer_first="Marc", payer_email="marc@example.org"),
    )
    counts = importer.import_apply(data, by=None)
    assert (counts["create"], counts["memberships"]) == (2, 2)
    assert sorted(User.objects.values_list("first_name", flat=True)) == ["Léa", "Tom"]
    assert list(Membership.objects.values_list("payment_reference", flat=True).distinct()) == ["2001"]
    again = importer.import_plan(data)
    assert [(line.action, line.details) for line in again.lines] == [
        ("unchanged", ["commande 2001 déjà importée"]), ("unchanged", ["commande 2001 déjà importée"])]
    assert importer.import_apply(data, by=None)["memberships"] == 0
    assert (User.objects.count(), Membership.objects.count()) == (2, 2)


def test_the_same_member_twice_in_one_order_is_rejected_with_the_line():
    MembershipTypeFactory(name="Adhésion individuelle")
    plan = importer.import_plan(export(row(reference="3001", email="", first="A"), row(reference="3001", email="", first="B")))
    assert plan.lines[1].action == "reject"
    assert plan.lines[1].reason == "le même membre deux fois dans la commande 3001 (ligne 2) : chaque membre a besoin de sa propre adresse e-mail"


def test_the_database_refuses_a_second_membership_for_the_same_order_and_member(types, member):
    Membership.objects.create(member=member, type=types["individual"], starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2027, 8, 31),
                              paid_on=datetime.date(2026, 9, 1), payment_reference="4001", source="helloasso")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(member=member, type=types["individual"], starts_on=datetime.date(2026, 9, 1),
                                  ends_on=datetime.date(2027, 8, 31), paid_on=datetime.date(2026, 9, 1), payment_reference="4001", source="helloasso")
    # Staff-typed references (cheque numbers) are free to repeat.
    for _ in range(2):
        Membership.objects.create(member=member, type=types["individual"], starts_on=datetime.date(2026, 9, 1),
                                  ends_on=datetime.date(2027, 8, 31), paid_on=datetime.date(2026, 9, 1), payment_reference="4001")


@pytest.mark.parametrize(
    "status, reason",
    [
        ("Remboursé", "commande remboursée : non importée"),
        ("Annulé", "commande annulée : non importée"),
        ("En attente", "commande au statut « En attente » : seules les commandes validées sont importées"),
    ],
)
def test_refunded_cancelled_and_other_orders_are_skipped_with_a_reason_and_never_block(types, status, reason):
    data = export(row(reference="5001", status=status, email="rembourse@example.org"), row(reference="5002", email="ok@example.org"))
    plan = importer.import_plan(data)
    assert [(line.action, line.reason) for line in plan.lines] == [("skip", reason), ("create", "")]
    counts = importer.import_apply(data, by=None)
    assert (counts["skip"], counts["create"], counts["memberships"]) == (1, 1, 1)
    assert list(User.objects.values_list("email", flat=True)) == ["ok@example.org"]
    assert not Membership.objects.filter(payment_reference="5001").exists()


def test_a_refund_after_an_earlier_import_says_to_check_the_membership(types):
    importer.import_apply(export(row(reference="6001")), by=None)
    plan = importer.import_plan(export(row(reference="6001", status="Remboursé")))
    assert plan.lines[0].reason == ("commande remboursée : non importée — une adhésion a été importée de cette commande auparavant : "
                                    "vérifiez-la sur la fiche du membre")
    assert Membership.objects.get().paid_on == datetime.date(2026, 9, 15)


@pytest.mark.parametrize(
    "text, amount",
    [("Gratuit", Decimal("0.00")), ("20,00", Decimal("20.00")), ("1 000,00", Decimal("1000.00")), ("1\u00a0000,00", Decimal("1000.00")),
     ("1\u202f000,00 €", Decimal("1000.00")), ("20,00 €", Decimal("20.00")), ("20,00\u00a0€", Decimal("20.00")), ("5", Decimal("5.00")),
     ("12.5", Decimal("12.50")), ("", None)],
)
def test_amounts_are_read_as_decimals(text, amount):
    assert importer.parse_amount(text) == amount


@pytest.mark.parametrize("text", ["vingt", "20,00,00", "-5,00", "1 000 000 000,00", "=1+1"])
def test_unreadable_amounts_raise(text):
    with pytest.raises(ValueError):
        importer.parse_amount(text)


def test_free_rate_and_promo_code_give_the_amount_actually_paid(types):
    plan = importer.import_plan(export(row(amount="Gratuit", email="a@example.org"),
                                       row(reference="7002", amount="1 000,00", promo="AMI", promo_amount="5,00", email="b@example.org",
                                           rate="Adhésion structure", company="SCOP Exemple")))
    assert [line.membership["amount_paid"] for line in plan.lines] == [Decimal("0.00"), Decimal("995.00")]
    assert plan.lines[1].membership["type_id"] == types["organisation"].pk


def test_a_bad_amount_rejects_its_line_only(types):
    plan = importer.import_plan(export(row(amount="vingt euros"), row(reference="7003", email="b@example.org")))
    assert [(line.action, line.reason) for line in plan.lines] == [("reject", "le montant « vingt euros » n’est pas un nombre"), ("create", "")]


def test_the_order_time_is_read_in_europe_paris_and_gives_the_payment_date(types):
    assert importer.parse_order_datetime("15/09/2026 18:42") == datetime.datetime(2026, 9, 15, 18, 42, tzinfo=ZoneInfo("Europe/Paris"))
    assert importer.parse_order_datetime("15/09/2026 18:42").utcoffset() == datetime.timedelta(hours=2)
    assert importer.parse_order_datetime("15/01/2026 00:30").astimezone(datetime.timezone.utc) == datetime.datetime(
        2026, 1, 14, 23, 30, tzinfo=datetime.timezone.utc)
    plan = importer.import_plan(export(row(when="31/08/2026 23:50"), row(reference="8002", when="2026-09-01", email="b@example.org")))
    assert plan.lines[0].membership["paid_on"] == datetime.date(2026, 8, 31)
    assert plan.lines[0].membership["ends_on"] == datetime.date(2026, 8, 31)  # last day of the 2025–2026 season
    assert (plan.lines[1].action, plan.lines[1].reason) == ("reject", "la date de commande « 2026-09-01 » n’est pas une date (JJ/MM/AAAA HH:MM)")


def test_a_member_renewing_early_gets_the_next_season(types, member):
    member.email = "elodie@example.org"
    member.save()
    Membership.objects.create(member=member, type=types["individual"], starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2026, 8, 31),
                              paid_on=datetime.date(2025, 9, 1))
    plan = importer.import_plan(export(row(when="20/06/2026 10:00")))
    assert (plan.lines[0].membership["starts_on"], plan.lines[0].membership["ends_on"]) == (datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))


@pytest.mark.parametrize("value", ["+33 6 11 22 33 44", "+33 (0)6 11 22 33 44", "06 11 22 33 44", "-12,50", "-", "+33.6.11.22.33.44", "Marie-Anne"])
def test_phone_numbers_and_numbers_are_not_formulas(value):
    assert looks_like_formula(value) is False


@pytest.mark.parametrize("value", ["=1+1", "@SUM(A1)", "+A1", "-2+cmd|' /C calc'!A0", "+HYPERLINK(\"http://x\")", " =1", "\t=1"])
def test_formulas_that_could_run_are_refused(value):
    assert looks_like_formula(value) is True


def test_a_formula_rejects_its_line_and_valid_lines_still_import_when_staff_choose(types):
    data = export(row(last="=HYPERLINK(\"http://x\";\"clic\")", email="x@example.org"), row(reference="9002", email="ok@example.org"))
    plan = importer.import_plan(data)
    assert [(line.action, line.reason) for line in plan.lines] == [
        ("reject", "la cellule « Nom adhérent » ressemble à une formule de tableur"), ("create", "")]
    with pytest.raises(DomainError, match="importer seulement les lignes valides"):
        importer.import_apply(data, by=None)
    assert User.objects.count() == 0
    counts = importer.import_apply(data, by=None, skip_rejected=True)
    assert (counts["create"], counts["reject"]) == (1, 1)
    assert list(User.objects.values_list("email", flat=True)) == ["ok@example.org"]


def test_rate_mapping_is_guessed_then_chosen_then_remembered(types):
    custom = MembershipTypeFactory(kind="reduced", name="Adhésion solidaire", amount_eur=Decimal("5"))
    data = export(row(rate="Adhésion individuelle"), row(reference="10002", email="b@example.org", rate="Tarif Bienfaiteur", amount="50,00"))
    plan = importer.import_plan(data)
    assert [(c.name, c.lines, c.type_id, c.origin) for c in plan.rates] == [
        ("Adhésion individuelle", 1, types["individual"].pk, "guessed"), ("Tarif Bienfaiteur", 1, None, "none")]
    assert (plan.lines[1].action, plan.lines[1].reason) == (
        "reject", "le tarif « Tarif Bienfaiteur » n’a pas de type d’adhésion : choisissez-en un ci-dessus")
    chosen = {"tarif bienfaiteur": custom.pk}
    plan = importer.import_plan(data, rates=chosen)
    assert plan.lines[1].membership["type_id"] == custom.pk and plan.rates[1].origin == "chosen"
    importer.import_apply(data, by=None, rates=chosen)
    assert sorted(HelloAssoRate.objects.values_list("name", "membership_type__name")) == [
        ("Adhésion individuelle", "Adhésion individuelle"), ("Tarif Bienfaiteur", "Adhésion solidaire")]
    assert HelloAssoRate.objects.get(name="Tarif Bienfaiteur").key == "tarif bienfaiteur"
    # Next campaign export, spelt differently: the remembered mapping is proposed.
    plan = importer.import_plan(export(row(reference="11001", email="c@example.org", rate="TARIF BIENFAITEUR")))
    assert [(c.type_id, c.origin) for c in plan.rates] == [(custom.pk, "remembered")]
    assert plan.lines[0].action == "create"


def test_an_order_without_any_email_is_rejected_clearly(types):
    plan = importer.import_plan(export(row(email="", payer_email="")))
    assert (plan.lines[0].action, plan.lines[0].reason) == ("reject", "pas d’adresse e-mail (ni la question « Email », ni celle du payeur)")


def test_the_plain_csv_still_imports_with_the_type_period(types):
    data = "Nom;Prénom;Email;Montant;Date\r\nDurand;Élodie;elodie@example.org;20,00;15/01/2027\r\n".encode("utf-8-sig")
    plan = importer.import_plan(data)
    assert plan.format == "plain"
    assert (plan.lines[0].membership["starts_on"], plan.lines[0].membership["ends_on"]) == (datetime.date(2027, 1, 15), datetime.date(2027, 8, 31))
    importer.import_apply(data, by=None)
    assert importer.import_plan(data).lines[0].action == "unchanged"


def _import_twice_at_once(data) -> list:
    barrier, errors = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            importer.import_apply(data, by=None)
        except Exception as error:  # noqa: BLE001 — reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_file_at_once_write_each_member_and_order_once():
    MembershipTypeFactory(name="Adhésion individuelle")
    data = export(*[row(reference=str(12000 + n), email=f"m{n}@example.org") for n in range(30)])
    assert _import_twice_at_once(data) == []
    assert (User.objects.count(), Membership.objects.count()) == (30, 30)


@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_the_second_import_fails_on_the_unique_email(monkeypatch):
    MembershipTypeFactory(name="Adhésion individuelle")
    data = export(*[row(reference=str(14000 + n), email=f"c{n}@example.org") for n in range(5)])
    both_planned = threading.Barrier(2, timeout=30)
    plan = importer.import_plan

    def plan_then_wait(*args, **kwargs):
        result = plan(*args, **kwargs)
        both_planned.wait()  # both imports have planned "create" before either writes
        return result

    monkeypatch.setattr(importer, "_lock_imports", lambda: None)
    monkeypatch.setattr(importer, "import_plan", plan_then_wait)
    errors = _import_twice_at_once(data)
    assert [type(error) for error in errors] == [IntegrityError]
    assert (User.objects.count(), Membership.objects.count()) == (5, 5)


# --- the staff page ---------------------------------------------------------------------------

def _upload(client, data):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    return client.post(reverse("members:staff_import"), {"file": SimpleUploadedFile("adhesions.csv", data, content_type="text/csv")})


def test_page_dry_run_confirm_mapping_then_import_valid_lines(client, staff, types):
    import base64

    from django.urls import reverse

    from quai.models import AuditLog

    custom = MembershipTypeFactory(kind="reduced", name="Adhésion solidaire", amount_eur=Decimal("5"))
    data = export(row(email="lea@example.org", rate="Tarif Bienfaiteur", amount="50,00"),
                  row(reference="13002", email="pas-un-email"),
                  row(reference="13003", email="rembourse@example.org", status="Remboursé"))
    client.force_login(staff)
    response = _upload(client, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tarif « Tarif Bienfaiteur » (1 ligne)" in body
    assert "le tarif « Tarif Bienfaiteur » n’a pas de type d’adhésion : choisissez-en un ci-dessus" in body
    assert "commande remboursée : non importée" in body
    assert not User.objects.filter(is_staff=False).exists()
    content = base64.b64encode(data).decode()
    check = client.post(reverse("members:staff_import"), {"content": content, "rate_1": types["individual"].pk, "rate_2": custom.pk, "action": "check"})
    assert check.status_code == 200
    assert "adhésion « Adhésion solidaire » du 15/09/2026 au 31/12/2026" in check.content.decode()
    refused = client.post(reverse("members:staff_import"), {"content": content, "rate_1": types["individual"].pk, "rate_2": custom.pk, "action": "apply"})
    assert refused.status_code == 400
    assert not User.objects.filter(is_staff=False).exists()
    done = client.post(reverse("members:staff_import"), {"content": content, "rate_1": types["individual"].pk, "rate_2": custom.pk, "action": "apply", "skip_rejected": "1"})
    assert done.status_code == 302
    assert list(Membership.objects.values_list("member__email", "type__name", "amount_paid")) == [
        ("lea@example.org", "Adhésion solidaire", Decimal("50.00"))]
    assert sorted(HelloAssoRate.objects.values_list("name", "membership_type__name")) == [
        ("Adhésion individuelle", "Adhésion individuelle"), ("Tarif Bienfaiteur", "Adhésion solidaire")]
    lea = User.objects.get(email="lea@example.org")
    detail = client.get(reverse("members:staff_detail", args=[lea.pk])).content.decode()
    assert "Adhésion solidaire : 15/09/2026 → 31/12/2026 — 50,00 € (Carte bancaire, commande HelloAsso 1001)" in detail
    log = AuditLog.objects.get(action="members.imported")
    assert (log.data["create"], log.data["reject"], log.data["skip"], log.data["format"]) == (1, 1, 1, "helloasso")


def test_import_page_is_for_staff_only(client, member):
    from django.urls import reverse

    client.force_login(member)
    assert client.get(reverse("members:staff_import")).status_code == 403
    assert _upload(client, export(row())).status_code == 403
    assert User.objects.count() == 1


def test_a_tampered_confirmation_is_refused_cleanly(client, staff):
    from django.urls import reverse

    client.force_login(staff)
    response = client.post(reverse("members:staff_import"), {"content": "pas du base64 !", "action": "apply"})
    assert response.status_code == 302 and User.objects.count() == 1


def test_values_too_long_for_the_database_are_rejected_not_a_crash(types):
    plan = importer.import_plan(export(row(reference="9" * 101), row(reference="15002", email="a" * 250 + "@example.org")))
    assert [(line.action, line.reason) for line in plan.lines] == [
        ("reject", "la référence de commande « 99999999999999999999… » est trop longue"),
        ("reject", f"adresse e-mail « {('a' * 250 + '@example.org')[:80]} » invalide")]


def test_the_command_imports_the_valid_lines_when_asked(tmp_path, types):
    from django.core.management import call_command

    path = tmp_path / "adhesions.csv"
    path.write_bytes(export(row(), row(reference="16002", email="pas-un-email")))
    out = io.StringIO()
    call_command("import_members", str(path), "--commit", "--valid-lines-only", stdout=out)
    assert list(User.objects.values_list("email", flat=True)) == ["elodie@example.org"]
    assert "line 3: reject pas-un-email adresse e-mail « pas-un-email » invalide" in out.getvalue()
