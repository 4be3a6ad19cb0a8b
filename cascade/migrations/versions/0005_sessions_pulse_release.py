"""pulse answers keep the copy their unit's results show

While a pulse is open, a unit's results move only when enough answers have been given or
changed since they last moved (`waiting`), so nobody's answer can be told apart by
comparing two views. Answers already stored were visible under the old rule and are copied
as shown.

Revision ID: 0005_sessions_pulse_release
Revises: 0005_leaders
Create Date: 2026-12-01 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_sessions_pulse_release'
down_revision = '0005_leaders'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pulse_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shown_value', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('shown_comment', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('shown_role', sa.Enum('leader', 'member', 'coach', 'admin', name='shown_role', native_enum=False, create_constraint=True, length=20), nullable=True))
        batch_op.add_column(sa.Column('waiting', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE pulse_answer SET shown_value = value, shown_comment = comment, "
               "shown_role = role")
    with op.batch_alter_table('pulse_answer', schema=None) as batch_op:
        batch_op.alter_column('waiting', server_default=None)


def downgrade():
    with op.batch_alter_table('pulse_answer', schema=None) as batch_op:
        batch_op.drop_column('waiting')
        batch_op.drop_column('shown_role')
        batch_op.drop_column('shown_comment')
        batch_op.drop_column('shown_value')
