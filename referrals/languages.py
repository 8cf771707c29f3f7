"""The one vocabulary of languages: what a referral records as the consumer's preferred language
and what an organization says it serves (issue 14). Kept apart from the models so that models,
forms, routing and the scale seeder all import it without a cycle.

Organizations serve the named languages; "Other" is a consumer's answer only (it names no
language an organization could list), so routing cannot match it and says so."""

OTHER = "Other"

LANGUAGES = [
    "English",
    "Spanish",
    "Somali",
    "Hmong",
    "Vietnamese",
    "Karen",
    "Oromo",
    "Amharic",
    "Russian",
    "Chinese",
    "Arabic",
    OTHER,
]

# What an organization may list as "languages served": every named language.
SERVED_LANGUAGES = [name for name in LANGUAGES if name != OTHER]


def ensure_languages(*, apps, using="default") -> None:
    """Reference rows for SERVED_LANGUAGES (loaded by a data migration and after every migrate
    or flush, like the counties), in the list's order."""
    Language = apps.get_model("referrals", "Language")
    existing = set(Language.objects.using(using).values_list("name", flat=True))
    Language.objects.using(using).bulk_create(
        [
            Language(name=name, position=position)
            for position, name in enumerate(SERVED_LANGUAGES)
            if name not in existing
        ]
    )


def ensure_languages_after_migrate(sender, using="default", apps=None, **kwargs):
    if apps is None:  # `flush` sends post_migrate without the migration state
        from django.apps import apps
    try:
        apps.get_model("referrals", "Language")
    except LookupError:  # migrating to a state before the table existed
        return
    ensure_languages(apps=apps, using=using)
