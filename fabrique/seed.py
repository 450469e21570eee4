"""Demo Fabrique: cohorts 2021–2024 (finished, with graduations and outcomes) and a running one where
porteur@demo.quai.test is coached by coach@demo.quai.test. Bulk inserts only; idempotent."""

import datetime

from django.conf import settings
from django.utils import timezone

from fabrique.models import (
    DEFAULT_CURRICULUM, Attendance, Cohort, Deliverable, Enrolment, Module, Outcome, Review, Session,
    Submission,
)

PROJECTS = [
    ("La Fabrique de Chatou", "Chatou"), ("Le Grenier de Poissy", "Poissy"), ("La Ruche des Mureaux", "Les Mureaux"),
    ("L’Escale du Pecq", "Le Pecq"), ("Le Hangar de Sartrouville", "Sartrouville"), ("La Serre de Marly", "Marly-le-Roi"),
    ("Le Moulin de Conflans", "Conflans-Sainte-Honorine"), ("La Gare de Maisons", "Maisons-Laffitte"),
]
FIRST = ["Amina", "Bruno", "Chloé", "David", "Élise", "Farid", "Gaëlle", "Hugo"]
LAST = ["Durand", "Lefèvre", "Moreau", "Girard", "Bonnet", "Mercier", "Faure", "Rousseau"]


def _month_end(start, month):
    from fabrique.services import _month_end as month_end

    return month_end(start, month)


def seed_fabrique(*, scale: int, rng, stdout) -> None:
    from django.contrib.auth.hashers import make_password

    from members.models import User
    from members.seed import demo_user, memberships_ensure

    if Cohort.objects.exists():
        return
    porteur = demo_user("porteur@demo.quai.test")
    coach = demo_user("coach@demo.quai.test")
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    password = make_password(None)
    running_start = (today - datetime.timedelta(days=75)).replace(day=1)
    # One promotion a year since the programme began (January to July, so FAB-1 and FAB-2 count 8 in
    # its year), no year without one, then the running promotion.
    specs = [(year, datetime.date(year, 1, 8)) for year in range(settings.QUAI_PROGRAMME_START.year, running_start.year)]
    specs.append((running_start.year, running_start))
    cohorts = Cohort.objects.bulk_create(
        Cohort(name=f"Promotion {year}", year=year, start=start, end=start + datetime.timedelta(days=182))
        for year, start in specs
    )
    Module.objects.bulk_create(
        Module(cohort=c, month=m, title=t, deliverable_kind=k, deliverable_title=dt, required_for_graduation=r)
        for c in cohorts for m, t, k, dt, r in DEFAULT_CURRICULUM
    )
    holders = []
    for c_index, cohort in enumerate(cohorts):
        for h in range(8):
            if cohort is cohorts[-1] and h == 0:
                continue  # the running promotion's first holder is the demo login porteur@demo.quai.test
            email = f"porteur.{cohort.year}.{h + 1}@demo.quai.test"
            holders.append(User(email=email, first_name=FIRST[h], last_name=f"{LAST[(h + c_index) % 8]}", password=password))
    User.objects.bulk_create(holders, ignore_conflicts=True)
    by_email = {u.email: u for u in User.objects.filter(email__endswith="@demo.quai.test")}
    enrolments = []
    for c_index, cohort in enumerate(cohorts):
        running = cohort is cohorts[-1]
        for h in range(8):
            holder = porteur if running and h == 0 else by_email[f"porteur.{cohort.year}.{h + 1}@demo.quai.test"]
            name, commune = PROJECTS[(h + c_index) % 8]
            enrolments.append(Enrolment(cohort=cohort, holder=holder, coach=coach, project_name=name, commune=commune))
    enrolments = Enrolment.objects.bulk_create(enrolments)
    sessions, deliverables = [], []
    for cohort in cohorts:
        for month in range(1, 7):
            for week in (1, 3):
                day = cohort.start + datetime.timedelta(days=30 * (month - 1) + 7 * week)
                starts = datetime.datetime.combine(day, datetime.time(14), tzinfo=tz)
                sessions.append(Session(cohort=cohort, title=DEFAULT_CURRICULUM[month - 1][1], starts_at=starts,
                                        ends_at=starts + datetime.timedelta(hours=3), location="Le Quai des possibles"))
    sessions = Session.objects.bulk_create(sessions)
    for enrolment in enrolments:
        for month, _title, kind, title, required in DEFAULT_CURRICULUM:
            deliverables.append(Deliverable(enrolment=enrolment, kind=kind, title=title,
                                            due_on=min(_month_end(enrolment.cohort.start, month), enrolment.cohort.end),
                                            required_for_graduation=required))
    deliverables = Deliverable.objects.bulk_create(deliverables)
    now = timezone.now()
    attendances = []
    for session in sessions:
        if session.starts_at > now:
            continue
        for enrolment in enrolments:
            if enrolment.cohort_id == session.cohort_id:
                roll = rng.random()
                status = "present" if roll < 0.85 else ("excused" if roll < 0.93 else "absent")
                attendances.append(Attendance(session=session, enrolment=enrolment, status=status, recorded_by=coach))
    Attendance.objects.bulk_create(attendances)
    submissions, pending_reviews = [], []
    for deliverable in deliverables:
        if deliverable.due_on > today + datetime.timedelta(days=10):
            continue
        finished = deliverable.enrolment.cohort.end < today
        versions = 2 if rng.random() < 0.4 else 1
        for version in range(1, versions + 1):
            submissions.append(Submission(deliverable=deliverable, version=version, submitted_by=deliverable.enrolment.holder,
                                          text=f"{deliverable.title} — version {version}.\nSynthèse, besoins du territoire, prochaines étapes."))
            if version < versions:
                decision = "changes_requested"
            elif (finished or deliverable.due_on < today - datetime.timedelta(days=10)) and rng.random() < 0.9:
                decision = "validated"
            elif finished:
                decision = "changes_requested"  # the programme ended without it: nothing left waiting for years
            else:
                decision = None  # waiting for the coach
            pending_reviews.append((len(submissions) - 1, decision))
            if version == versions:
                deliverable.status = decision or Deliverable.Status.SUBMITTED
                if decision == "validated":
                    deliverable.validated_on = min(deliverable.due_on + datetime.timedelta(days=5), today)
    submissions = Submission.objects.bulk_create(submissions)
    reviews = [
        Review(submission=submissions[index], reviewer=coach, decision=decision,
               feedback="Validé, bravo." if decision == "validated" else "Bonne base ; précisez les publics et le budget.")
        for index, decision in pending_reviews if decision
    ]
    Review.objects.bulk_create(reviews)
    Deliverable.objects.bulk_update(deliverables, ["status", "validated_on"])
    # Graduation and outcomes follow the rules (FAB-2): computed, not invented.
    from fabrique.selectors import enrolments_with_progress

    graduated = []
    for enrolment in enrolments_with_progress(Enrolment.objects.filter(pk__in=[e.pk for e in enrolments])):
        if enrolment.progress["eligible"]:
            enrolment.graduated_at = enrolment.progress["last_validation"]
            graduated.append(enrolment)
    Enrolment.objects.bulk_update(graduated, ["graduated_at"])
    outcomes = [
        Outcome(enrolment=e, name=e.project_name, commune=e.commune, opened_on=e.cohort.end + datetime.timedelta(days=rng.randint(60, 400)),
                evidence="Inauguration, article de presse locale")
        for e in graduated if e.cohort.end < today and rng.random() < 0.6
    ]
    Outcome.objects.bulk_create([o for o in outcomes if o.opened_on <= today])
    _dates_as_they_happened(today)
    # Holders and their coach are adhérents on every day of their cohort (up to today).
    memberships_ensure(spans=[(e.holder_id, e.cohort.start, min(e.cohort.end, today)) for e in enrolments]
                       + [(coach.pk, min(c.start for c in cohorts), today)])
    stdout.write(f"fabrique: {len(cohorts)} cohorts, {len(enrolments)} enrolments, {len(submissions)} submissions, "
                 f"{len(graduated)} graduated\n")


def _dates_as_they_happened(today) -> None:
    """Bulk inserts stamp every row "now": a 2021 submission would read as sent today. Submissions
    go in a week before their due date (a second version two days before), reviews two days after,
    attendance is recorded as the session ends; never later than now."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE fabrique_submission AS s
            SET submitted_at = LEAST(now(), (d.due_on - CASE WHEN s.version = 1 THEN 7 ELSE 2 END + time '10:00') AT TIME ZONE %s)
            FROM fabrique_deliverable AS d WHERE d.id = s.deliverable_id
            """,
            [settings.TIME_ZONE],
        )
        cursor.execute(
            """
            UPDATE fabrique_review AS r SET reviewed_at = LEAST(now(), s.submitted_at + interval '2 days')
            FROM fabrique_submission AS s WHERE s.id = r.submission_id
            """
        )
        cursor.execute(
            """
            UPDATE fabrique_attendance AS a SET recorded_at = LEAST(now(), s.ends_at)
            FROM fabrique_session AS s WHERE s.id = a.session_id
            """
        )
