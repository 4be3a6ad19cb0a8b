"""notifications per person and event, and the outgoing mail queue

`notification` holds who is told of which event by which channel (one row per event and
person); `outgoing_mail` every message before and after SMTP, unique by what it is for.

Revision ID: 0009_notify_mail
Revises: 0008_scale_jobs
Create Date: 2026-12-01 13:13:28.781770

"""
from alembic import op
import sqlalchemy as sa
import cascade.db  # noqa: F401  (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0009_notify_mail'
down_revision = '0008_scale_jobs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outgoing_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=True),
    sa.Column('unsubscribe_url', sa.String(length=500), nullable=True),
    sa.Column('created_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('sent_at', cascade.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_outgoing_mail_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_outgoing_mail_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mail')),
    sa.UniqueConstraint('key', name=op.f('uq_outgoing_mail_key'))
    )
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_mail_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_mail_sent_at'), ['sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_mail_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('inbox', 'email', 'daily', 'weekly', 'off', name='channel', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('mail_id', sa.Integer(), nullable=True),
    sa.Column('created_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_notification_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mail_id'], ['outgoing_mail.id'], name=op.f('fk_notification_mail_id_outgoing_mail'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_notification_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_notification_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('event_id', 'person_id', name=op.f('uq_notification_event_id_person_id'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_mail_id'), ['mail_id'], unique=False)
        batch_op.create_index('ix_notification_pending', ['person_id', 'channel', 'mail_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_workspace_id'), ['workspace_id'], unique=False)



def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_workspace_id'))
        batch_op.drop_index('ix_notification_pending')
        batch_op.drop_index(batch_op.f('ix_notification_mail_id'))

    op.drop_table('notification')
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outgoing_mail_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_outgoing_mail_sent_at'))
        batch_op.drop_index(batch_op.f('ix_outgoing_mail_person_id'))

    op.drop_table('outgoing_mail')
