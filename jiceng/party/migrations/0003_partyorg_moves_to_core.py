"""The party organization model now belongs to the core (see core 0005); nothing in the
database changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_partyorg_joins_the_core_tree'),
        ('party', '0002_two_new_points_centers'),
        ('rural', '0002_pairing_group_in_core'),
        ('contests', '0002_presenter_org_in_core'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='organization',
            name='party_org',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='member_organizations', to='core.partyorg', verbose_name='所属党组织'),
        ),
        migrations.AlterField(
            model_name='servicecenter',
            name='party_org',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='service_centers', to='core.partyorg', verbose_name='依托党组织'),
        ),
        migrations.DeleteModel(
            name='PartyOrg',
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
