"""The quick log form: one screen on a phone, national codes behind every choice."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.declic.choices import (
    DURATION_PRESETS,
    ActivityType,
    AgeBand,
    Autonomy,
    Equipment,
    Gender,
    PlaceType,
    Redirection,
    SocialStatus,
    Theme,
    WorkshopLevel,
)
from events.declic.models import MAX_DURATION_MIN
from events.declic.services import AnonymousCount, ParticipantData
from quai import inputs
from quai.widgets import DateInput

OTHER = "autre"
BLANK = [("", "—")]


def _count_field(label):
    return inputs.IntegerField(label=label, min_value=0, max_value=999, required=False,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count"}))


class MediationActivityForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=ActivityType.choices, initial=ActivityType.INDIVIDUEL, widget=forms.RadioSelect)
    date = inputs.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput())
    duree_preset = forms.ChoiceField(
        label=_("Duration"), initial="30", widget=forms.RadioSelect,
        choices=[(str(m), _("%(minutes)s min") % {"minutes": m}) for m in DURATION_PRESETS] + [(OTHER, _("Other"))],
    )
    duree_custom = inputs.IntegerField(label=_("Other duration (minutes)"), min_value=1, max_value=MAX_DURATION_MIN, required=False,
                                      widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    thematiques = forms.MultipleChoiceField(label=_("Themes"), choices=Theme.choices, widget=forms.CheckboxSelectMultiple,
                                            error_messages={"required": _("Choose at least one theme.")})
    precisions_demarche = inputs.TextField(label=_("Administrative procedure (if any)"), max_length=200, required=False)
    materiel = forms.MultipleChoiceField(label=_("Equipment used"), choices=Equipment.choices, widget=forms.CheckboxSelectMultiple, required=False)
    type_lieu = forms.ChoiceField(label=_("Place"), choices=PlaceType.choices, initial=PlaceType.LIEU_ACTIVITE)
    lieu_commune = inputs.TextField(label=_("Commune of the place (if not at our place)"), max_length=100, required=False)
    lieu_code_postal = forms.RegexField(label=_("Postal code of the place"), regex=r"^\d{5}$", required=False,
                                        error_messages={"invalid": _("Enter a 5-digit postal code.")})
    autonomie = forms.ChoiceField(label=_("Autonomy"), choices=BLANK + Autonomy.choices, required=False)
    titre_atelier = inputs.TextField(label=_("Workshop title"), max_length=150, required=False)
    niveau_atelier = forms.ChoiceField(label=_("Workshop level"), choices=BLANK + WorkshopLevel.choices, required=False)
    oriente_vers_structure = forms.BooleanField(label=_("Redirected to another organisation"), required=False)
    structure_de_redirection = forms.ChoiceField(label=_("Organisation redirected to"), choices=BLANK + Redirection.choices, required=False)
    # The person (individual support).
    genre = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.NON_COMMUNIQUE)
    tranche_age = forms.ChoiceField(label=_("Age band"), choices=AgeBand.choices, initial=AgeBand.NON_COMMUNIQUE)
    statut_social = forms.ChoiceField(label=_("Status"), choices=SocialStatus.choices, initial=SocialStatus.NON_COMMUNIQUE)
    commune = inputs.TextField(label=_("Commune of the person"), max_length=100, required=False)
    code_postal = forms.RegexField(label=_("Postal code of the person"), regex=r"^\d{5}$", required=False,
                                   error_messages={"invalid": _("Enter a 5-digit postal code.")})
    first_time = forms.BooleanField(label=_("First accompaniment for this person"), required=False)
    # The people of a workshop, counted.
    anonymous_total = _count_field(_("Other participants, counted without details"))
    notes = inputs.MultilineTextField(label=_("Notes (staff only)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    COUNTED = (("genres", "genre", Gender), ("tranches_age", "age", AgeBand), ("statuts", "statut", SocialStatus))

    #: The themes shown as chips before "More themes".
    TOP_THEMES = 8

    def __init__(self, *args, theme_order: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if theme_order:
            labels = dict(Theme.choices)
            self.fields["thematiques"].choices = [(code, labels[code]) for code in theme_order if code in labels]
        for _key, prefix, choices in self.COUNTED:
            for code, label in choices.choices:
                if code != "non_communique":
                    self.fields[f"{prefix}__{code}"] = _count_field(label)

    def counted_groups(self) -> list[tuple[str, list]]:
        """The workshop counts by criterion, for the template: (legend, bound fields)."""
        titles = {"genre": _("By gender"), "age": _("By age band"), "statut": _("By status")}
        return [
            (titles[prefix], [self[f"{prefix}__{code}"] for code in choices.values if code != "non_communique"])
            for _key, prefix, choices in self.COUNTED
        ]

    def clean(self):
        data = super().clean()
        preset = data.get("duree_preset")
        if preset == OTHER:
            if not data.get("duree_custom"):
                self.add_error("duree_custom", _("Give the duration in minutes."))
            data["duree"] = data.get("duree_custom")
        elif preset:
            data["duree"] = int(preset)
        if data.get("structure_de_redirection") and not data.get("oriente_vers_structure"):
            self.add_error("oriente_vers_structure", _("Tick this box when you give an organisation."))
        return data

    def theme_chips(self) -> tuple[list, list, bool]:
        """The theme chips: the most used first, the others behind "More themes" (open if one of them is ticked)."""
        chips = list(self["thematiques"])
        rest = chips[self.TOP_THEMES:]
        ticked = {str(v) for v in (self["thematiques"].value() or [])}
        return chips[:self.TOP_THEMES], rest, any(str(chip.data["value"]) in ticked for chip in rest)

    def remembered(self, *, keep_date: bool) -> dict:
        """What the next entry starts from (kept in the session): duration, place, equipment, and the date if asked."""
        data = self.cleaned_data
        kept = {name: data[name] for name in REMEMBERED}
        kept["duree_custom"] = data.get("duree_custom")
        if keep_date:
            kept["date"] = data["date"].isoformat()
        return kept

    def service_kwargs(self, known: list[ParticipantData] = ()) -> dict:
        """The arguments of `mediation_activity_create` from the cleaned form (and a workshop's known participants)."""
        data = self.cleaned_data
        individual = data["type"] == ActivityType.INDIVIDUEL
        kwargs = {
            name: data[name] for name in (
                "type", "date", "duree", "thematiques", "type_lieu", "lieu_commune", "lieu_code_postal", "materiel",
                "precisions_demarche", "oriente_vers_structure", "structure_de_redirection", "notes",
            )
        }
        if individual:
            kwargs["autonomie"] = data["autonomie"]
            kwargs["participants"] = [ParticipantData(
                genre=data["genre"], tranche_age=data["tranche_age"], statut_social=data["statut_social"],
                commune=data["commune"], code_postal=data["code_postal"], first_time=data["first_time"],
            )]
        else:
            kwargs["titre_atelier"] = data["titre_atelier"]
            kwargs["niveau_atelier"] = data["niveau_atelier"]
            counts = {
                key: {code: data.get(f"{prefix}__{code}") or 0 for code in choices.values if code != "non_communique"}
                for key, prefix, choices in self.COUNTED
            }
            kwargs["anonymous"] = AnonymousCount(total=data.get("anonymous_total") or 0, **counts)
            kwargs["participants"] = list(known)
        return kwargs


REMEMBERED = ("duree_preset", "type_lieu", "lieu_commune", "lieu_code_postal", "materiel")


def log_initial(*, remembered: dict | None, last_activity) -> dict:
    """The quick log's starting values: from the session (last entry), else from the staff member's last activity."""
    if remembered:
        return {key: value for key, value in remembered.items() if key in (*REMEMBERED, "duree_custom", "date")}
    if last_activity is None:
        return {}
    presets = {str(m) for m in DURATION_PRESETS}
    duration = str(last_activity.duree)
    return {
        "duree_preset": duration if duration in presets else OTHER,
        "duree_custom": None if duration in presets else last_activity.duree,
        "type_lieu": last_activity.type_lieu, "lieu_commune": last_activity.lieu_commune,
        "lieu_code_postal": last_activity.lieu_code_postal, "materiel": list(last_activity.materiel),
    }


class KnownParticipantForm(forms.Form):
    """A workshop participant the mediator knows a little about; rows left as they are are ignored."""

    genre = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.NON_COMMUNIQUE)
    tranche_age = forms.ChoiceField(label=_("Age band"), choices=AgeBand.choices, initial=AgeBand.NON_COMMUNIQUE)
    statut_social = forms.ChoiceField(label=_("Status"), choices=SocialStatus.choices, initial=SocialStatus.NON_COMMUNIQUE)
    commune = inputs.TextField(label=_("Commune"), max_length=100, required=False)
    code_postal = forms.RegexField(label=_("Postal code"), regex=r"^\d{5}$", required=False,
                                   error_messages={"invalid": _("Enter a 5-digit postal code.")})
    first_time = forms.BooleanField(label=_("First accompaniment for this person"), required=False)

    def participant(self) -> ParticipantData:
        return ParticipantData(**self.cleaned_data)


KnownParticipantFormSet = forms.formset_factory(KnownParticipantForm, extra=3, max_num=40, validate_max=True)


def known_participants(formset) -> list[ParticipantData]:
    return [form.participant() for form in formset.forms if form.has_changed() and form.cleaned_data]


class StatisticsFilterForm(forms.Form):
    du = inputs.DateField(label=_("From"), required=False, widget=DateInput())
    au = inputs.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("du") and data.get("au") and data["au"] < data["du"]:
            self.add_error("au", _("The end date must be on or after the start date."))
        return data
