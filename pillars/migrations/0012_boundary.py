"""Map boundaries (the city's outline and its districts): Diskominfo keeps them, every role may look at them."""

import pillars.outlines
from django.db import migrations, models

from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR, VIEWER, grant, model_perms


def grant_roles(apps, schema_editor):
    keep = model_perms("pillars", ["boundary"], ("add", "change", "delete", "view"))
    look = ["pillars.view_boundary"]
    grant(apps, {ADMINISTRATOR: keep, DISKOMINFO_EDITOR: keep, OPD_EDITOR: look, EVALUATOR: look, VIEWER: look})


class Migration(migrations.Migration):

    dependencies = [
        ('pillars', '0011_portfolio_figures'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='Boundary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('kind', models.CharField(choices=[('city', 'City boundary'), ('district', 'District (kecamatan)')], max_length=10, verbose_name='kind')),
                ('code', models.CharField(blank=True, help_text='The region code of the Ministry of Home Affairs (Kemendagri), e.g. 13.71 for Kota Padang.', max_length=20, verbose_name='official code')),
                ('note', models.CharField(blank=True, help_text='Shown with the outline on the map, e.g. its source or that it is approximate.', max_length=200, verbose_name='note')),
                ('geometry', models.JSONField(help_text='A GeoJSON Polygon or MultiPolygon, longitude first.', validators=[pillars.outlines.validate_area_geometry], verbose_name='outline')),
            ],
            options={
                'verbose_name': 'map boundary',
                'verbose_name_plural': 'map boundaries',
                'ordering': ['kind', 'name'],
                'constraints': [models.UniqueConstraint(fields=('kind', 'name'), name='pillars_boundary_unique_kind_name')],
            },
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
