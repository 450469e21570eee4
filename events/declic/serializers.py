"""API shapes of Déclic Numérique.

- `/api/v1/mediation-sessions/`: Quai's English field names, national codes as values.
- `/api/v1/declic/activites/`: the national API's JSON:API shape (`type: "activite"`, French names).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from events.declic.choices import (
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
from events.declic.models import MAX_DURATION_MIN, MediationActivity
from events.declic.selectors import beneficiary_counts
from events.declic.services import AnonymousCount, ParticipantData
from quai import inputs

POSTAL_CODE = r"^(\d{5})?$"  # empty when unknown
INSEE_CODE = r"^(\d{5}|2[AB]\d{3})?$"  # empty when unknown; Corsica: 2A…, 2B…


def _counts(choices):
    return serializers.DictField(
        child=inputs.SerializerIntegerField(min_value=0), required=False, default=dict,
        help_text=_("People per code (%(codes)s); the rest of the total is “non_communique”.") % {"codes": ", ".join(choices.values)},
    )


class ParticipantSerializer(serializers.Serializer):
    gender = serializers.ChoiceField(choices=Gender.choices, default=Gender.NON_COMMUNIQUE)
    age_band = serializers.ChoiceField(choices=AgeBand.choices, default=AgeBand.NON_COMMUNIQUE)
    social_status = serializers.ChoiceField(choices=SocialStatus.choices, default=SocialStatus.NON_COMMUNIQUE)
    commune = inputs.SerializerTextField(max_length=100, required=False, default="", allow_blank=True)
    postal_code = serializers.RegexField(POSTAL_CODE, required=False, default="", allow_blank=True)
    insee_code = serializers.RegexField(INSEE_CODE, required=False, default="", allow_blank=True)
    first_time = serializers.BooleanField(default=False)


class AnonymousParticipantsSerializer(serializers.Serializer):
    total = inputs.SerializerIntegerField(min_value=0)
    gender = _counts(Gender)
    age_band = _counts(AgeBand)
    social_status = _counts(SocialStatus)

    def validate(self, data):
        for name, choices in (("gender", Gender), ("age_band", AgeBand), ("social_status", SocialStatus)):
            unknown = sorted(set(data[name]) - set(choices.values))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown code: %(codes)s.") % {"codes": ", ".join(unknown)}]})
            known = sum(n for code, n in data[name].items() if code != "non_communique")
            if known > data["total"]:
                raise serializers.ValidationError({name: [_("More people counted than the total.")]})
        return data


class MediationSessionSerializer(serializers.Serializer):
    """A Déclic activity with Quai's field names; participants are accompaniments (one row each)."""

    id = serializers.IntegerField(read_only=True)
    date = inputs.SerializerDateField()
    kind = serializers.ChoiceField(choices=ActivityType.choices)
    duration_min = inputs.SerializerIntegerField(min_value=1, max_value=MAX_DURATION_MIN)
    place = serializers.ChoiceField(choices=PlaceType.choices, default=PlaceType.LIEU_ACTIVITE)
    commune = inputs.SerializerTextField(max_length=100, required=False, default="", allow_blank=True,
                                    help_text=_("Commune of the place, when not at the place of activity."))
    postal_code = serializers.RegexField(POSTAL_CODE, required=False, default="", allow_blank=True)
    insee_code = serializers.RegexField(INSEE_CODE, required=False, default="", allow_blank=True)
    themes = serializers.ListField(child=serializers.ChoiceField(choices=Theme.choices), allow_empty=False)
    equipment = serializers.ListField(child=serializers.ChoiceField(choices=Equipment.choices), required=False, default=list)
    autonomy = serializers.ChoiceField(choices=Autonomy.choices, required=False, default="", allow_blank=True)
    workshop_title = inputs.SerializerTextField(max_length=150, required=False, default="", allow_blank=True)
    workshop_level = serializers.ChoiceField(choices=WorkshopLevel.choices, required=False, default="", allow_blank=True)
    redirected = serializers.BooleanField(default=False)
    redirected_to = serializers.ChoiceField(choices=Redirection.choices, required=False, default="", allow_blank=True)
    procedure_details = inputs.SerializerTextField(max_length=200, required=False, default="", allow_blank=True)
    participants = ParticipantSerializer(many=True, required=False, default=list)
    anonymous_participants = AnonymousParticipantsSerializer(required=False, default=None, allow_null=True)
    notes = inputs.SerializerMultilineTextField(required=False, default="", allow_blank=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def validate(self, data):
        anonymous_total = (data.get("anonymous_participants") or {}).get("total", 0)
        errors = {}
        if data["kind"] == ActivityType.INDIVIDUEL:
            if len(data["participants"]) != 1:
                errors["participants"] = [_("An individual support has exactly one participant.")]
            if anonymous_total:
                errors["anonymous_participants"] = [_("Only a workshop counts participants without details.")]
            if data["workshop_title"] or data["workshop_level"]:
                errors["workshop_title"] = [_("Title and level are for workshops.")]
        else:
            if not data["participants"] and not anonymous_total:
                errors["participants"] = [_("A workshop needs at least one participant (known or counted).")]
            if data["autonomy"]:
                errors["autonomy"] = [_("Autonomy is for individual support.")]
        if data["redirected_to"] and not data["redirected"]:
            errors["redirected_to"] = [_("Give an organisation only when the person was redirected.")]
        if errors:
            raise serializers.ValidationError(errors)
        return data

    def service_kwargs(self) -> dict:
        data = self.validated_data
        anonymous = data.get("anonymous_participants")
        return {
            "type": data["kind"], "date": data["date"], "duree": data["duration_min"], "type_lieu": data["place"],
            "lieu_commune": data["commune"], "lieu_code_postal": data["postal_code"], "lieu_code_insee": data["insee_code"],
            "thematiques": data["themes"], "materiel": data["equipment"], "autonomie": data["autonomy"],
            "titre_atelier": data["workshop_title"], "niveau_atelier": data["workshop_level"],
            "oriente_vers_structure": data["redirected"], "structure_de_redirection": data["redirected_to"],
            "precisions_demarche": data["procedure_details"], "notes": data["notes"],
            "participants": [
                ParticipantData(genre=p["gender"], tranche_age=p["age_band"], statut_social=p["social_status"], commune=p["commune"],
                                code_postal=p["postal_code"], code_insee=p["insee_code"], first_time=p["first_time"])
                for p in data["participants"]
            ],
            "anonymous": AnonymousCount(
                total=anonymous["total"], genres=anonymous["gender"], tranches_age=anonymous["age_band"], statuts=anonymous["social_status"],
            ) if anonymous else None,
        }

    def to_representation(self, activity: MediationActivity) -> dict:
        # Participants are prefetched (selectors.mediation_activities_with_participants).
        known = [p for p in activity.participants.all() if not p.anonymous]
        counted = [p for p in activity.participants.all() if p.anonymous]

        def tally(attr, unknown):
            result: dict[str, int] = {}
            for p in counted:
                value = getattr(p, attr)
                if value != unknown:
                    result[value] = result.get(value, 0) + 1
            return result

        return {
            "id": activity.pk, "date": activity.date.isoformat(), "kind": activity.type, "duration_min": activity.duree,
            "place": activity.type_lieu, "commune": activity.lieu_commune, "postal_code": activity.lieu_code_postal,
            "insee_code": activity.lieu_code_insee, "themes": list(activity.thematiques), "equipment": list(activity.materiel),
            "autonomy": activity.autonomie, "workshop_title": activity.titre_atelier, "workshop_level": activity.niveau_atelier,
            "redirected": activity.oriente_vers_structure, "redirected_to": activity.structure_de_redirection,
            "procedure_details": activity.precisions_demarche,
            "participants": [
                {"gender": p.genre, "age_band": p.tranche_age, "social_status": p.statut_social, "commune": p.commune,
                 "postal_code": p.code_postal, "insee_code": p.code_insee, "first_time": p.first_time}
                for p in known
            ],
            "anonymous_participants": {
                "total": len(counted), "gender": tally("genre", Gender.NON_COMMUNIQUE),
                "age_band": tally("tranche_age", AgeBand.NON_COMMUNIQUE),
                "social_status": tally("statut_social", SocialStatus.NON_COMMUNIQUE),
            } if counted else None,
            "notes": activity.notes,
            "created_at": serializers.DateTimeField().to_representation(activity.created_at),
            "updated_at": serializers.DateTimeField().to_representation(activity.updated_at),
        }


# The national API shape (documented field by field for the OpenAPI schema).
def _code_counts(name: str, choices) -> type[serializers.Serializer]:
    return type(name, (serializers.Serializer,), {code: serializers.IntegerField() for code in choices.values})


class BeneficiairesSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    genres = _code_counts("GenresSerializer", Gender)()
    tranches_age = _code_counts("TranchesAgeSerializer", AgeBand)()
    statuts = _code_counts("StatutsSerializer", SocialStatus)()


OPTIONAL_TEXT = ("lieu_code_postal", "lieu_commune", "lieu_code_insee", "autonomie", "structure_de_redirection",
                 "precisions_demarche", "titre_atelier", "niveau_atelier")


class ActiviteAttributesSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ActivityType.choices)
    accompagnements = inputs.SerializerIntegerField(source="n_total")
    date = inputs.SerializerDateField()
    duree = serializers.IntegerField()
    type_lieu = serializers.ChoiceField(choices=PlaceType.choices)
    lieu_code_postal = inputs.SerializerTextField(allow_null=True)
    lieu_commune = inputs.SerializerTextField(allow_null=True)
    lieu_code_insee = inputs.SerializerTextField(allow_null=True)
    autonomie = serializers.ChoiceField(choices=Autonomy.choices, allow_null=True)
    oriente_vers_structure = serializers.BooleanField()
    structure_de_redirection = serializers.ChoiceField(choices=Redirection.choices, allow_null=True)
    materiel = serializers.ListField(child=serializers.ChoiceField(choices=Equipment.choices))
    thematiques = serializers.ListField(child=serializers.ChoiceField(choices=Theme.choices))
    tags = serializers.ListField(child=inputs.SerializerTextField(), default=list)
    precisions_demarche = inputs.SerializerTextField(allow_null=True)
    titre_atelier = inputs.SerializerTextField(allow_null=True)
    niveau_atelier = serializers.ChoiceField(choices=WorkshopLevel.choices, allow_null=True)
    beneficiaires = BeneficiairesSerializer(source="*")
    creation = serializers.DateTimeField(source="created_at")
    modification = serializers.DateTimeField(source="updated_at")

    def to_representation(self, activity):
        data = {}
        for name, field in self.fields.items():
            if name == "tags":
                data[name] = []
            elif name == "beneficiaires":
                data[name] = beneficiary_counts(activity)
            else:
                data[name] = field.to_representation(field.get_attribute(activity))
        for name in OPTIONAL_TEXT:
            data[name] = data[name] or None
        return data


class ActiviteSerializer(serializers.Serializer):
    """One national `activite` resource (JSON:API)."""

    type = inputs.SerializerTextField(default="activite")
    id = inputs.SerializerTextField()
    attributes = ActiviteAttributesSerializer(source="*")

    def to_representation(self, activity):
        return {"type": "activite", "id": str(activity.pk), "attributes": ActiviteAttributesSerializer(activity).data}


class JsonApiLinksSerializer(serializers.Serializer):
    self = serializers.URLField()
    first = serializers.URLField()
    prev = serializers.URLField(allow_null=True)
    next = serializers.URLField(allow_null=True)
    last = serializers.URLField()


class ActiviteListSerializer(serializers.Serializer):
    data = ActiviteSerializer(many=True)
    links = JsonApiLinksSerializer()
    meta = serializers.DictField(child=serializers.IntegerField(), help_text=_("`total`: number of activities in the period."))
