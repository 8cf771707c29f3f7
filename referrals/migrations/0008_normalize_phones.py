"""Write every stored phone number the one way the app now stores them (612-555-0199).

Numbers that are not valid US numbers are left as they were, for a person to correct: a
migration must not lose what a representative typed."""

from django.core.exceptions import ValidationError
from django.db import migrations


def normalize(apps, schema_editor):
    from tracker.phones import normalize_us_phone

    for model_name in ("Referral", "AssisterOrganization"):
        model = apps.get_model("referrals", model_name)
        changed = []
        for row in model.objects.exclude(phone="").only("pk", "phone").iterator(chunk_size=2000):
            try:
                phone = normalize_us_phone(row.phone)
            except ValidationError:
                continue
            if phone != row.phone:
                row.phone = phone
                changed.append(row)
        model.objects.bulk_update(changed, ["phone"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0007_text_limits_us_phones"),
    ]

    operations = [
        migrations.RunPython(normalize, migrations.RunPython.noop),
    ]
