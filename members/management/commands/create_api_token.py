from django.core.management.base import BaseCommand, CommandError

from members.models import ApiToken, User, normalize_email_address


class Command(BaseCommand):
    help = (
        "Create a personal API token for the account EMAIL and print it (shown once). For operators: "
        "it needs shell access, not the account's second factor. Valid QUAI_API_TOKEN_DAYS days unless --days."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="command line")
        parser.add_argument("--days", type=int, default=None, help="days before the token expires (default: QUAI_API_TOKEN_DAYS)")

    def handle(self, *args, email, name, days, **options):
        if days is not None and not 1 <= days <= 3660:
            raise CommandError("--days must be between 1 and 3660.")
        user = User.objects.filter(email=normalize_email_address(email)).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {email!r}.")
        token, key = ApiToken.issue(user=user, name=name, days=days)
        self.stdout.write(key)
        self.stderr.write(f"Expires at {token.expires_at.isoformat()}.")
