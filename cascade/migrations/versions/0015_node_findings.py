"""each node's findings in a stored analysis, for the node page

Revision ID: 0015_node_findings
Revises: 0014_notify2_seen
Create Date: 2026-12-01 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_node_findings'
down_revision = '0014_notify2_seen'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_node_findings',
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('node_key', sa.String(length=80), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['analysis_id'], ['stored_analysis.id'], name=op.f('fk_stored_node_findings_analysis_id_stored_analysis'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('analysis_id', 'node_key', name=op.f('pk_stored_node_findings'))
    )
    # analyses stored before have no rows per node: let them be made again on first need
    op.execute("DELETE FROM stored_analysis")


def downgrade():
    op.drop_table('stored_node_findings')
