from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="BIPT head")


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="BIPT head").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_role_groups")]

    operations = [migrations.RunPython(create_group, remove_group)]
