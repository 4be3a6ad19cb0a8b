"""when a node was last marked agreed

`node.agreed_at` starts the grace (`translation_grace_days`) before UNCOVERED and ONE_WAY
ask for translations; existing nodes keep it unknown, which counts as agreed long ago, so
every finding stays as it was.

Revision ID: 0005_leaders
Revises: 0004
Create Date: 2026-12-01 13:00:00

"""
from alembic import op
import sqlalchemy as sa
import cascade.db  # noqa: F401  (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0005_leaders'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('node', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreed_at', cascade.db.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('node', schema=None) as batch_op:
        batch_op.drop_column('agreed_at')
