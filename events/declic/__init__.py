"""Déclic Numérique: digital-mediation activities recorded in the national layout (DOMAIN.md §2).

The codes are those of the national API (La Coop de la médiation numérique) and are the source of
truth; `choices.NATIONAL_LABELS` holds the national French labels the export must show whatever
the interface language.
"""
