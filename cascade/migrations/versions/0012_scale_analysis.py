"""One stored analysis per workspace version, and the version itself

`workspace.data_version` rises with each transaction that changes what the analysis reads;
`stored_analysis` holds the analysis of a version (claimed while it is computed).

Revision ID: 0012_scale_analysis
Revises: 0011_notify_webhooks
Create Date: 2026-12-01 13:27:21.341298

"""
from alembic import op
import sqlalchemy as sa
import cascade.db  # noqa: F401  (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0012_scale_analysis'
down_revision = '0011_notify_webhooks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_analysis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('settings_key', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('started_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('computed_at', cascade.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('seconds', sa.Double(), nullable=True),
    sa.Column('payload', sa.LargeBinary(), nullable=True),
    sa.CheckConstraint("state IN ('computing', 'done')", name=op.f('ck_stored_analysis_known_state')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_stored_analysis_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_analysis')),
    sa.UniqueConstraint('workspace_id', 'data_version', 'as_of', 'settings_key', name=op.f('uq_stored_analysis_workspace_id_data_version_as_of_settings_key'))
    )
    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_version', sa.Integer(), server_default='1', nullable=False))



def downgrade():
    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.drop_column('data_version')

    op.drop_table('stored_analysis')
