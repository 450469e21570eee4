from django.core.management.base import BaseCommand, CommandError

from members.models import ApiToken, User, normalize_email_address


class Command(BaseCommand):
    help = "Create a personal API token for the account EMAIL and print it (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, email, name, **options):
        user = User.objects.filter(email=normalize_email_address(email)).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {email!r}.")
        _token, key = ApiToken.issue(user=user, name=name)
        self.stdout.write(key)
