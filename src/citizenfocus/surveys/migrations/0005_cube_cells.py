"""The dashboard's monthly sums kept in the database (engine/stored.py), one row per cell; replaced by one row
per month in 0007, which builds them for every survey with stored responses."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def build_every_month(apps, schema_editor):
    """Nothing to build here any more: the engine writes today's table (CubeMonth, migration 0007), which
    builds every month of every survey once it exists."""


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
