"""The offline base map (issue 26): Diskominfo uploads it, every role may look at it (citizens see it on the map)."""

import pillars.basemap
import smartcity.uploads
from django.db import migrations, models

from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR, VIEWER, grant, model_perms


def grant_roles(apps, schema_editor):
    keep = model_perms("pillars", ["basemap"], ("add", "change", "delete", "view"))
    look = ["pillars.view_basemap"]
    grant(apps, {ADMINISTRATOR: keep, DISKOMINFO_EDITOR: keep, OPD_EDITOR: look, EVALUATOR: look, VIEWER: look})


class Migration(migrations.Migration):

    dependencies = [
        ('pillars', '0028_asset_area_links_replace_free_text'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='BaseMap',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('name', models.CharField(help_text='Staff only: what the file is, e.g. OpenStreetMap Padang, October 2026.', max_length=120, verbose_name='name')),
                ('file', models.FileField(help_text='A PMTiles (version 3) archive of PNG, JPEG or WebP tiles; see the operating guide.', upload_to=smartcity.uploads.RandomName('basemaps'), validators=[pillars.basemap.validate_basemap_file], verbose_name='PMTiles file')),
                ('attribution', models.CharField(help_text="Shown in the map's corner, as the data's licence asks, e.g. © OpenStreetMap contributors.", max_length=200, verbose_name='attribution')),
                ('tile_type', models.CharField(choices=[('png', 'PNG'), ('jpg', 'JPEG'), ('webp', 'WebP')], max_length=4, verbose_name='tile type')),
                ('min_zoom', models.PositiveSmallIntegerField(verbose_name='lowest zoom')),
                ('max_zoom', models.PositiveSmallIntegerField(verbose_name='highest zoom')),
                ('west', models.FloatField(verbose_name='west')),
                ('south', models.FloatField(verbose_name='south')),
                ('east', models.FloatField(verbose_name='east')),
                ('north', models.FloatField(verbose_name='north')),
            ],
            options={
                'verbose_name': 'base map',
                'verbose_name_plural': 'base maps',
                'ordering': ['pk'],
                'constraints': [models.UniqueConstraint(models.Value(True), name='pillars_basemap_only_one', violation_error_message='There is a base map already: change it to upload a new file.')],
            },
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
