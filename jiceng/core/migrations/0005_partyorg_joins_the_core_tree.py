"""The party organization tree joins the core (scope and posts are defined on it). The table
and its rows stay where they are: only Django's idea of which app owns the model changes."""

import django.db.models.deletion
from django.db import migrations, models


def _move_content_type(apps, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label=target, model="partyorg").exists():
        content_type.objects.filter(app_label=source, model="partyorg").update(app_label=target)


def _content_type_to_core(apps, schema_editor):
    _move_content_type(apps, "party", "core")


def _content_type_to_party(apps, schema_editor):
    _move_content_type(apps, "core", "party")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0004_export_job'),
        ('party', '0002_two_new_points_centers'),
    ]

    state_operations = [
        migrations.CreateModel(
            name='PartyOrg',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='名称')),
                ('kind', models.CharField(choices=[('working_committee', '党工委'), ('committee', '党委'), ('general_branch', '党总支'), ('branch', '党支部'), ('group', '党小组'), ('joint_committee', '联合党委'), ('consortium', '党建联合体'), ('enterprise_branch', '企业党支部'), ('joint_branch', '联合党支部')], max_length=32, verbose_name='类型')),
                ('path', models.CharField(max_length=64, unique=True, verbose_name='路径')),
                ('founded_on', models.DateField(blank=True, null=True, verbose_name='成立日期')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='party_orgs_based', to='core.area', verbose_name='所在区域')),
                ('covered_areas', models.ManyToManyField(blank=True, db_table='party_partyorg_covered_areas', related_name='covering_party_orgs', to='core.area', verbose_name='覆盖区域')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='core.partyorg', verbose_name='上级党组织')),
            ],
            options={
                'verbose_name': '党组织',
                'verbose_name_plural': '党组织',
                'db_table': 'party_partyorg',
                'ordering': ['path'],
            },
        ),
        migrations.AlterField(
            model_name='post',
            name='party_org',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='posts', to='core.partyorg', verbose_name='党组织'),
        ),
        migrations.AlterField(
            model_name='roleassignment',
            name='party_org',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='role_assignments', to='core.partyorg', verbose_name='党组织范围'),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
        migrations.RunPython(_content_type_to_core, _content_type_to_party),
    ]
