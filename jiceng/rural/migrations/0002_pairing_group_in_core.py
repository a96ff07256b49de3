"""Pairings point at the core's party organization model (same table; see core 0005)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_partyorg_joins_the_core_tree'),
        ('rural', '0001_initial'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='pairing',
            name='group',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pairings', to='core.partyorg', verbose_name='联建组织'),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
