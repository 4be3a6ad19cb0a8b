"""known findings: what was open at the last comparison of a workspace's analyses

So the hourly comparison can tell which findings opened and which were resolved.

Revision ID: 0013_notify_findings
Revises: 0012_scale_analysis
Create Date: 2026-12-01 14:21:07.715818

"""
from alembic import op
import sqlalchemy as sa
import cascade.db  # noqa: F401  (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0013_notify_findings'
down_revision = '0012_scale_analysis'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('known_finding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=32), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('nodes', sa.JSON(), nullable=False),
    sa.Column('units', sa.JSON(), nullable=False),
    sa.Column('seen_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_known_finding_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_known_finding')),
    sa.UniqueConstraint('workspace_id', 'fingerprint', name=op.f('uq_known_finding_workspace_id_fingerprint'))
    )


def downgrade():
    op.drop_table('known_finding')
