"""Creates the "Call managers" group with exactly the role's permissions (jury/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from jury.roles import ensure_call_manager_group


def create_call_manager_group(apps, schema_editor):
    # On a fresh database the permissions are made after all migrations (post_migrate): make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_call_manager_group(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("challenges", "0003_call_letters_disclose_rank_and_more"),
        ("candidacies", "0002_candidacy_status_reason_and_more"),
        ("jury", "0004_history_kept"),
    ]

    operations = [migrations.RunPython(create_call_manager_group, migrations.RunPython.noop, elidable=False)]
