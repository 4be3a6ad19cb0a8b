"""notifications a person marked seen on their recent notifications page

Revision ID: 0014_notify2_seen
Revises: 0013_notify_findings
Create Date: 2026-12-01 14:50:00.000000

"""
from alembic import op
import sqlalchemy as sa
import cascade.db  # noqa: F401  (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0014_notify2_seen'
down_revision = '0013_notify_findings'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seen_at', cascade.db.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('seen_at')
