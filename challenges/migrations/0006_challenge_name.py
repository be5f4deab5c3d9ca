from django.db import migrations, models

# The addendum names each challenge by the personas it is based on ("Regio-uitdaging 1 gebaseerd op persona Chadia").
MAASLAND_NAMES = {1: "Chadia", 2: "Mo", 3: "Marcel, Jordy en Roy", 4: "Nassim en Rayan"}


def name_the_maasland_challenges(apps, schema_editor):
    Challenge = apps.get_model("challenges", "Challenge")
    for number, name in MAASLAND_NAMES.items():
        Challenge.objects.filter(call__slug="maasland-2023", number=number, name="").update(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0005_call_jury_requires_two_factor"),
    ]

    operations = [
        migrations.AddField(
            model_name="challenge",
            name="name",
            field=models.CharField(
                blank=True,
                help_text="Whom the challenge is about, as the addendum says it: “Chadia”, “Marcel, Jordy en Roy”.",
                max_length=200,
                verbose_name="name",
            ),
        ),
        migrations.RunPython(name_the_maasland_challenges, migrations.RunPython.noop),
    ]
