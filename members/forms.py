from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import User
from quai.widgets import DateInput


class SignupForm(forms.Form):
    """Extra sign-up fields (allauth's ACCOUNT_SIGNUP_FORM_CLASS): the name comes before the e-mail."""

    first_name = forms.CharField(label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))

    def signup(self, request, user) -> None:
        # allauth's adapter already copied first_name/last_name onto the user (save_user).
        pass


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
    )

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = _("What the token is for, e.g. “accounting sync”. It stops working after %(days)s days.") % {
            "days": settings.QUAI_API_TOKEN_DAYS
        }


class AccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "language"]


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    commune = forms.CharField(label=_("Commune"), max_length=100, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    skills = forms.CharField(label=_("Skills"), max_length=300, required=False, help_text=_("Comma-separated, e.g. “comptabilité, graphisme”."))
    interests = forms.CharField(label=_("Interests"), max_length=300, required=False)
    bio = forms.CharField(label=_("Short bio"), max_length=600, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    directory = forms.BooleanField(label=_("Show me in the members' directory (name, organisation, skills, bio)"), required=False)
    newsletter = forms.BooleanField(label=_("I want to receive the newsletter"), required=False)
    image_rights = forms.BooleanField(label=_("I agree to appear in photos of the association"), required=False)


class PaymentForm(forms.Form):
    from members.models import Membership as _Membership, MembershipType as _Type

    type = forms.ModelChoiceField(label=_("Membership type"), queryset=_Type.objects.filter(is_active=True))
    payment_method = forms.ChoiceField(label=_("Payment method"), choices=_Membership.PaymentMethod.choices)
    payment_reference = forms.CharField(label=_("Reference (cheque number, transfer…)"), max_length=100, required=False)


class RenewForm(forms.Form):
    from members.models import MembershipType as _Type

    type = forms.ModelChoiceField(label=_("Membership type"), queryset=_Type.objects.filter(is_active=True))


class MemberFilterForm(forms.Form):
    STATUS = [("", _("All")), ("active", _("Active")), ("expiring", _("Expiring within 30 days")), ("expired", _("Expired")), ("none", _("Never a member"))]
    ORDER = [("name", _("Name")), ("-joined", _("Newest")), ("joined", _("Oldest")), ("expiry", _("Expiry date"))]
    q = forms.CharField(label=_("Search (name, e-mail, organisation)"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS, required=False)
    type = forms.IntegerField(label=_("Membership type"), required=False, widget=forms.HiddenInput)
    joined_from = forms.DateField(label=_("Joined from"), required=False, widget=DateInput())
    joined_to = forms.DateField(label=_("Joined until"), required=False, widget=DateInput())
    order = forms.ChoiceField(label=_("Sort by"), choices=ORDER, required=False)


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
                label=_("Rate “%(rate)s” (%(count)s line(s))") % {"rate": choice.name, "count": choice.lines},
                queryset=types, required=False, initial=choice.type_id, help_text=self.ORIGIN_HELP[choice.origin],
                empty_label=_("— choose a membership type —"),
            )

    def mapping(self) -> dict[str, int]:
        return {self.keys[name]: value.pk for name, value in self.cleaned_data.items() if value is not None}
