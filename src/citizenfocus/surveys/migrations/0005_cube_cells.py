"""The dashboard's monthly sums kept in the database (engine/stored.py), built once here for every survey
that has stored responses; after this, each import, erasure and purge refreshes the months it changed."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def build_every_month(apps, schema_editor):
    """Every month of every survey with responses, through the engine's own refresh (the SQL it compiles
    names today's tables). Should a later migration change those tables, a survey left without cells here
    has them built on the dashboard's first read (engine.stored.load_cube) instead."""
    from citizenfocus.engine.stored import refresh_months

    Survey = apps.get_model("surveys", "Survey")
    Response = apps.get_model("surveys", "Response")
    using = schema_editor.connection.alias
    for survey in Survey.objects.using(using).all():
        if Response.objects.using(using).filter(survey_id=survey.pk).exists():
            refresh_months(survey, None, using=using)


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0004_answers_on_their_scale'),
    ]

    operations = [
        migrations.CreateModel(
            name='CubeCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('basis', models.CharField(default='interview', max_length=10)),
                ('month', models.IntegerField(help_text='Months since year 0 (engine.sums.month_number); -1 when undated')),
                ('division', models.CharField(max_length=200, null=True)),
                ('neighbourhood', models.CharField(max_length=200, null=True)),
                ('crime_type', models.CharField(max_length=40, null=True)),
                ('age_band', models.CharField(max_length=12, null=True)),
                ('ethnic_group', models.CharField(max_length=12, null=True)),
                ('rows', models.BigIntegerField()),
                ('sums', models.BinaryField(help_text='float64 [measure × (n, sw, swy, sw2, sw2y)], little-endian')),
                ('survey', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.survey')),
            ],
            options={
                'indexes': [models.Index(fields=['survey', 'basis', 'month'], name='cubecell_survey_month')],
            },
        ),
        migrations.CreateModel(
            name='CubeLayout',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('basis', models.CharField(default='interview', max_length=10)),
                ('measures', models.JSONField()),
                ('definition_sha256', models.CharField(max_length=64)),
                ('refreshed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('survey', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.survey')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('survey', 'basis'), name='one_cube_layout_per_basis')],
            },
        ),
        migrations.RunPython(build_every_month, migrations.RunPython.noop),
    ]
