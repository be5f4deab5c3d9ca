from django.db import migrations, models


def letters_made_before_were_mailed(apps, schema_editor):
    """Before this field a letter was mailed as its sending committed: those letters are not owed."""
    DecisionLetter = apps.get_model("jury", "DecisionLetter")
    DecisionLetter.objects.filter(sent_at__isnull=False).update(mailed_at=models.F("sent_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("jury", "0014_call_manager_group_assignments"),
    ]

    operations = [
        migrations.AddField(
            model_name="decisionletter",
            name="mailed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="mailed at"),
        ),
        migrations.RunPython(letters_made_before_were_mailed, migrations.RunPython.noop),
    ]
