"""The dashboard's persisted sums packed as one row per month (CubeMonth) instead of one row per cell
(CubeCell), with the answer-code share measures beside the measures (the distribution page's cube); built
here once for every survey that has stored responses, through engine/stored.py."""

import django.db.models.deletion
from django.db import migrations, models


def build_every_month(apps, schema_editor):
    """Every month of every survey with responses, through the engine's own refresh (the SQL it compiles
    names today's tables). Should a later migration change those tables, a survey left without rows here
    has them built on the dashboard's first read (engine.stored.load_cube) instead."""
    from citizenfocus.engine.stored import refresh_months

    with schema_editor.connection.cursor() as cursor:
        tables = schema_editor.connection.introspection.table_names(cursor)
    if "surveys_surveyitem" not in tables:  # today's engine reads the answers packed by migration 0009
        return
    Survey = apps.get_model("surveys", "Survey")
    Response = apps.get_model("surveys", "Response")
    using = schema_editor.connection.alias
    for survey in Survey.objects.using(using).all():
        if Response.objects.using(using).filter(survey_id=survey.pk).exists():
            refresh_months(survey, None, using=using)


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0006_answer_lean_key'),
    ]

    operations = [
        migrations.DeleteModel(name='CubeCell'),
        migrations.CreateModel(
            name='CubeMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('basis', models.CharField(default='interview', max_length=10)),
                ('month', models.IntegerField(help_text='Months since year 0 (engine.sums.month_number); -1 when undated')),
                ('responses', models.BigIntegerField(help_text="Every stored response of the month (the cells' rows summed)")),
                ('cells', models.IntegerField()),
                ('keys', models.TextField(help_text="JSON: each dimension's distinct values in the month")),
                ('codes', models.BinaryField(help_text='int32 [cell × dimension] into keys, little-endian')),
                ('rows', models.BinaryField(help_text='float64 [cell], little-endian')),
                ('sums', models.BinaryField(help_text='float64 [cell × measure × (n, sw, swy, sw2, sw2y)], little-endian')),
                ('shares', models.BinaryField(help_text='float64 [cell × per question (n, sw, sw2, then swy, sw2y per answer code)], little-endian')),
                ('survey', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.survey')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('survey', 'basis', 'month'), name='one_cube_month')],
            },
        ),
        migrations.AddField(
            model_name='cubelayout',
            name='share_measures',
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(build_every_month, migrations.RunPython.noop),
    ]
