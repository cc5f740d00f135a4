"""The federation app: the followed portals and their snapshots (the provincial view).

The models come from evaluations (evaluations/0019 took them out of its state) with their tables, which keep their
`evaluations_*` names (Meta.db_table, the history's table_name): the database is not touched (no constraint is
named after the app). The content types move in place (same ids), so the permissions, the groups and users holding
them and the admin log keep working."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import simple_history.models

import smartcity.fields
import smartcity.uploads
from smartcity.migration_tools import move_content_types

MODELS = ['followedportal', 'portalsnapshot', 'historicalfollowedportal']


def move_in(apps, schema_editor):
    move_content_types(apps, old="evaluations", new="federation", models=MODELS)


def move_back(apps, schema_editor):
    move_content_types(apps, old="federation", new="evaluations", models=MODELS)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("evaluations", "0019_move_frameworks_and_federation_out"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='FollowedPortal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('name', models.CharField(help_text='For example Kota Bukittinggi.', max_length=120, verbose_name='city')),
                ('base_url', models.URLField(help_text="The portal's home address, e.g. https://smartcity.bukittinggikota.go.id/", unique=True, validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='portal address')),
                ('active', models.BooleanField(default=True, help_text='Only active portals are read and compared.', verbose_name='active')),
            ],
            options={
                'verbose_name': 'followed portal',
                'verbose_name_plural': 'followed portals',
                'db_table': 'evaluations_followedportal',
                'ordering': ['name', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalFollowedPortal',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                ('name', models.CharField(help_text='For example Kota Bukittinggi.', max_length=120, verbose_name='city')),
                ('base_url', models.URLField(db_index=True, help_text="The portal's home address, e.g. https://smartcity.bukittinggikota.go.id/", validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='portal address')),
                ('active', models.BooleanField(default=True, help_text='Only active portals are read and compared.', verbose_name='active')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical followed portal',
                'verbose_name_plural': 'historical followed portals',
                'db_table': 'evaluations_historicalfollowedportal',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='PortalSnapshot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('read_at', models.DateTimeField(verbose_name='read at')),
                ('ok', models.BooleanField(default=False, verbose_name='read in full')),
                ('reason', models.CharField(blank=True, max_length=300, verbose_name='reason')),
                ('duration_ms', models.PositiveIntegerField(blank=True, null=True, verbose_name='duration (ms)')),
                ('data', models.JSONField(blank=True, default=dict, verbose_name='data')),
                ('portal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='snapshots', to='federation.followedportal', verbose_name='portal')),
            ],
            options={
                'verbose_name': 'portal snapshot',
                'verbose_name_plural': 'portal snapshots',
                'db_table': 'evaluations_portalsnapshot',
                'ordering': ['-read_at', '-pk'],
                'indexes': [models.Index(fields=['portal', '-read_at'], name='evaluations_snapshot_latest')],
            },
        )
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_in, move_back),
    ]
