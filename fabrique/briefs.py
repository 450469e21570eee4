"""The brief of each Fabrique deliverable (DOMAIN.md §3): what to produce, what the coach looks at,
the expected length, and the outline of its downloadable template.

This is programme content, written in French like DEFAULT_CURRICULUM's titles (not interface
strings). A cohort's module may override the text, criteria and length (staff edit them per
cohort); a blank field there falls back to the default below, so cohorts created before briefs
existed get them without a data migration.
"""

from dataclasses import dataclass, field

from fabrique.models import DeliverableKind


@dataclass(frozen=True)
class TableSpec:
    """A table of the template: its title, its header row and the rows to fill in."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = ()
    blank_rows: int = 3


@dataclass(frozen=True)
class DefaultBrief:
    produce: str
    criteria: tuple[str, ...]
    length: str
    # The template: "docx" (a document with these headings) or "xlsx" (a workbook, see deliverable_templates).
    template_format: str
    sections: tuple[tuple[str, str], ...] = ()  # (heading, what to write under it)
    tables: tuple[TableSpec, ...] = field(default_factory=tuple)


DEFAULT_BRIEFS: dict[str, DefaultBrief] = {
    DeliverableKind.DIAGNOSTIC: DefaultBrief(
        produce=(
            "Un portrait du territoire où s’implantera le tiers-lieu et des communautés qu’il veut servir : "
            "données clés (population, emploi, équipements, mobilités), acteurs déjà présents (associations, "
            "collectivités, autres tiers-lieux), besoins repérés et la façon dont vous les avez vérifiés "
            "(entretiens, questionnaire, rencontres)."
        ),
        criteria=(
            "Les sources sont citées et datées (INSEE, observatoires, collectivité).",
            "Au moins 10 entretiens ou rencontres avec des habitant·es et des acteurs locaux, résumés.",
            "Deux à quatre communautés cibles décrites, chacune avec ses besoins.",
            "Les manques du territoire sont reliés à ce que le tiers-lieu pourrait apporter.",
            "Les tiers-lieux et services proches sont identifiés, pour coopérer plutôt que concurrencer.",
        ),
        length="8 à 12 pages, annexes en plus",
        template_format="docx",
        sections=(
            ("1. Le territoire en chiffres", "Population, âges, emploi, revenus, équipements, mobilités. Citez chaque source et sa date."),
            ("2. Les acteurs déjà présents", "Associations, collectivités, entreprises, tiers-lieux et services proches : qui fait quoi."),
            ("3. Les communautés cibles", "Deux à quatre groupes de personnes que le tiers-lieu veut servir."),
            ("4. Les besoins repérés et leur vérification", "Ce que disent les entretiens, le questionnaire, les rencontres."),
            ("5. Synthèse : ce que le tiers-lieu apporte", "Les manques du territoire et les réponses possibles du lieu."),
            ("Annexes", "Liste des entretiens (date, personne ou structure), sources."),
        ),
        tables=(
            TableSpec("Entretiens et rencontres", ("Date", "Personne ou structure", "Ce qui en ressort"), blank_rows=10),
        ),
    ),
    DeliverableKind.VALUE_PROPOSITION: DefaultBrief(
        produce=(
            "Le canevas de proposition de valeur rempli pour chaque communauté cible (ses activités, ses "
            "difficultés, ce qu’elle espère ; vos services, ce qui soulage, ce qui apporte), et un texte d’une "
            "page qui dit en clair ce que le tiers-lieu offre, à qui, et en quoi il est différent."
        ),
        criteria=(
            "Chaque communauté cible du diagnostic a son canevas.",
            "Les difficultés et les attentes viennent du terrain (citations, entretiens), pas d’hypothèses.",
            "Chaque service proposé répond à une difficulté ou à une attente nommée.",
            "Le texte tient en une page et se comprend sans le canevas.",
            "L’utilité sociale du lieu (ESS) est explicite.",
        ),
        length="un canevas par communauté cible et une page de texte",
        template_format="docx",
        sections=(
            ("1. Canevas de proposition de valeur", "Un canevas par communauté cible : copiez le tableau autant de fois que nécessaire."),
            ("2. La proposition de valeur en une page", "Ce que le tiers-lieu offre, à qui, et en quoi il est différent."),
            ("3. Utilité sociale", "Ce que le lieu change pour le territoire et ses habitant·es."),
        ),
        tables=(
            TableSpec("Canevas — communauté : …", ("Côté communauté", "Côté tiers-lieu"), rows=(
                ("Ses activités (ce qu’elle cherche à faire)", "Nos services et activités"),
                ("Ses difficultés", "Ce qui soulage ces difficultés"),
                ("Ce qu’elle espère", "Ce qui apporte ces bénéfices"),
            ), blank_rows=0),
        ),
    ),
    DeliverableKind.MARKET_STUDY: DefaultBrief(
        produce=(
            "L’offre du tiers-lieu activité par activité (coworking, ateliers, café, location de salles, "
            "services…), le marché de chacune (demande, concurrence, prix pratiqués alentour) et une grille de "
            "tarifs justifiée, tarifs solidaires compris."
        ),
        criteria=(
            "Chaque activité a un public, un volume estimé et un prix.",
            "Les prix sont comparés à au moins trois offres proches.",
            "La part des revenus propres par rapport aux subventions est estimée.",
            "Les tarifs solidaires ou adhérents sont chiffrés.",
            "Les hypothèses de fréquentation sont prudentes et expliquées.",
        ),
        length="10 à 15 pages, grille tarifaire comprise",
        template_format="docx",
        sections=(
            ("1. L’offre du tiers-lieu", "Les activités, leur public, leurs horaires."),
            ("2. La demande", "Qui viendra, combien, à quelle fréquence ; d’où viennent ces chiffres."),
            ("3. La concurrence et les offres proches", "Au moins trois offres comparables, leurs prix et leurs publics."),
            ("4. Grille de tarifs", "Tarif normal, adhérent, solidaire ; ce qui les justifie."),
            ("5. Revenus attendus", "Revenus propres par activité et part des subventions."),
        ),
        tables=(
            TableSpec("Grille de tarifs", ("Activité", "Public", "Prix", "Prix d’offres proches", "Volume par mois")),
        ),
    ),
    DeliverableKind.GOVERNANCE: DefaultBrief(
        produce=(
            "La forme juridique choisie (association, SCIC, SAS de l’ESS…) et pourquoi, qui décide de quoi "
            "(instances, collèges, place des usager·es et des bénévoles), et la carte des partenaires "
            "(collectivités, réseaux, entreprises) avec ce que chacun apporte et ce qui est acquis ou à obtenir."
        ),
        criteria=(
            "Le choix de la forme juridique compare au moins deux options.",
            "Les instances et leur fréquence sont décrites, avec la place des usager·es.",
            "Chaque partenaire a un rôle et un statut (acquis, en discussion, à démarcher).",
            "Les lettres de soutien obtenues sont jointes.",
            "Les risques de gouvernance (dépendance à une personne, à un financeur) sont identifiés.",
        ),
        length="5 à 8 pages",
        template_format="docx",
        sections=(
            ("1. Forme juridique", "Les options comparées, le choix et ses raisons."),
            ("2. Qui décide de quoi", "Instances, collèges, fréquence, place des usager·es et des bénévoles."),
            ("3. Partenaires", "Ce que chacun apporte et où en est la relation."),
            ("4. Risques et parades", "Dépendances, conflits possibles, ce qui est prévu."),
        ),
        tables=(
            TableSpec("Partenaires", ("Partenaire", "Type", "Apport", "Statut")),
        ),
    ),
    DeliverableKind.SITE_FINANCING: DefaultBrief(
        produce=(
            "La fiche du lieu visé (adresse, surface, état, statut d’occupation : achat, bail, convention, mise "
            "à disposition ; travaux et mises aux normes) et le plan de financement de l’investissement : "
            "emplois (travaux, équipement, frais) et ressources (fonds propres, subventions publiques, prêts, "
            "mécénat), à l’équilibre."
        ),
        criteria=(
            "Le statut d’occupation et sa durée sont précis.",
            "Les travaux sont chiffrés par devis ou par une estimation sourcée.",
            "Le total des emplois est égal au total des ressources.",
            "Chaque subvention publique nomme son financeur et son dispositif, et dit si elle est acquise.",
            "Les contraintes d’accueil du public (ERP) et d’accessibilité sont traitées.",
        ),
        length="un tableur : fiche lieu et plan de financement",
        template_format="xlsx",
    ),
    DeliverableKind.BUSINESS_PLAN: DefaultBrief(
        produce=(
            "Le business plan du tiers-lieu (projet, équipe, offre, marché, gouvernance, modèle économique) et "
            "son prévisionnel sur 3 ans : compte de résultat, plan de trésorerie et hypothèses. Il sert de base "
            "au pitch devant le jury."
        ),
        criteria=(
            "Le compte de résultat couvre 3 ans et chaque ligne a son hypothèse.",
            "La trésorerie ne passe jamais sous zéro, ou le besoin de financement est dit et couvert.",
            "Les revenus reprennent la grille de tarifs et les volumes de l’étude de marché.",
            "La masse salariale correspond à l’équipe décrite (postes, temps de travail).",
            "La dépendance aux subventions baisse d’année en année, ou le texte explique pourquoi.",
        ),
        length="15 à 20 pages et le tableur du prévisionnel",
        template_format="xlsx",
    ),
}


def default_brief(kind: str) -> DefaultBrief | None:
    return DEFAULT_BRIEFS.get(kind)
