"""The call managers may also view, add and change the mail templates (mailtemplates came after 0005)."""

from django.db import migrations

from jury.roles import migrate_call_manager_group


class Migration(migrations.Migration):
    dependencies = [
        ("mailtemplates", "0001_mail_templates"),
        ("jury", "0005_call_manager_group"),
    ]

    operations = [migrations.RunPython(migrate_call_manager_group, migrations.RunPython.noop, elidable=False)]
