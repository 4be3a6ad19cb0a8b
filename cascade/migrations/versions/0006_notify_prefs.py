"""notification preferences: a person's channel per kind of event and workspace

Without a row the workspace's default applies (kept in `workspace.settings`).

Revision ID: 0006_notify_prefs
Revises: 0006_sessions_score_snapshot
Create Date: 2026-12-01 12:58:53.804433

"""
from alembic import op
import sqlalchemy as sa
import cascade.db  # noqa: F401  (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0006_notify_prefs'
down_revision = '0006_sessions_score_snapshot'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_preference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.Enum('inbox', 'email', 'daily', 'weekly', 'off', name='channel', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('updated_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_notification_preference_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_notification_preference_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preference')),
    sa.UniqueConstraint('person_id', 'workspace_id', 'kind', name=op.f('uq_notification_preference_person_id_workspace_id_kind'))
    )
    with op.batch_alter_table('notification_preference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_preference_workspace_id'), ['workspace_id'], unique=False)



def downgrade():
    with op.batch_alter_table('notification_preference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_preference_workspace_id'))

    op.drop_table('notification_preference')
