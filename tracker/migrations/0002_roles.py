from django.db import migrations

from tracker.roles import ALL_ROLES, grant_permissions


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ALL_ROLES:
        Group.objects.using(schema_editor.connection.alias).get_or_create(name=role)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions("tracker"), migrations.RunPython.noop),
    ]
