"""Webhook endpoints and their delivery log stay with Diskominfo staff, like partner contacts and API keys: they
register a partner's endpoints, switch them on again, and send a delivery again. Partners keep their own through
their API key, which holds no model permission."""

from django.db import migrations

from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, grant, model_perms

ENDPOINTS = model_perms("partnerships", ["webhookendpoint"], ("add", "change", "delete", "view"))
DELIVERIES = model_perms("partnerships", ["webhookdelivery"], ("view",)) + ["partnerships.replay_webhookdelivery"]


def grant_roles(apps, schema_editor):
    grant(apps, {ADMINISTRATOR: ENDPOINTS + DELIVERIES, DISKOMINFO_EDITOR: ENDPOINTS + DELIVERIES})


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0006_webhooks")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
