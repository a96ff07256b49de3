"""Entries point at the core's party organization model (same table; see core 0005)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contests', '0001_initial'),
        ('core', '0005_partyorg_joins_the_core_tree'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='entry',
            name='presenter_org',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.partyorg', verbose_name='村党组织'),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
