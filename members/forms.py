from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members.models import User
from quai import inputs
from quai.widgets import DateInput


class SignupForm(forms.Form):
    """Extra sign-up fields (allauth's ACCOUNT_SIGNUP_FORM_CLASS): the name comes before the e-mail."""

    first_name = inputs.TextField(label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = inputs.TextField(label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))

    def signup(self, request, user) -> None:
        # allauth's adapter already copied first_name/last_name onto the user (save_user).
        pass


class ApiTokenCreateForm(forms.Form):
    name = inputs.TextField(
        label=_("Token name"),
        max_length=100,
    )

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = _("What the token is for, e.g. “accounting sync”. It stops working after %(days)s days.") % {
            "days": settings.QUAI_API_TOKEN_DAYS
        }


class AccountForm(inputs.ModelForm):
    class Meta(inputs.ModelForm.Meta):
        model = User
        fields = ["first_name", "last_name", "language"]


class ProfileForm(forms.Form):
    # First and last names are edited with the language (AccountForm), once on the page.
    phone = inputs.TextField(label=_("Phone"), max_length=30, required=False)
    commune = inputs.TextField(label=_("Commune"), max_length=100, required=False)
    organisation = inputs.TextField(label=_("Organisation"), max_length=150, required=False)
    skills = inputs.TextField(label=_("Skills"), max_length=300, required=False, help_text=_("Comma-separated, e.g. “comptabilité, graphisme”."))
    interests = inputs.TextField(label=_("Interests"), max_length=300, required=False)
    bio = inputs.MultilineTextField(label=_("Short bio"), max_length=600, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    directory = forms.BooleanField(label=_("Show me in the members' directory (name, organisation, skills, bio)"), required=False)
    newsletter = forms.BooleanField(label=_("I want to receive the newsletter"), required=False)
    image_rights = forms.BooleanField(label=_("I agree to appear in photos of the association"), required=False)

    CONSENTS = ("directory", "newsletter", "image_rights")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The consents are shown in the page's "privacy" section, outside the <form> element of
        # the profile: the HTML `form` attribute still sends them with it.
        for name in self.CONSENTS:
            self.fields[name].widget.attrs["form"] = "profile-form"

    def about_fields(self):
        return [self[name] for name in self.fields if name not in self.CONSENTS]

    def consent_fields(self):
        return [self[name] for name in self.CONSENTS]


class PaymentForm(forms.Form):
    from members.models import Membership as _Membership, MembershipType as _Type

    type = forms.ModelChoiceField(label=_("Membership type"), queryset=_Type.objects.filter(is_active=True))
    payment_method = forms.ChoiceField(label=_("Payment method"), choices=_Membership.PaymentMethod.choices)
    payment_reference = inputs.TextField(label=_("Reference (cheque number, transfer…)"), max_length=100, required=False)


class MembershipTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        from django.template.defaultfilters import floatformat

        return f"{obj.name} — {floatformat(obj.amount_eur, '2g')}\u00a0€"


class RenewForm(forms.Form):
    from members.models import MembershipType as _Type

    type = MembershipTypeChoiceField(label=_("Membership type"), queryset=_Type.objects.filter(is_active=True), empty_label=None)


class ContactForm(forms.Form):
    """A message relayed by e-mail to a member of the directory (their address is never shown)."""

    message = inputs.MultilineTextField(
        label=_("Your message"), min_length=10, max_length=2000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Sent by e-mail with your name; the reply comes to your own address."),
    )


class _ChoicesReadOnce(BaseChoiceIterator):
    """Choices computed on first use, then kept for the life of one form (a widget iterates its
    choices more than once while it renders)."""

    def __init__(self, compute):
        self.compute, self.choices = compute, None

    def __iter__(self):
        if self.choices is None:
            self.choices = list(self.compute())
        return iter(self.choices)


def _membership_type_choices():
    from members.models import MembershipType

    return [("", _("All"))] + [(kind.pk, str(kind)) for kind in MembershipType.objects.order_by("-is_active", "name", "pk")]


class MemberFilterForm(forms.Form):
    STATUS = [("", _("All")), ("active", _("Active")), ("expiring", _("Expiring within 30 days")),
              ("month", _("Ends this month")), ("expired", _("Expired")),
              ("pending", _("Renewal to confirm")), ("none", _("Never a member"))]
    ORDER = [("name", _("Name")), ("-joined", _("Newest")), ("joined", _("Oldest")), ("expiry", _("Expiry date"))]
    q = inputs.TextField(label=_("Name, e-mail or organisation"), required=False, max_length=200,
                         widget=forms.TextInput(attrs={"type": "search"}))
    status = forms.ChoiceField(label=_("Status"), choices=STATUS, required=False)
    # An id (ASCII digits, 400 otherwise) chosen from the list of types (see __init__).
    type = inputs.IntegerField(label=_("Membership type"), required=False, min_value=1, widget=forms.Select)
    joined_from = inputs.DateField(label=_("Joined from"), required=False, widget=DateInput())
    joined_to = inputs.DateField(label=_("Joined until"), required=False, widget=DateInput())
    order = forms.ChoiceField(label=_("Sort by"), choices=ORDER, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when the form is shown (one query per form), not when the list is only exported.
        self.fields["type"].widget.choices = _ChoicesReadOnce(_membership_type_choices)

    def filters(self) -> dict:
        """The selector's arguments; InvalidInput (400, per field) when a value is not valid."""
        if self.is_bound and not self.is_valid():
            from quai.errors import InvalidInput

            raise InvalidInput.from_form_errors(self.errors)
        data = self.cleaned_data if self.is_bound else {}
        return {
            "search": data.get("q") or "", "status": data.get("status") or "", "type_id": data.get("type") or "",
            "joined_from": data.get("joined_from"), "joined_to": data.get("joined_to"), "order": data.get("order") or "name",
        }


class PersonSearchForm(forms.Form):
    """The staff search for a person, from the box of every staff page."""

    q = inputs.TextField(label=_("Name, e-mail or organisation"), required=False, max_length=200,
                         widget=forms.TextInput(attrs={"type": "search"}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file (HelloAsso “adhésions” export or spreadsheet)"))


class RateMappingForm(forms.Form):
    """One choice per HelloAsso rate of the file: the membership type its members get."""

    ORIGIN_HELP = {
        "remembered": _("Chosen at a previous import."),
        "guessed": _("Proposed from the name or the amount: check it."),
        "chosen": _("Your choice."),
        "none": _("Choose the membership type for this rate."),
    }

    def __init__(self, *args, rates, **kwargs):
        from members.models import MembershipType

        super().__init__(*args, **kwargs)
        types = MembershipType.objects.filter(is_active=True)
        self.keys = {}  # field name → rate key (a key has spaces: no use in an HTML id)
        for number, choice in enumerate(rates, start=1):
            self.keys[f"rate_{number}"] = choice.key
            self.fields[f"rate_{number}"] = forms.ModelChoiceField(
                label=ngettext("Rate “%(rate)s” (%(count)s line)", "Rate “%(rate)s” (%(count)s lines)", choice.lines)
                % {"rate": choice.name, "count": choice.lines},
                queryset=types, required=False, initial=choice.type_id, help_text=self.ORIGIN_HELP[choice.origin],
                empty_label=_("— choose a membership type —"),
            )

    def mapping(self) -> dict[str, int]:
        return {self.keys[name]: value.pk for name, value in self.cleaned_data.items() if value is not None}
