"""score records keep the workspace as the engine read it that day

`score_record.snapshot` holds the engine's input (compressed JSON), so a recorded day can be
shown again exactly and compared with another; older records have none.

Revision ID: 0006_sessions_score_snapshot
Revises: 0006_measures
Create Date: 2026-12-01 13:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_sessions_score_snapshot'
down_revision = '0006_measures'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('score_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('score_record', schema=None) as batch_op:
        batch_op.drop_column('snapshot')
