"""Creates the "Call managers" group with exactly the role's permissions (jury/roles.py)."""

from django.db import migrations

from jury.roles import migrate_call_manager_group


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("challenges", "0003_call_letters_disclose_rank_and_more"),
        ("candidacies", "0002_candidacy_status_reason_and_more"),
        ("jury", "0004_history_kept"),
    ]

    operations = [migrations.RunPython(migrate_call_manager_group, migrations.RunPython.noop, elidable=False)]
