"""The call managers may also view, add and delete the jury's assignments (jury.assigning checks each change)."""

from django.db import migrations

from jury.roles import migrate_call_manager_group


class Migration(migrations.Migration):
    dependencies = [
        ("jury", "0013_assignment"),
    ]

    operations = [migrations.RunPython(migrate_call_manager_group, migrations.RunPython.noop, elidable=False)]
